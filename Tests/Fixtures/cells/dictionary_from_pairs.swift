let d = Dictionary(uniqueKeysWithValues: zip(["a", "b"], [1, 2]))
print(d)  // expect: ["a": 1, "b": 2]
