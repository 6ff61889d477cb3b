// `grid[i][j] = v` and `grid[i][j] += v` change the element in place in
// compiled code, copying a row or the grid first when something else holds it.
var grid = [[1, 2], [3, 4]]
let copy = grid
grid[0][1] += 10
grid[1][0] = 7
print(grid, copy)  // expect: [[1, 12], [7, 4]] [[1, 2], [3, 4]]
var ages = ["a": [1, 2]]
ages["a"]![0] += 5
var m = [[0.5]]
m[0][0] *= 4
print(ages, m)  // expect: ["a": [6, 2]] [[2.0]]
func rows() -> String {
    var g = Array(repeating: Array(repeating: 0, count: 3), count: 2)
    let row = g[0]
    g[0][0] = 9
    g[1][2] += 4
    var cube = [[[1]]]
    cube[0][0][0] -= 3
    return "\(g) \(row) \(cube)"
}
print(rows())  // expect: [[9, 0, 0], [0, 0, 4]] [0, 0, 0] [[[-2]]]
var counts = Array(repeating: Array(repeating: 0, count: 4), count: 4)
for k in 0..<3 { for i in 0..<4 { for j in 0..<4 { counts[i][j] += k * i + j } } }
print(counts[3])  // expect: [9, 12, 15, 18]
grid[5][0] = 1  // expect error: IndexError: index 5 is out of range for an array of 2 elements (valid indices are 0..<2)
