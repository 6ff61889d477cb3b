let xs = [1, 2, 3, 4]
print(xs.map { $0 * $0 })  // expect: [1, 4, 9, 16]
print(xs.filter { $0 % 2 == 0 })  // expect: [2, 4]
print(xs.reduce(0, +))  // expect: 10
print(xs.reduce(1) { $0 * $1 })  // expect: 24
