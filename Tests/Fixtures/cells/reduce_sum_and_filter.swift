// `reduce(0, +)` sums Ints itself while the sum fits; Doubles, strings,
// another operator and an overflow go through the operator as before.
// `filter` reads its closure's Bool itself; anything else is an error.
print([1, 2, 3].reduce(0, +), [Int]().reduce(5, +), [1.5, 2].reduce(0, +), [1, 2].reduce(0.5, +))  // expect: 6 5 3.5 3.5
print(["a", "b"].reduce("", +), [3, 4].reduce(1, *), [1, 2.5, 3].reduce(0, +))  // expect: ab 12 6.5
print([Int.max - 1, 1].reduce(0, +))  // expect: 9223372036854775807
print([1, 2, 3, 4].filter { $0 % 2 == 0 }, (1...6).filter { $0 > 4 })  // expect: [2, 4] [5, 6]
let big = [Int.max, 1]
print(big.reduce(0, +))  // expect error: OverflowError: arithmetic overflow: 9223372036854775807 + 1 does not fit in an Int
// %%
let odd = [1, 2, 3].filter { $0 }  // expect error: TypeError: the closure must return a Bool, not 'Int'
