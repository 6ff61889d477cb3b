// `d[k, default: x] op= n` on an Int entry changes it in place; a copy taken
// before keeps its counts, other value types and missing keys take the
// general path, and overflow is still an error.
var counts = [String: Int]()
for w in ["cod", "eel", "cod", "cod"] { counts[w, default: 0] += 1 }
let before = counts
counts["cod", default: 0] += 10
counts["eel", default: 0] *= 5
counts["eel", default: 0] -= 1
counts["pike", default: 7] %= 4
print(before)  // expect: ["cod": 3, "eel": 1]
print(counts)  // expect: ["cod": 13, "eel": 4, "pike": 3]
var byLength = [Int: Int]()
for n in [3, 5, 3] { byLength[n, default: 0] += n }
print(byLength)  // expect: [3: 6, 5: 5]
var weights = ["cod": 1.5]
weights["cod", default: 0] += 1
print(weights)  // expect: ["cod": 2.5]
func tally() -> [String: Int] {
    var local = [String: Int]()
    for w in ["a", "b", "a"] { local[w, default: 0] += 2 }
    local["a", default: 0] /= 2
    return local
}
print(tally())  // expect: ["a": 2, "b": 2]
var big = ["x": Int.max]
big["x", default: 0] += 1  // expect error: OverflowError: arithmetic overflow: 9223372036854775807 + 1 does not fit in an Int
