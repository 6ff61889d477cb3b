// Tuple destructuring in for, zip, stride, enumerated, compactMap, flatMap,
// first(where:) and allSatisfy.
let catches = [("perch", 21.5), ("bass", 38.0)]
for (name, length) in catches {
    print("\(name): \(length) cm")
}
// expect: perch: 21.5 cm
// expect: bass: 38.0 cm
let scores = ["north": 3, "south": 5]
for (pond, score) in scores { print(pond, score) }
// expect: north 3
// expect: south 5
for (name, weight) in zip(["perch", "bass", "extra"], [0.4, 1.2]) {
    print(name, weight)
}
// expect: perch 0.4
// expect: bass 1.2
print(Array(stride(from: 10, to: 0, by: -3)))  // expect: [10, 7, 4, 1]
print(Array(stride(from: 0.0, through: 1.0, by: 0.25)))  // expect: [0.0, 0.25, 0.5, 0.75, 1.0]
for (i, name) in ["a", "b"].enumerated() { print(i, name) }
// expect: 0 a
// expect: 1 b
print(["1", "x", "3"].compactMap { Int($0) })  // expect: [1, 3]
print([[1, 2], [3], []].flatMap { $0 })  // expect: [1, 2, 3]
print([3, 8, 12].first(where: { $0 > 5 })!)  // expect: 8
print([3, 8, 12].first { $0 > 50 } == nil)  // expect: true
print([2, 4, 6].allSatisfy { $0 % 2 == 0 }, [2, 5].allSatisfy { $0 % 2 == 0 })  // expect: true false
