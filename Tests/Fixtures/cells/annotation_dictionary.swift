let d: [String: Double] = ["a": 1]
print(d)  // expect: ["a": 1.0]
