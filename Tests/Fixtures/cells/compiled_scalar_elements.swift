// Int, Double and Bool elements written in place, as notebook-level
// variables and as locals: a copy taken before keeps its old elements.
var flags = Array(repeating: true, count: 4)
let before = flags
var m = 1
while m < 4 { flags[m] = false; m += 2 }
print(flags, before)  // expect: [true, false, true, false] [true, true, true, true]
// %%
func scaled() -> ([Double], [Double], [Int]) {
    var ds = [0.5, 1.5]
    let kept = ds
    ds[0] = 2.5
    ds[1] = 3
    var ns = [1, 2]
    ns[1] = ns[0]
    return (ds, kept, ns)
}
print(scaled())  // expect: ([2.5, 3.0], [0.5, 1.5], [1, 1])
// %%
var rows = [[1, 2], [3, 4]]
let first = rows[0]
var row = rows[0]
row[0] = 9
rows[0] = row
print(rows, first, row)  // expect: [[9, 2], [3, 4]] [1, 2] [9, 2]
// %%
var bits = [true, false]
bits[1] = 1  // expect error: TypeError: cannot assign value of type 'Int' to type 'Bool'
// %%
func mix() -> ([Double], [Double], [Int]) {
    var row = [1.0, 2.0, 3.0]
    let kept = row
    let x = 0.5
    row[0] += x * 4.0
    row[1] -= x
    row[2] *= x
    row[0] /= 4.0
    row[1] += 1
    var ns = [7, 7, 7]
    ns[0] /= 2
    ns[1] %= 4
    ns[2] -= 10
    return (row, kept, ns)
}
print(mix())  // expect: ([0.75, 2.5, 1.5], [1.0, 2.0, 3.0], [3, 3, -3])
// %%
var big = [Int.max]
big[0] += 1  // expect error: OverflowError: arithmetic overflow: 9223372036854775807 + 1 does not fit in an Int
// %%
var zs = [4]
zs[0] /= 0  // expect error: ZeroDivisionError: division by zero
// %%
var ws = [1.5]
ws[0] %= 2.0  // expect error: TypeError: '%' is unavailable for Double: use truncatingRemainder(dividingBy:)
