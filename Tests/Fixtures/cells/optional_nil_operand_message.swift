// A nil in arithmetic: the message says it is nil (it has no type to name);
// a wrapped value names its type.
let counts = ["cod": 3]
print(counts["eel"] + 1)  // expect error: TypeError: value of optional type must be unwrapped before it is used here (it is nil)
// %%
print(counts["cod"] + 1)  // expect error: TypeError: value of optional type 'Int?' must be unwrapped to a value of type 'Int'
// %%
print((counts["eel"] ?? 0) + 1)  // expect: 1
// %%
func total() -> Int {
    var z: Int
    return z + 1  // expect error: NameError: variable 'z' is used before being initialized
}
print(total())
