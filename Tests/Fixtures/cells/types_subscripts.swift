// Subscripts in your own types: read with a getter, change with a setter (also with +=).
struct Readings {
    var values: [Double] = [0, 0, 0]
    subscript(i: Int) -> Double {
        get { values[i] }  // expect error: IndexError: index 7 is out of range for an array of 3 elements (valid indices are 0..<3)
        set { values[i] = newValue }
    }
}
var r = Readings()
r[1] = 2.5
r[2] += 4
print(r[1], r[2], r.values)  // expect: 2.5 4.0 [0.0, 2.5, 4.0]
let copy = r
r[0] = 9
print(copy[0], r[0])  // expect: 0.0 9.0
struct Grid {
    let columns: Int
    var cells: [Int]
    init(rows: Int, columns: Int) {
        self.columns = columns
        cells = Array(repeating: 0, count: rows * columns)
    }
    subscript(row: Int, column: Int) -> Int {
        get { cells[row * columns + column] }
        set(v) { cells[row * columns + column] = v }
    }
    subscript(row r: Int) -> [Int] { Array(cells[(r * columns)..<(r * columns + columns)]) }
}
var g = Grid(rows: 2, columns: 3)
g[1, 2] = 7
g[0, 0] -= 1
print(g[1, 2], g[row: 1], g.cells)  // expect: 7 [0, 0, 7] [-1, 0, 0, 0, 0, 7]
class Shelf {
    var jars = ["salt", "roe"]
    subscript(i: Int) -> String {
        get { jars[i] }
        set { jars[i] = newValue }
    }
}
let shelf = Shelf()
shelf[0] = "pepper"
print(shelf[0], shelf.jars)  // expect: pepper ["pepper", "roe"]
// %%
print(r[7])
// %%
g[row: 0] = [1, 2, 3]  // expect error: TypeError: cannot assign through subscript: subscript is get-only
// %%
struct Plain { var x = 1 }
print(Plain()[0])  // expect error: TypeError: value of type 'Plain' has no subscripts
// %%
// With a class's subscript declared, a 'let' array is still refused (checked as the assignment runs).
let fixed = [1, 2]
fixed[0] = 5  // expect error: TypeError: cannot assign to value: 'fixed' is a 'let' constant
