// `xs[i] = v` replaces an element of its own kind in place (tuples, strings,
// arrays, numbers); a copy taken before keeps its elements; another kind is
// still a type error.
var ps = [(x: 1.0, y: 2.0), (x: 3.0, y: 4.0)]
let before = ps
var p = ps[0]
p.x += 10
ps[0] = p
print(ps[0], before[0])  // expect: (x: 11.0, y: 2.0) (x: 1.0, y: 2.0)
var names = ["cod", "eel"]
let kept = names
names[1] = "pike"
print(names, kept)  // expect: ["cod", "pike"] ["cod", "eel"]
func grid() -> [[Int]] {
    var rows = [[0, 0], [0, 0]]
    let first = rows
    rows[1] = [5, 6, 7]
    rows[0] = []
    return rows + first
}
print(grid())  // expect: [[], [5, 6, 7], [0, 0], [0, 0]]
var flags = [true, false]
flags[1] = true
print(flags)  // expect: [true, true]
var words = ["a", "b"]
words[0] = 3  // expect error: TypeError: cannot assign value of type 'Int' to type 'String'
