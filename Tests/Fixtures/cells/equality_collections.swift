print([1, 2] == [1, 2])  // expect: true
print(["a": 1] == ["a": 1])  // expect: true
print((1, "a") == (1, "a"))  // expect: true
