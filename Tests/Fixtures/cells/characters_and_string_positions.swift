// Character(_:) and asciiValue; Swift's String.Index is not there, and the
// message says how to reach a character by position instead.
let c: Character = "a"
print(Character("b") < Character("c"), c.asciiValue!, "é".asciiValue as Any)  // expect: true 97 nil
let s = "Hello"
print(Array(s)[1], s.prefix(2), s.dropFirst(3))  // expect: e He lo
// %%
Character("ab")  // expect error: ValueError: a Character holds exactly one character, got "ab"
// %%
let i = s.index(s.startIndex, offsetBy: 1)  // expect error: UnsupportedSyntax: String indices ('startIndex') are not supported in Shoal cells; use Array(text)[i] for the i-th character, or text.prefix(n), text.dropFirst(n) and text.suffix(n)
