// Sets and dictionaries of Doubles: integer literals become Doubles.
var s: Set<Double> = []
s.insert(1)
print(s)  // expect: [1.0]
var n: [String: Double] = [:]
n["b"] = 2
print(n)  // expect: ["b": 2.0]
var t: [String: Double] = [:]
t["y", default: 0] += 2.5
t["z", default: 1] *= 3
print(t)  // expect: ["y": 2.5, "z": 3.0]
print(t["w", default: 0])  // expect: 0.0
var inferred = ["a": 0.5]
inferred["b"] = 1
inferred["c", default: 0] += 1
print(inferred)  // expect: ["a": 0.5, "b": 1.0, "c": 1.0]
var m: [String: [Double]] = ["a": [1]]
m["b"] = [2, 3]
m["a", default: []].append(4)
print(m)  // expect: ["a": [1.0, 4.0], "b": [2.0, 3.0]]
var counts = [String: Int]()
counts["cod", default: 0] += 1
print(counts)  // expect: ["cod": 1]
