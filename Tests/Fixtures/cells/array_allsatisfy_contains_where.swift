let xs = [2, 4, 6]
print(xs.allSatisfy { $0 % 2 == 0 })  // expect: true
print(xs.contains { $0 > 5 })  // expect: true
print(xs.first { $0 > 3 }!)  // expect: 4
print(xs.count(where: { $0 > 2 }))  // expect: 2
