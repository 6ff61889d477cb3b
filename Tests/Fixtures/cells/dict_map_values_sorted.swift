let d = ["a": 1, "b": 3]
print(d.mapValues { $0 * 10 })  // expect: ["a": 10, "b": 30]
let top = d.sorted { $0.value > $1.value }.first!
print(top.key)  // expect: b
