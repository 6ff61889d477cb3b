print(["1", "x", "3"].compactMap { Int($0) })  // expect: [1, 3]
