// Closures of one expression of their parameters (`$0 * 2`, `$0 > $1`) give
// map, filter and sorted(by:) the same answers and the same errors as any closure.
let xs = Array(0..<12)
print(xs.map { $0 * 2 }.filter { $0 % 3 == 0 })  // expect: [0, 6, 12, 18]
print(xs.filter { $0 > 3 && !($0 % 2 == 0) })  // expect: [5, 7, 9, 11]
print(xs.map { -$0 + 1 }.prefix(3))  // expect: [1, 0, -1]
print([0.5, 2.0, 1.25].map { $0 * 2 })  // expect: [1.0, 4.0, 2.5]
print([3, 1, 2].sorted { $0 > $1 }, ["pike", "cod", "eel"].sorted { $0 < $1 })  // expect: [3, 2, 1] ["cod", "eel", "pike"]
print([4, 1, 3].sorted(by: { (a: Int, b: Int) in a < b }))  // expect: [1, 3, 4]
let scale = 10
print(xs.prefix(3).map { $0 * scale })  // expect: [0, 10, 20]
// %%
let big = [1, Int.max]
print(big.map { $0 + 1 })  // expect error: OverflowError: arithmetic overflow: 9223372036854775807 + 1 does not fit in an Int
// %%
// The same error from a closure of two statements, which the machine runs:
print(big.map { n in let m = n; return m + 1 })  // expect error: OverflowError: arithmetic overflow: 9223372036854775807 + 1 does not fit in an Int
// %%
print([1, 2, 0].map { 6 / $0 })  // expect error: ZeroDivisionError: division by zero
// %%
print([1, 2].sorted { $0 + $1 })  // expect error: TypeError: the sort comparator must return a Bool, not 'Int'
// %%
print([1, "a"].filter { $0 > 0 })  // expect error: TypeError: binary operator '>' cannot be applied to operands of type 'String' and 'Int'
