let x: Int? = 4
print(x == 4, x != nil)  // expect: true true
