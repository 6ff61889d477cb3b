var g1 = RandomGenerator(seed: 1)
var g2 = RandomGenerator(seed: 1)
print(Array(0..<10).shuffled(using: &g1) == Array(0..<10).shuffled(using: &g2))  // expect: true
