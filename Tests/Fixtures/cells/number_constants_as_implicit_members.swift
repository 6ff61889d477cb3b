// A number type's constants as implicit members, where the type is known:
// annotations, assignments, arguments and the other operand of an operator.
let x: Double = .pi
print(x)  // expect: 3.141592653589793
var best = Double.infinity
best = .infinity
print(best)  // expect: inf
let m: Int = .max
print(m)  // expect: 9223372036854775807
func f(_ v: Double) -> Bool { v.isNaN }
print(f(.nan), f(.infinity), f(.zero))  // expect: true false false
var lowest = 5.0
print(lowest < .infinity, lowest == .nan, .pi > lowest)  // expect: true false false
let k = 3
print(k < .max, k == .zero, k > .min)  // expect: true false true
var counter: Int = .zero
counter += 1
print(counter)  // expect: 1
let losses = [0.5, 0.25, 0.75]
var smallest: Double = .greatestFiniteMagnitude
for l in losses where l < smallest { smallest = l }
print(smallest)  // expect: 0.25
// %%
let bad: Double = .pie  // expect error: TypeError: type 'Double' has no member 'pie'
// %%
func g(_ v: Double) -> Double { v }
print(g(.tau))  // expect error: TypeError: type 'Double' has no member 'tau'
// %%
var y = 1.0
y = .nowhere  // expect error: TypeError: type 'Double' has no member 'nowhere'
// %%
// The same constants by their type's name.
print(Double.zero, Int.zero, Double.ulpOfOne == .ulpOfOne, Double.leastNonzeroMagnitude > 0)  // expect: 0.0 0 true true
