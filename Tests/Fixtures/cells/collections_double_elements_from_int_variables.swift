// In `[Any]` an integer literal stays an Int; Swift only makes it a Double where Doubles are expected.
let mixed: [Any] = [1, 2.5, "three"]
print(mixed)  // expect: [1, 2.5, "three"]
let numbers: [Any] = [1, 2.5]
print(numbers[0] is Int, numbers[1] is Double)  // expect: true true
let plain = [1, 2.5]
print(plain)  // expect: [1.0, 2.5]
// Integer literals stored into collections of Doubles become Doubles; Int variables need Double(…).
var lengths: [Double] = [1, 2]
let k = 3
lengths[0] = 4
lengths[1] = Double(k)
lengths += [5, Double(k)]
print(lengths)  // expect: [4.0, 3.0, 5.0, 3.0]
var weights: [String: Double] = [:]
weights["cod"] = 2
weights["eel"] = Double(k)
print(weights)  // expect: ["cod": 2.0, "eel": 3.0]
var sizes: Set<Double> = []
sizes.insert(Double(k))
print(sizes)  // expect: [3.0]
// %%
lengths[0] = k  // expect error: TypeError: cannot assign value of type 'Int' to subscript of type 'Double'
// %%
weights["pike"] = k  // expect error: TypeError: cannot assign value of type 'Int' to subscript of type 'Double'
// %%
sizes.insert(k)  // expect error: TypeError: cannot convert value of type 'Int' to expected argument type 'Double'
// %%
lengths += [k]  // expect error: TypeError: cannot convert value of type 'Int' to expected element type 'Double'
// %%
func scale(_ n: Int) -> [Double] {
    var out: [Double] = [0]
    out[0] = n  // expect error: TypeError: cannot assign value of type 'Int' to subscript of type 'Double'
    return out
}
print(scale(2))
// %%
print(lengths, weights, sizes)  // expect: [4.0, 3.0, 5.0, 3.0] ["cod": 2.0, "eel": 3.0] [3.0]
