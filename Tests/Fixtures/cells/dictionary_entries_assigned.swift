// `d[k] = v` on a dictionary in compiled code: new keys, replaced values,
// nil removing a key, Int literals into Doubles, copies left alone, in a
// cell's globals and a function's locals.
var d = [String: Int]()
d["cod"] = 3
d["eel"] = 5
d["cod"] = 4
d["eel"] = nil
print(d, d.count)  // expect: ["cod": 4] 1
var e = [Int: Double]()
e[1] = 2
e[2] = 2.5
print(e)  // expect: [1: 2.0, 2: 2.5]
let copy = d
d["pike"] = 1
print(copy, d)  // expect: ["cod": 4] ["cod": 4, "pike": 1]
func labels() -> [Int: String] {
    var m = [Int: String]()
    for i in 0..<3 { m[i] = "v\(i)" }
    m[1] = nil
    return m
}
print(labels())  // expect: [0: "v0", 2: "v2"]
var squares = [Int: Int]()
for i in 0..<2000 { squares[i % 100] = i * i }
print(squares.count, squares[99]!)  // expect: 100 3996001
