// Interpolations of Ints and Strings are written at their length in one
// pass (texts first, between and after the values; negative numbers;
// non-ASCII text; empty pieces; long results).
let name = "saumon fumé"
for i in [-120, -1, 0, 7, 1_000_000] {
    print("fish \(i) of \(name)!")
}
// expect: fish -120 of saumon fumé!
// expect: fish -1 of saumon fumé!
// expect: fish 0 of saumon fumé!
// expect: fish 7 of saumon fumé!
// expect: fish 1000000 of saumon fumé!
func label(_ n: Int, _ s: String) -> String { "\(n)\(s)\(n)" }
print(label(Int.min, ""))  // expect: -9223372036854775808-9223372036854775808
print(label(Int.max, "🐟").count)  // expect: 39
var digits = ""
for n in [9, 10, 99, 100, 999, 1_000, 9_999, 10_000, 99_999, 100_000, 1_234_567, 10_000_000_000, -100_000] { digits += "<\(n)>" }
print(digits)  // expect: <9><10><99><100><999><1000><9999><10000><99999><100000><1234567><10000000000><-100000>
print(["é", "🐟", "fish number 123456"].joined(separator: "·"))  // expect: é·🐟·fish number 123456
let empty = ""
print("[\(empty)]", "\(empty)".isEmpty)  // expect: [] true
var lines: [String] = []
for k in 0..<3 { lines.append("row \(k): \(String(repeating: "ab", count: 10 * k))") }
print(lines.joined(separator: "|"))  // expect: row 0: |row 1: abababababababababab|row 2: abababababababababababababababababababab
print("\(1.5) and \(true) and \(name)")  // expect: 1.5 and true and saumon fumé
