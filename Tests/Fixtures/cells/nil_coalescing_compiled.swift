// `a ?? b` in compiled code: what `a` wraps, else `b`, evaluated only then;
// a value that is not an optional passes as it is (as on the tree); and
// `d[k]` on a dictionary read by the machine.
let ages = ["cod": 3]
func age(_ k: String) -> Int { ages[k] ?? -1 }
print(age("cod"), age("eel"))  // expect: 3 -1
var calls = 0
func side() -> Int { calls += 1; return 9 }
let a = ages["cod"] ?? side()
let b = ages["x"] ?? side()
print(a, b, calls)  // expect: 3 9 1
let n: Int? = nil
print(n ?? 0, (ages["q"] ?? ages["cod"]) ?? 0)  // expect: 0 3
func label(_ x: Int?) -> String { "\(x ?? 100)" }
print(label(nil), label(4))  // expect: 100 4
var counts = [Int: Int]()
for i in 0..<50 { counts[i % 7] = (counts[i % 7] ?? 0) + 1 }
var total = 0
for k in 0..<10 { total += counts[k] ?? 0 }
print(total, counts[0]!, counts[9] == nil)  // expect: 50 8 true
