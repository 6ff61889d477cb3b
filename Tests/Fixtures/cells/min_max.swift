print(min(3, 1, 2), max(3, 1, 2))  // expect: 1 3
print(max(0.5, 2))  // expect: 2.0
print(min("b", "a"))  // expect: a
