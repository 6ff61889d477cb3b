print((1...4).map { $0 * 2 })  // expect: [2, 4, 6, 8]
print((1...10).filter { $0 % 5 == 0 })  // expect: [5, 10]
print((1...4).reduce(0, +))  // expect: 10
