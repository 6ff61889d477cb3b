print(["a", "b", "c"].joined(separator: ", "))  // expect: a, b, c
