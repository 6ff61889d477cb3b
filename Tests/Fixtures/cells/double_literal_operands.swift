// A Double literal on the right of an operator is part of the instruction
// in compiled code; other left sides take the tree's arithmetic and errors.
func f(_ x: Double) -> String {
    "\(x * 0.5) \(x - 0.25) \(x / 0.0) \(x < 0.5) \(x >= 1.5) \(-x * 2.5) \(x + 0.1 == 1.6)"
}
print(f(1.5))  // expect: 0.75 1.25 inf false true -3.75 true
func total(_ xs: [Double]) -> Double {
    var t = 0.0
    for x in xs { t = t * 0.5 + x }
    return t
}
print(total([1, 2, 4]))  // expect: 5.25
func mixed(_ n: Int) -> Double {
    n * 0.5  // expect error: TypeError: binary operator '*' cannot be applied to operands of type 'Int' and 'Double'
}
print(mixed(2))
// %%
func text(_ s: String) -> String {
    s + 0.5  // expect error: TypeError: binary operator '+' cannot be applied to operands of type 'String' and 'Double'
}
print(text("a"))
// %%
func rem(_ x: Double) -> Double {
    x % 0.5  // expect error: TypeError: '%' is unavailable for Double: use truncatingRemainder(dividingBy:)
}
print(rem(1.75))
// %%
// `op=` on Doubles in a cell's globals and a function's locals.
var sum = 0.0
for d in [0.5, 1.5, 2.0] { sum += d * 2.0 }
sum -= 1.0
sum *= 3.0
sum /= 4.0
print(sum)  // expect: 5.25
func scaled(_ xs: [Double]) -> Double {
    var t = 1.0
    for x in xs { t *= x; t += 0.5; t /= 2.0; t -= 0.25 }
    return t
}
print(scaled([2.0, 4.0]))  // expect: 2.0
var ratio = 10.0
ratio %= 3.0  // expect error: TypeError: '%' is unavailable for Double: use truncatingRemainder(dividingBy:)
