let x = 2.5
print(x * 2)  // expect: 5.0
print(1 + x)  // expect: 3.5
