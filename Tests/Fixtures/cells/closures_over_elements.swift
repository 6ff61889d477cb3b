// map and filter call a closure once per element, in order: a compiled
// closure on registers taken once, others as before; errors stop the call.
var seen = [Int]()
let doubled = [3, 1, 2].map { (x: Int) -> Int in
    seen.append(x)
    return x * 2
}
print(doubled, seen)  // expect: [6, 2, 4] [3, 1, 2]
// %%
print([1.0, 3.0].map { (x: Double) in x / 2 })  // expect: [0.5, 1.5]
let halves = [1, 2, 3].map { (x: Double) in x / 2 }  // expect error: TypeError: cannot convert value of type 'Int' to expected argument type 'Double'
// %%
let grid = [[1, 2], [3]].map { row in row.map { $0 * 10 } }
print(grid, [[1, 2], [3]].filter { $0.count > 1 })  // expect: [[10, 20], [30]] [[1, 2]]
print("fish".map { String($0) + "!" }, "fish".filter { $0 != "s" })  // expect: ["f!", "i!", "s!", "h!"] fih
// %%
func safeInverse(_ x: Int) -> Double {
    if x == 0 { return 0 }
    return 1.0 / Double(x)
}
print([1, 0, 4].map(safeInverse))  // expect: [1.0, 0.0, 0.25]
print([5, 6, 7, 8].filter { x in
    let r = x % 3
    return r != 0
})  // expect: [5, 7, 8]
// %%
print([1, 2, 3].map { 10 / (2 - $0) })  // expect error: ZeroDivisionError: division by zero
// %%
print([1, 2].filter { $0 > 1 ? "yes" : "no" })  // expect error: TypeError: the closure must return a Bool, not 'String'
