// Element reads, writes and appends, as notebook-level variables and as
// locals of a compiled function: copies stay independent, errors are the tree's.
var a = [1, 2, 3]
var b = a
b[0] = 9
print(a, b)  // expect: [1, 2, 3] [9, 2, 3]
b[1] += 10
print(a, b)  // expect: [1, 2, 3] [9, 12, 3]
a.append(4)
print(a.count, b.count, a[3])  // expect: 4 3 4
// %%
func local() {
    var xs = [1, 2, 3]
    let ys = xs
    xs[0] = 7
    xs[2] *= 5
    xs.append(xs.count)
    print(xs, ys, ys.count, xs[3])
}
local()  // expect: [7, 2, 15, 3] [1, 2, 3] 3 3
// %%
var grid = [[1, 2]]
grid.append(grid[0])
grid[1][0] = 5
let row = grid[0]
grid[0][1] = 8
print(grid, row)  // expect: [[1, 8], [5, 2]] [1, 2]
// %%
func grow() -> [[Int]] {
    var g = [[0]]
    g.append(g[0])
    g[0][0] = 1
    var more = [1, 2]
    more += more
    return g + [more]
}
print(grow())  // expect: [[1], [0], [1, 2, 1, 2]]
// %%
var q = [1, 2]
q[2] = 5  // expect error: IndexError: index 2 is out of range for an array of 2 elements (valid indices are 0..<2)
// %%
func outOfRange() {
    var r = [1, 2]
    r[-1] += 1  // expect error: IndexError: index -1 is out of range for an array of 2 elements (valid indices are 0..<2)
}
outOfRange()
// %%
func readPast(_ xs: [Int]) -> Int { xs[xs.count] }  // expect error: IndexError: index 1 is out of range for an array of 1 element (valid indices are 0..<1)
print(readPast([4]))
// %%
func constant() {
    let fixed = [1]
    fixed.append(2)  // expect error: TypeError: cannot use mutating member on immutable value: 'fixed' is a 'let' constant
}
constant()
// %%
var counts = [String: Int]()
for w in ["cod", "eel", "cod"] { counts[w, default: 0] += 1 }
counts["pike"] = 3
print(counts["cod"]!, counts["eel"]!, counts["pike"]!, counts.count)  // expect: 2 1 3 3
// %%
func tally(_ words: [String]) -> [String: Int] {
    var c = [String: Int]()
    for w in words { c[w, default: 0] += 2 }
    c["x"] = 1
    return c
}
print(tally(["a", "b", "a"]))  // expect: ["a": 4, "b": 2, "x": 1]
// %%
var names = ["a"]
names[0] = 3  // expect error: TypeError: cannot assign value of type 'Int' to type 'String'
// %%
var text = "abc"
text.append(5)  // expect error: TypeError: cannot convert value of type 'Int' to expected argument type 'String'
// %%
print(text.count, [Int]().count)  // expect: 3 0
