let d = ["a": 1, "b": 2]
print(d.map { $0.key + String($0.value) })  // expect: ["a1", "b2"]
print(d.filter { $0.value > 1 })  // expect: ["b": 2]
