let xs = [1, 2, 3]
print(xs.map { $0 + 1 })  // expect: [2, 3, 4]
