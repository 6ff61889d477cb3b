let d = ["x": 1, "y": 2]
print(d.keys.sorted(), d.values.sorted())  // expect: ["x", "y"] [1, 2]
