// A variable declared without a value is assigned before it is read, as Swift requires:
// a read before any assignment in the text is an error naming the variable (in the cell
// that declares it, in a later cell, and in a function); assigned first, it works, and so
// does a 'let' given its value later in each branch, a tuple of names, and an optional
// (which starts as nil).
var x: Int
// %%
print(x)  // expect error: NameError: variable 'x' is used before being initialized
// %%
x += 1  // expect error: NameError: variable 'x' is used before being initialized
// %%
x = 3
print(x)  // expect: 3
// %%
func f() -> Int {
    var y: Int
    return y + 1  // expect error: NameError: variable 'y' is used before being initialized
}
// %%
func g(_ big: Bool) -> String {
    let w: String
    if big { w = "big" } else { w = "small" }
    return w
}
print(g(true), g(false))  // expect: big small
var total: Double
total = 2.5
print(total * 2)  // expect: 5.0
var maybe: Int?
print(maybe as Any)  // expect: nil
var (a, b): (Int, Int)
(a, b) = (1, 2)
print(a + b)  // expect: 3
func h() -> Int {
    let k: Int
    k = 4
    return k * 2
}
print(h())  // expect: 8
// %%
var later: String
func setLater() { later = "set" }
setLater()
print(later)  // expect: set
// %%
let c: Int  // expect error: SyntaxError: 'let' declarations need a value in a cell
