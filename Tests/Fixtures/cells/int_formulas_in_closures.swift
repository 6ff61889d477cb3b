// A pure closure of Int arithmetic, comparisons and logic (`{ $0 * 2 }`,
// `{ $0 % 3 == 0 }`, `{ $0 > $1 }`) runs as a short formula on Int elements;
// it must give exactly what the tree gives, and leave every error (and every
// element that is not an Int) to the tree.
let xs = [5, -3, 0, 8, 13, 2]
print(xs.map { $0 * 2 }, xs.map { 1 - $0 }, xs.map { $0 % 3 })  // expect: [10, -6, 0, 16, 26, 4] [-4, 4, 1, -7, -12, -1] [2, 0, 0, 2, 1, 2]
print(xs.filter { $0 % 2 == 0 }, xs.filter { 10 < $0 }, xs.filter { $0 != 8 })  // expect: [0, 8, 2] [13] [5, -3, 0, 13, 2]
print(xs.map { ($0 + 1) * ($0 - 1) }, xs.map { -$0 }, xs.map { $0 / 2 })  // expect: [24, 8, -1, 63, 168, 3] [-5, 3, 0, -8, -13, -2] [2, -1, 0, 4, 6, 1]
print(xs.map { $0 > 4 }, xs.map { !($0 > 4) }, xs.filter { $0 > 7 || $0 == 0 })  // expect: [true, false, false, true, true, false] [false, true, true, false, false, true] [0, 8, 13]
print(xs.map { $0 & 6 }, xs.map { $0 << 2 }, xs.map { $0 >> 1 }, xs.map { $0 ^ 1 | 8 })  // expect: [4, 4, 0, 0, 4, 2] [20, -12, 0, 32, 52, 8] [2, -2, 0, 4, 6, 1] [12, -4, 9, 9, 12, 11]
print(xs.map { ($0 > 0) == true }, xs.map { ($0 == 5) != false })  // expect: [true, false, false, true, true, true] [true, false, false, false, false, false]
print(xs.sorted(by: { $0 > $1 }), xs.sorted(by: { $1 > $0 }), xs.sorted { $0 % 5 < $1 % 5 })  // expect: [13, 8, 5, 2, 0, -3] [-3, 0, 2, 5, 8, 13] [-3, 5, 0, 2, 8, 13]
// Division by zero past a `&&` is never reached, as on the tree.
print(xs.filter { $0 != 0 && 12 / $0 > 1 })  // expect: [5, 2]
// Elements that are not Ints take the tree.
print([1.5, 2.0].map { $0 * 2 }, [1, 2.5].map { $0 + 1 }, ["b", "a"].sorted(by: { $0 < $1 }))  // expect: [3.0, 4.0] [2.0, 3.5] ["a", "b"]
print([0.5, -1.0].filter { $0 > 0 }, [true, false].map { !$0 })  // expect: [0.5] [false, true]
// %%
let big = [1, Int.max]
print(big.map { $0 + 1 })  // expect error: OverflowError: arithmetic overflow: 9223372036854775807 + 1 does not fit in an Int
// %%
print([Int.min].map { -$0 })  // expect error: OverflowError: arithmetic overflow: -(-9223372036854775808) does not fit in an Int
// %%
print([4, 0].map { 8 / $0 })  // expect error: ZeroDivisionError: division by zero
// %%
print([1, 2].sorted(by: { $0 - $1 }))  // expect error: TypeError: the sort comparator must return a Bool, not 'Int'
