func grade(_ accuracy: Double) -> String {
    switch accuracy {
    case 0.9...: return "excellent"
    case 0.7..<0.9: return "good"
    case ..<0.5: return "guessing"
    default: return "fair"
    }
}
print(grade(0.95), grade(0.9), grade(0.8), grade(0.6), grade(0.2))  // expect: excellent excellent good fair guessing
let r = 0.5...
print(r)  // expect: 0.5...
print(r.contains(3.0))  // expect: true
let upTo = ...1.5
print(upTo.contains(-100.0), upTo.contains(2.0))  // expect: true false
