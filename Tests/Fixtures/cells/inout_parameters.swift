func bump(_ x: inout Int, by step: Int = 1) {
    x += step
}
var count = 10
bump(&count)
bump(&count, by: 5)
print(count)  // expect: 16
func swapEnds(_ xs: inout [String]) {
    guard xs.count > 1 else { return }
    let first = xs[0]
    xs[0] = xs[xs.count - 1]
    xs[xs.count - 1] = first
}
var fish = ["perch", "bass", "trout"]
swapEnds(&fish)
print(fish)  // expect: ["trout", "bass", "perch"]
var tally = ["perch": 1]
func record(_ name: String, in counts: inout [String: Int]) {
    counts[name, default: 0] += 1
}
record("perch", in: &tally)
record("pike", in: &tally)
print(tally)  // expect: ["perch": 2, "pike": 1]
var grid = [[0, 0], [0, 0]]
bump(&grid[1][0], by: 7)
print(grid)  // expect: [[0, 0], [7, 0]]
// %%
bump(count)  // expect error: TypeError: 'bump' changes its inout parameter 'x': pass a variable with '&', as in bump(&x)
// %%
let fixed = 3
bump(&fixed)  // expect error: TypeError: cannot pass immutable value as inout argument: 'fixed' is a 'let' constant
// %%
func twice(_ n: Int) -> Int { n * 2 }
print(twice(&count))  // expect error: TypeError: '&' passes a variable to an inout parameter, but 'n' is not inout
