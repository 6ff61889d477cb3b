let names = ["perch", "bass", "perch", "trout", "perch"]
let counts = names.reduce(into: [:]) { counts, name in counts[name, default: 0] += 1 }
print(counts)  // expect: ["perch": 3, "bass": 1, "trout": 1]
let lengths = names.reduce(into: [Int]()) { $0.append($1.count) }
print(lengths)  // expect: [5, 4, 5, 5, 5]
let total = (1...4).reduce(into: 0) { $0 += $1 }
print(total)  // expect: 10
let unique = names.reduce(into: Set<String>()) { $0.insert($1) }
print(unique.count)  // expect: 3
print([1, 2, 1].reduce(into: [:]) { $0[$1, default: 0] += 1 })  // expect: [1: 2, 2: 1]
print([1, 2].reduce(into: 0) { x, _ in x += 1 })  // expect: 2
print([1, 2].reduce(into: 0, max))  // expect error: TypeError: reduce(into:) needs a closure of two parameters that changes the first, such as { $0 += $1 }
