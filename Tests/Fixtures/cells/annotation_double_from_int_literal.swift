let x: Double = 3
print(x)  // expect: 3.0
