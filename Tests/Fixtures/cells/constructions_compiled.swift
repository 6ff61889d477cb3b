// `Fish(name: n, length: 2)` in compiled code: the arguments go through the
// machine, the construction (labels, defaults, an initializer's body, Int
// literals into Doubles, every error) is the tree's, in the same order.
struct Fish { var name: String; var length: Double; var tags: [String] = [] }
struct Point { var x: Double; var y: Double }
struct Line { var from: Point; var to: Point }
class Tank {
    var name: String
    var fish: [Fish] = []
    init(name: String, capacity: Int) { self.name = "\(name) (\(capacity))" }
}
struct Ratio {
    var value: Double
    init?(_ a: Int, over b: Int) {
        if b == 0 { return nil }
        value = Double(a) / Double(b)
    }
}
func say(_ s: String) -> String {
    print("say \(s)")
    return s
}
var school = [Fish]()
for i in 0..<4 { school.append(Fish(name: "f\(i)", length: Double(i) * 1.5)) }
print(school.map { $0.length }, school[3].name, school[0].tags)  // expect: [0.0, 1.5, 3.0, 4.5] f3 []
let tagged = Fish(name: say("cod"), length: 7, tags: [say("big")])  // expect: say cod
// expect: say big
print(tagged.length, tagged.tags)  // expect: 7.0 ["big"]
let line = Line(from: Point(x: 1, y: 2), to: Point(x: 3.5, y: -1))
print(line.to.x - line.from.x)  // expect: 2.5
let tank = Tank(name: "reef", capacity: 40)
print(tank.name, tank.fish.count)  // expect: reef (40) 0
print(Ratio(3, over: 4)?.value ?? -1, Ratio(1, over: 0) == nil)  // expect: 0.75 true
func longest(_ n: Int) -> Fish {
    var best = Fish(name: "none", length: 0)
    for i in 0..<n {
        let f = Fish(name: "n\(i)", length: Double((i * 7) % 5))
        if f.length > best.length { best = f }
    }
    return best
}
print(longest(6).name)  // expect: n2
// %%
let bad = Fish(name: "eel", length: "long")  // expect error: TypeError: cannot convert value of type 'String' to expected argument type 'Double'
// %%
let missing = Fish(name: "eel")  // expect error: TypeError: missing argument for parameter 'length' in call
// %%
let order = Fish(length: 2, name: "eel")  // expect error: TypeError: incorrect argument label in call (have 'length:', expected 'name:')
// %%
func broken() -> Fish { Fish(name: say("pike"), size: 3) }  // expect error: TypeError: incorrect argument label in call (have 'size:', expected 'length:')
print(broken().name)  // expect: say pike
