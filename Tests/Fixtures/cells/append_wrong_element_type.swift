// A literal, or a variable annotated with a type, appended or inserted into a collection
// declared to hold another type is refused as Swift refuses it (an Int literal still goes
// into Doubles).
var xs: [Int] = []
var ds: [Double] = []
var names = [String]()
var flags: [Bool] = [true]
let label: String = "cod"
let count: Int = 3
// %%
xs.append("x")  // expect error: TypeError: cannot convert value of type 'String' to expected argument type 'Int'
// %%
xs.append(2.5)  // expect error: TypeError: cannot convert value of type 'Double' to expected argument type 'Int'
// %%
names.append(count)  // expect error: TypeError: cannot convert value of type 'Int' to expected argument type 'String'
// %%
ds.insert(true, at: 0)  // expect error: TypeError: cannot convert value of type 'Bool' to expected argument type 'Double'
// %%
ds.append(2)
names.append(label)
flags.append(false)
xs.append(4)
xs.insert(count, at: 0)
print(xs, ds, names, flags)  // expect: [3, 4] [2.0] ["cod"] [true, false]
// %%
// Values computed when the cell runs are checked as they go in.
let fishName = "cod"
func twice(_ n: Int) -> Int { n * 2 }
// %%
xs.append(fishName)  // expect error: TypeError: cannot convert value of type 'String' to expected argument type 'Int'
// %%
names.append(twice(3))  // expect error: TypeError: cannot convert value of type 'Int' to expected argument type 'String'
// %%
names.insert(7 + 1, at: 0)  // expect error: TypeError: cannot convert value of type 'Int' to expected argument type 'String'
// %%
func fill() { for i in 0..<3 { xs.append(i * i) }; xs.append(twice(5)) }
fill()
names.append(fishName + "fish")
print(xs, names)  // expect: [3, 4, 0, 1, 4, 10] ["cod", "codfish"]
// %%
// Through a subscript, into an array declared to hold Ints: Swift's subscript message.
var scores: [Int] = [1, 2]
var ages: [String: Int] = [:]
// %%
scores[0] = "x"  // expect error: TypeError: cannot assign value of type 'String' to subscript of type 'Int'
// %%
scores[1] = fishName  // expect error: TypeError: cannot assign value of type 'String' to subscript of type 'Int'
// %%
ages["cod"] = "x"  // expect error: TypeError: cannot assign value of type 'String' to subscript of type 'Int?'
// %%
scores[0] = scores[1] * 10
let maybeAge: Int? = 5
ages["cod"] = maybeAge
ages["eel"] = 3
ages["eel"] = nil
print(scores, ages)  // expect: [20, 2] ["cod": 5]
