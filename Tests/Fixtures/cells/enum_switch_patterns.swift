enum Size: Int { case small = 1, medium, large }
func verdict(_ length: Int, _ size: Size) -> String {
    switch (length, size) {
    case (..<10, _): return "tiny"
    case (10..<30, .small): return "small fish"
    case (30...60, let s) where s.rawValue >= 2: return "keeper \(s)"
    default: return "other"
    }
}
print(verdict(5, .large))  // expect: tiny
print(verdict(20, .small))  // expect: small fish
print(verdict(45, .large))  // expect: keeper large
print(verdict(45, .small))  // expect: other
func bucket(_ n: Int) -> String {
    switch n {
    case ..<0: return "negative"
    case 0: return "zero"
    case 1...9: return "digit"
    case 10...: return "big"
    default: return "?"
    }
}
print(bucket(-3), bucket(0), bucket(7), bucket(12))  // expect: negative zero digit big
let maybe: Size? = Size(rawValue: 2)
switch maybe {
case .some(.large): print("large")
case .some(let s): print("some", s)
case .none: print("none")
}
// expect: some medium
