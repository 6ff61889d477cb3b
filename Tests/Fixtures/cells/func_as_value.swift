func double(_ x: Int) -> Int { x * 2 }
let f = double
print(f(4))  // expect: 8
print([1, 2].map(double))  // expect: [2, 4]
