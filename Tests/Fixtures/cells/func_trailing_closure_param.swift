func apply(_ x: Int, _ f: (Int) -> Int) -> Int { f(x) }
print(apply(3) { $0 * 10 })  // expect: 30
