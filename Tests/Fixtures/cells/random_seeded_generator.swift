var rng = RandomGenerator(seed: 42)
let a = (0..<5).map { _ in Int.random(in: 1...6, using: &rng) }
var rng2 = RandomGenerator(seed: 42)
let b = (0..<5).map { _ in Int.random(in: 1...6, using: &rng2) }
print(a == b)  // expect: true
print(a.allSatisfy { (1...6).contains($0) })  // expect: true
