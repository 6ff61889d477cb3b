// `x op= 1` on a local in compiled code: every operator on Ints, an Int
// literal into a Double, and the errors Swift gives, in a function and in
// a loop; an assignment as a statement leaves nothing behind.
func steps() -> String {
    var n = 7
    n *= 3
    n -= 1
    n /= 2
    n %= 4
    var d = 1.5
    d += 1
    d *= 2
    var i = 0
    var total = 0
    while i < 10 { total += i; i += 1 }
    return "\(n) \(d) \(i) \(total)"
}
print(steps())  // expect: 2 5.0 10 45
// %%
func overflow() -> Int {
    var big = Int.max - 1
    big += 1
    big += 1  // expect error: OverflowError: arithmetic overflow: 9223372036854775807 + 1 does not fit in an Int
    return big
}
print(overflow())
// %%
func byZero() -> Int {
    var n = 5
    n /= 0  // expect error: ZeroDivisionError: division by zero
    return n
}
print(byZero())
// %%
func text() {
    var s = "a"
    s += 1  // expect error: TypeError: binary operator '+=' cannot be applied to operands of type 'String' and 'Int'
}
text()
// %%
var count = 0
var half = 10.0
for k in 0..<100 where k % 3 == 0 { count += 1; half -= 1 }
count *= 2
print(count, half)  // expect: 68 -24.0
var word = "fish"
for _ in 0..<2 { word += 1 }  // expect error: TypeError: binary operator '+=' cannot be applied to operands of type 'String' and 'Int'
// %%
// Every kind of place names the operator as written.
var scores = [1, 2]
scores[0] -= "a"  // expect error: TypeError: binary operator '-=' cannot be applied to operands of type 'Int' and 'String'
// %%
var counts = ["cod": 1]
counts["cod"]! *= 2.5  // expect error: TypeError: binary operator '*=' cannot be applied to operands of type 'Int' and 'Double'
// %%
struct Fish { var length = 1.5 }
var f = Fish()
let n = 2
f.length /= n  // expect error: TypeError: binary operator '/=' cannot be applied to operands of type 'Double' and 'Int'
