// Interpolations of Ints and Strings in compiled code are written at their
// length; other values take the general path; both read as Swift prints them.
func label(_ i: Int, _ name: String) -> String { "\(name) #\(i) of \(Int.min)…\(-i)\(0)" }
print(label(42, "fisk 🐟"), label(-7, ""))  // expect: fisk 🐟 #42 of -9223372036854775808…-420  #-7 of -9223372036854775808…70
var parts = [String]()
for i in 9..<12 { parts.append("fish number \(i)") }
print(parts.joined(separator: ", "), parts[2].count)  // expect: fish number 9, fish number 10, fish number 11 14
// %%
func mixed(_ x: Double, _ ok: Bool) -> String { "\(x) and \(ok) and \([1, 2]) and \(3)" }
print(mixed(0.5, true))  // expect: 0.5 and true and [1, 2] and 3
