let ops: [(Int) -> Int] = [{ $0 + 1 }, { $0 * 2 }]
print(ops.map { $0(5) })  // expect: [6, 10]
