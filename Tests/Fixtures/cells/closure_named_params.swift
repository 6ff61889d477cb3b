let scores = [3, 1, 2]
print(scores.sorted { a, b in a > b })  // expect: [3, 2, 1]
