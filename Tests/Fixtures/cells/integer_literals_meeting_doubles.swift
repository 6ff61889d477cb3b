// Integer literals are Doubles where they meet a Double, as Swift types
// them: arithmetic on literals alone divides Doubles there, not Ints.
let ratio: Double = 80 / 100
print(ratio)  // expect: 0.8
print(0.5 + 1 / 2)  // expect: 1.0
print(2.0 * (1 / 4))  // expect: 0.5
let scale: Double = 3
print(scale * (1 / 4))  // expect: 0.75
func half(_ v: Double) -> Double { v * (1 / 2) }
print(half(3))  // expect: 1.5
let third: Double = -1 / 3
print(third)  // expect: -0.3333333333333333
// Where nothing is a Double, Ints divide as Ints.
print(7 / 2)  // expect: 3
let n = 7
print(n / 2, Double(n) / 2)  // expect: 3 3.5
