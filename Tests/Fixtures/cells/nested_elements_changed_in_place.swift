// `grid[i][j] op= v` and `grid[i][j] = v` on Ints and Doubles change the
// element where it is when every array on the way is the variable's alone;
// a shared row or grid, a key out of range, an overflow, a value of another
// type and an Int literal into Doubles still go the long way, with its copy
// or its error.
var grid = [[1, 2, 3], [4, 5, 6]]
let row = grid[1]
grid[1][2] += 10
grid[0][0] -= 1
grid[1][1] *= 3
print(grid, row)  // expect: [[0, 2, 3], [4, 15, 16]] [4, 5, 6]
var shared = grid
shared[0][1] = 20
grid[0][2] = 30
print(grid, shared)  // expect: [[0, 2, 30], [4, 15, 16]] [[0, 20, 3], [4, 15, 16]]
var field = Array(repeating: Array(repeating: 0.5, count: 2), count: 2)
field[1][0] += 0.25
field[0][1] = 2.0
field[1][1] /= 4.0
field[0][0] += 1
print(field)  // expect: [[1.5, 2.0], [0.75, 0.125]]
func bump(_ times: Int) -> [[Int]] {
    var g = Array(repeating: Array(repeating: 0, count: 3), count: 3)
    for t in 0..<times { for i in 0..<3 { g[i][(i + t) % 3] += t + 1 } }
    let change = { (k: Int) in g[0][0] = k }
    change(99)
    return g
}
print(bump(4))  // expect: [[99, 2, 3], [3, 5, 2], [2, 3, 5]]
// %%
var big = [[Int.max - 1]]
big[0][0] += 1
print(big)  // expect: [[9223372036854775807]]
big[0][0] += 1  // expect error: OverflowError: arithmetic overflow: 9223372036854775807 + 1 does not fit in an Int
// %%
var ints = [[1, 2]]
ints[0][1] = 2.5  // expect error: TypeError: cannot assign value of type 'Double' to type 'Int'
// %%
var small = [[1, 2]]
small[0][-1] += 1  // expect error: IndexError: index -1 is out of range for an array of 2 elements (valid indices are 0..<2)
