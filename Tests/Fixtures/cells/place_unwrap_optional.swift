// Changing the value inside an optional: `!` and `?` in the place being changed, as Swift allows.
var groups: [String: [String]] = ["perch": ["p1"]]
groups["perch"]!.append("p2")
groups["perch"]?.append("p3")
print(groups)  // expect: ["perch": ["p1", "p2", "p3"]]
// %%
groups["trout"]?.append("t1")
print(groups)  // expect: ["perch": ["p1", "p2", "p3"]]
let added = groups["trout"]?.append("t2")
print(added == nil)  // expect: true
// %%
groups["trout"]!.append("t1")  // expect error: NilError: unexpectedly found nil while unwrapping an Optional value
// %%
var lengths: [String: [Double]] = ["cod": [1.5]]
lengths["cod"]!.append(2)
lengths["cod"]?.append(3)
print(lengths)  // expect: ["cod": [1.5, 2.0, 3.0]]
// %%
var count: Int? = 3
count! += 1
print(count!)  // expect: 4
count = nil
count? += 1
print(count == nil)  // expect: true
// %%
var missing: Int? = nil
missing! += 1  // expect error: NilError: unexpectedly found nil while unwrapping an Optional value
// %%
struct Tank { var fish = 0; mutating func add() { fish += 1 } }
var tanks: [String: Tank] = ["reef": Tank()]
tanks["reef"]!.fish += 2
tanks["reef"]?.add()
tanks["pond"]?.fish = 5
print(tanks["reef"]!.fish, tanks.count)  // expect: 3 1
var spare: Tank? = Tank()
spare?.add()
spare!.fish *= 10
print(spare!.fish)  // expect: 10
// %%
func grow(_ d: inout [String: [Int]]) {
    for i in 1...3 { d["a", default: []].append(i) }
    d["a"]!.removeFirst()
}
var d: [String: [Int]] = [:]
grow(&d)
print(d)  // expect: ["a": [2, 3]]
