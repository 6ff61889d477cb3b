let names = ["carp", "eel"]
let counts = [3, 5]
for (n, c) in zip(names, counts) { print(n, c) }
// expect: carp 3
// expect: eel 5
