for x in stride(from: 0, to: 10, by: 3) { print(x) }
// expect: 0
// expect: 3
// expect: 6
// expect: 9
print(stride(from: 1.0, through: 2.0, by: 0.5))  // expect: [1.0, 1.5, 2.0]
print(stride(from: 3, to: 0, by: -1))  // expect: [3, 2, 1]
