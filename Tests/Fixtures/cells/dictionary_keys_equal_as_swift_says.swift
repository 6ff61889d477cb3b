// Dictionary and set lookups find a key equal to the one stored, as Swift's
// `==` decides: characters Swift takes as equal to an ASCII one (the Kelvin
// sign and "K"), composed and decomposed accents, 0.0 and -0.0, Ints and
// Doubles of the same value, long and short strings.
var ages = [String: Int]()
ages["K"] = 1
ages[";"] = 2
ages["a`b"] = 3
ages["café"] = 4
ages["cafe\u{301}"] = 5
print(ages["\u{212A}"]!, ages["\u{037E}"]!, ages["a\u{1FEF}b"]!, ages["café"]!, ages.count)  // expect: 1 2 3 5 4
var seen = Set<String>()
seen.insert("K")
seen.insert("\u{212A}")
seen.insert("a name longer than sixteen bytes")
seen.insert("a name longer than sixteen bytes")
print(seen.count, seen.contains("\u{212A}"))  // expect: 2 true
var names = [Double: String]()
names[1.0] = "one"
names[-0.0] = "zero"
print(names[1]!, names[0.0]!, names.count)  // expect: one zero 2
var squares = [Int: Int]()
for i in 0..<1000 { squares[i * 7919] = i }
print(squares[7919 * 500]!, squares.count, squares[3] == nil)  // expect: 500 1000 true
let maybe: Set<Int?> = [1, nil, 2]
print(maybe.contains(1), maybe.contains(nil), maybe.contains(3))  // expect: true true false
