print([[1, 2], [3]].flatMap { $0 })  // expect: [1, 2, 3]
