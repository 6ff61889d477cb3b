enum Catch {
    case measured(length: Double, weight: Double)
    case estimated(Double)
    case released
}
let log: [Catch] = [.measured(length: 42, weight: 1.5), .estimated(20), .released, Catch.measured(length: 10, weight: 0.2)]
for c in log {
    switch c {
    case let .measured(length, weight) where weight > 1:
        print("big:", length, weight)
    case .measured(let length, _):
        print("small:", length)
    case .estimated(let guess):
        print("about", guess)
    case .released:
        print("let go")
    }
}
// expect: big: 42.0 1.5
// expect: about 20.0
// expect: let go
// expect: small: 10.0
print(log[0])  // expect: measured(length: 42.0, weight: 1.5)
print(log[1] == .estimated(20))  // expect: true
