// Elements and entries declared `Any` take a value of any type, as in Swift;
// collections of one type keep refusing other types.
var row: [Any] = [1, "a"]
row[0] = "b"
print(row)  // expect: ["b", "a"]
var results: [String: Any] = ["accuracy": 0.5, "name": "cod"]
results["accuracy"] = "not measured"
results["epochs"] = 3
print(results)  // expect: ["accuracy": "not measured", "name": "cod", "epochs": 3]
var grid: [[Any]] = [[1, "a"], [2.5, true]]
grid[0][0] = "b"
grid[1][1] = 7
print(grid)  // expect: [["b", "a"], [2.5, 7]]
var info: [String: [Any]] = ["cod": [1, "a"]]
info["cod"]![0] = 2.5
print(info)  // expect: ["cod": [2.5, "a"]]
// %%
var counts = [1, 2]
let word = "three"
counts[0] = word  // expect error: TypeError: cannot assign value of type 'String' to type 'Int'
// %%
var lengths: [String: Double] = ["cod": 1.5]
let label = "long"
lengths["cod"] = label  // expect error: TypeError: cannot assign value of type 'String' to type 'Double?'
