print(Array(0..<3))  // expect: [0, 1, 2]
print(Array(1...3))  // expect: [1, 2, 3]
print((0..<10).count)  // expect: 10
print((1...5).contains(3))  // expect: true
print(0..<3)  // expect: 0..<3
