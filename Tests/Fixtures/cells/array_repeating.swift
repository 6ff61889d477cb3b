var counts = Array(repeating: 0, count: 3)
counts[1] += 1
print(counts)  // expect: [0, 1, 0]
