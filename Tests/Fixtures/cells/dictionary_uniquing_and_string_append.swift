// Dictionary(_:uniquingKeysWith:) counts and merges; a String grows with
// append, as in Swift.
let labels = ["cod", "eel", "cod", "pike", "eel", "cod"]
let counts = Dictionary(labels.map { ($0, 1) }, uniquingKeysWith: +)
print(counts["cod"]!, counts["eel"]!, counts["pike"]!)  // expect: 3 2 1
let latest = Dictionary([("a", 1), ("a", 2)], uniquingKeysWith: { old, new in new })
print(latest)  // expect: ["a": 2]
var word = "Fish"
word.append("es")
word.append("!")
print(word)  // expect: Fishes!
let last = word.removeLast()
print(word, last)  // expect: Fishes !
word.removeAll()
print(word.isEmpty)  // expect: true
// %%
let fixed = "cod"
fixed.append("s")  // expect error: TypeError: cannot use mutating member on immutable value: 'fixed' is a 'let' constant
