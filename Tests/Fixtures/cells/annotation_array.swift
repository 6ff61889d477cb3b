let xs: [Double] = [1, 2, 3]
print(xs)  // expect: [1.0, 2.0, 3.0]
