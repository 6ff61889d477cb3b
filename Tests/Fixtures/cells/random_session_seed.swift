seedRandom(7)
let a = Double.random(in: 0..<1)
seedRandom(7)
let b = Double.random(in: 0..<1)
print(a == b, a >= 0 && a < 1)  // expect: true true
