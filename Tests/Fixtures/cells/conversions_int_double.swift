// Int(_:) drops a Double's fraction; Double(_:) widens an Int; both in loops run by the machine itself.
print(Int(-3.7), Int(3.99), Int(-0.0), Double(7), Double(-2.5), Int(12), abs(-4), abs(-2.5))  // expect: -3 3 0 7.0 -2.5 12 4 2.5
print(Int("12") as Any, Double("x") as Any, Double("2.5")!)  // expect: Optional(12) nil 2.5
var total = 0.0
var whole = 0
for i in 0..<5 {
    total += Double(i) / 2
    whole += Int(Double(i) * 1.5)
}
print(total, whole)  // expect: 5.0 14
print(Int(-9.223372036854775808e18))  // expect: -9223372036854775808
// %%
// The largest Double below 2⁶³ fits; 9.223372036854775807e18 is 2⁶³ once it is a Double, and does not.
let edge = 9.223372036854775807e18
print(Int(edge))  // expect error: ValueError: Double value 9.223372036854776e+18 cannot be converted to Int because it is infinite, NaN or too large
// %%
for x in [1.5, Double.nan] {
    let n = Int(x)  // expect error: ValueError: Double value nan cannot be converted to Int because it is infinite, NaN or too large
    print(n)  // expect: 1
}
