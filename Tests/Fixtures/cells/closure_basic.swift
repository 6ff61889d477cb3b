let add = { (a: Int, b: Int) -> Int in a + b }
print(add(2, 3))  // expect: 5
