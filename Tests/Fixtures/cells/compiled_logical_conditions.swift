// `&&` and `||` in conditions of compiled code: short-circuited, checked
// as Bools, in if, while, guard, for-where, ternaries and switch guards.
func loud(_ x: Bool) -> Bool {
    print("checked", x)
    return x
}
func pick(_ a: Int, _ b: Int) -> String {
    var out = ""
    if a > 0 && loud(b > 0) { out += "both " }
    if a > 0 || loud(b > 0) { out += "either " }
    if (a > 0 || b > 0) && !(a > 0 && b > 0) { out += "one " }
    guard a >= 0 || b >= 0 else { return out + "none" }
    return out + (a == b || a + b == 0 ? "same" : "apart")
}
print(pick(1, 2))
// expect: checked true
// expect: both either apart
print(pick(-1, 1))
// expect: checked true
// expect: either one same
print(pick(-2, -3))
// expect: checked false
// expect: none
// %%
func count(_ xs: [Int]) -> Int {
    var n = 0
    var i = 0
    while i < xs.count && xs[i] >= 0 { i += 1 }
    for x in xs where x % 2 == 0 || x > 4 { n += 1 }
    switch xs.count {
    case let c where c > 3 && n > 1: return n * 100 + i
    default: return n * 10 + i
    }
}
print(count([2, 5, 7, 8, -1, 3]))  // expect: 404
print(count([1, -2]))  // expect: 11
// %%
func bad(_ x: Int?) -> Bool {
    if x != nil && x! > 2 { return true }
    let y: Int? = x
    if true && y { return true }  // expect error: TypeError: optional type 'Int?' cannot be used as a boolean; test for '!= nil' instead
    return false
}
print(bad(5))  // expect: true
print(bad(1))
