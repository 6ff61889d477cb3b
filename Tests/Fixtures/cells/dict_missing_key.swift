let d = ["a": 1]
print(d["b"] == nil)  // expect: true
print(d["b"] ?? 0)  // expect: 0
print(d["a"])  // expect: Optional(1)
