// Widgets in a run without a front end (shoal exec, grading): values are
// read and set, closures attached, and the text form stands in for the view.
let degree = IntSlider(value: 3, min: 1, max: 9, description: "degree")
print(degree.value)  // expect: 3
degree.setValue(20)
print(degree.value)  // expect: 9
let rate = FloatSlider(value: 0.01, min: 0.0001, max: 1, logScale: true)
print(rate.value)  // expect: 0.01
let species = Dropdown(["perch", "bass", "trout"], value: "bass")
print(species.value ?? "none")  // expect: bass
var seen = 0
degree.observe { d in seen = d }
print(degree)  // expect: IntSlider("degree", value: 9)
print(VBox([degree, rate, Label("fit")]))  // expect: VBox(3 widgets)
// %%
species.setValue("pike")  // expect error: ValueError: "pike" is not one of the dropdown's options (perch, bass, trout)
// %%
IntSlider(min: 5, max: 1)  // expect error: ValueError: an IntSlider needs min (5) at most max (1)
// %%
interact(3.5) { x in x }  // expect error: TypeError: interact makes a control from a range, an array of texts, a Bool or a slider, not from a value of type 'Double'
