print("a1b2".filter { $0.isNumber })  // expect: 12
print("ab".map { $0.uppercased() })  // expect: ["A", "B"]
