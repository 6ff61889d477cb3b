enum Suit: CaseIterable {
    case spades, hearts, diamonds, clubs
    var color: String {
        switch self {
        case .spades, .clubs: return "black"
        case .hearts, .diamonds: return "red"
        }
    }
    func symbol() -> String {
        switch self {
        case .spades: return "♠"
        case .hearts: return "♡"
        case .diamonds: return "♢"
        case .clubs: return "♣"
        }
    }
}
print(Suit.allCases.count)  // expect: 4
for s in Suit.allCases where s.color == "red" { print(s, s.symbol()) }
// expect: hearts ♡
// expect: diamonds ♢
let trump = Suit.spades
print(trump == .spades, trump != Suit.clubs)  // expect: true true
