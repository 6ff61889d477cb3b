enum Rank: Int {
    case ace = 1
    case two, three, four
    case jack = 11, queen, king
}
print(Rank.three.rawValue, Rank.king.rawValue)  // expect: 3 13
print(Rank(rawValue: 12) ?? .ace)  // expect: queen
print(Rank(rawValue: 99) == nil)  // expect: true
enum Water: String {
    case fresh, salt = "sea water"
}
print(Water.fresh.rawValue, Water.salt.rawValue)  // expect: fresh sea water
let w: Water = .salt
print(w)  // expect: salt
w  // expect: Water.salt
