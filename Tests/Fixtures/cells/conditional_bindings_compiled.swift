// `if let`, `guard let` and `while let` into a local are compiled: the
// value an optional wraps is bound, nil takes the other way without
// binding, and a value that is not an optional is the same error as before.
let ages = ["cod": 3, "eel": 5]
var total = 0
for k in ["cod", "pike", "eel"] {
    if let n = ages[k] { total += n } else { total += 100 }
}
print(total)  // expect: 108
func first(_ xs: [Int]) -> String {
    guard let f = xs.first else { return "empty" }
    return "first \(f)"
}
print(first([]), first([4, 5]))  // expect: empty first 4
var stack = [1, 2, 3]
var popped: [Int] = []
while let top = stack.popLast() { popped.append(top) }
print(popped, stack)  // expect: [3, 2, 1] []
func parse(_ s: String) -> Int {
    if let n = Int(s), n > 2, let m = Int("1" + s) { return n + m }
    return -1
}
print(parse("5"), parse("1"), parse("x"))  // expect: 20 -1 -1
let maybe: Int? = nil
if let m = maybe { print("bound", m) } else { print("nil") }  // expect: nil
var q: Int? = 7
if let q = q { print("shadow", q) }  // expect: shadow 7
// %%
func seven() -> Int { 7 }
if let z = seven() { print(z) }  // expect error: TypeError: initializer for conditional binding must have Optional type, not 'Int'
