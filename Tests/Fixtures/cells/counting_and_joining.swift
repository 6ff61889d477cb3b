// Counting into a dictionary (one hash per word), joining and counting text.
func tally(_ words: [String]) -> [String: Int] {
    var counts = [String: Int]()
    for w in words { counts[w, default: 0] += 1 }
    return counts
}
print(tally(["cod", "eel", "cod", "pike", "cod"]))  // expect: ["cod": 3, "eel": 1, "pike": 1]
var totals = [String: Double]()
for (name, weight) in [("cod", 1.5), ("eel", 0.5), ("cod", 2.0)] { totals[name, default: 0.0] += weight }
print(totals)  // expect: ["cod": 3.5, "eel": 0.5]
var nested = [String: [Int]]()
nested["a", default: []].append(1)
nested["a", default: []].append(2)
print(nested)  // expect: ["a": [1, 2]]
totals["eel"] = nil
print(totals)  // expect: ["cod": 3.5]
// %%
let parts = ["fish", "number", "7"]
print(parts.joined(separator: ", "))  // expect: fish, number, 7
print(parts.joined())  // expect: fishnumber7
print([String]().joined(separator: "-").isEmpty)  // expect: true
print("a\r\nb".count)  // expect: 3
print("naïve".count)  // expect: 5
print("👍🏽 ok".count)  // expect: 4
print("".count)  // expect: 0
// Long texts are counted eight bytes at a time: a "\r\n" pair anywhere is one Character.
let line = String(repeating: "abcdefg", count: 5)
print((line + "\r\n" + line).count, (line + "\r" + line).count, (line + "\n\r" + line).count)  // expect: 71 71 72
print(("\r\n" + line + "\r\n").count, (line + "é").count, (line + "\r\n" + line + "é").count)  // expect: 37 36 72
print([line, "fish", "\(7)"].joined(separator: " / ").count)  // expect: 46
let longParts = (0..<5).map { "piece number \($0)" }
print(longParts.joined(separator: ", "))  // expect: piece number 0, piece number 1, piece number 2, piece number 3, piece number 4
print(["naïve", "🐟", "x"].joined(separator: "·"))  // expect: naïve·🐟·x
print(["a", 1, "b"].map { "\($0)" }.joined(separator: "+"))  // expect: a+1+b
// %%
var grid = [[0.5, 1.0], [2.0, 4.0]]
grid[1][0] += 0.25
var row = grid[0]
row[1] *= 3
row[0] -= 1
print(row, grid[1])  // expect: [-0.5, 3.0] [2.25, 4.0]
var flags = [true, true, false]
flags[2] = true
flags[0] = false
print(flags)  // expect: [false, true, true]
var counts = [0, 0]
counts[1] += 2
print(counts)  // expect: [0, 2]
// %%
var ds = [1.0, 2.0]
ds[0] = 5  // an Int literal stored into a Double element becomes a Double
print(ds)  // expect: [5.0, 2.0]
var bs = [true]
bs[0] = 1  // expect error: TypeError: cannot assign value of type 'Int' to type 'Bool'
