print(1, 2, 3, separator: "-")  // expect: 1-2-3
print("a", "b")  // expect: a b
