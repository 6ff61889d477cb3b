// `d[k] = v` where the key is there already and `v` is of the old value's
// kind (Int, Double, Bool) replaces it where it is; a copy of the dictionary
// keeps its value, and another kind, nil, an Int literal into a Double and a
// new key go the long way with its result or its error.
var d = [Int: Int]()
for i in 0..<10 { d[i % 3] = i }
print(d)  // expect: [0: 9, 1: 7, 2: 8]
let copy = d
d[1] = 70
d[2] = nil
print(copy, d)  // expect: [0: 9, 1: 7, 2: 8] [0: 9, 1: 70]
var ok = ["cod": true, "eel": false]
ok["eel"] = true
var sizes = [1.5: 2.0]
sizes[1.5] = 3.25
sizes[1.5] = 4
print(ok, sizes)  // expect: ["cod": true, "eel": true] [1.5: 4.0]
var mixed: [Double: Int] = [1.0: 10]
mixed[1] = 11
print(mixed)  // expect: [1.0: 11]
func tally(_ words: [String]) -> [String: Int] {
    var seen = [String: Int]()
    for w in words { seen[w] = (seen[w] ?? 0) + 1 }
    return seen
}
print(tally(["a", "b", "a", "a"]))  // expect: ["a": 3, "b": 1]
var t = 0
for i in 0..<30 { t += d[i % 3] ?? 100 }
print(t)  // expect: 1790
// %%
var counts = ["cod": 1]
counts["cod"] = "many"  // expect error: TypeError: cannot assign value of type 'String' to type 'Int?'
