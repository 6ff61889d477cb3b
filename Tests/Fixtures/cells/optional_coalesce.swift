let d = ["a": 1]
print((d["z"] ?? 5) + 1)  // expect: 6
