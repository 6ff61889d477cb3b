// A forced cast that fails is a TypeError at the cast, not a crash; `as?` gives nil, `is` tells.
let word: Any = "fish"
print(word is Int)  // expect: false
print((word as? Int) == nil)  // expect: true
print(word as! String)  // expect: fish
// %%
print(word)  // expect: fish
let n = word as! Int  // expect error: TypeError: could not cast value of type 'String' to 'Int'
