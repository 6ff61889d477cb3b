// A struct's memberwise initializer with every argument given in order takes
// each into its property, checked against the property's type; other calls
// (a default left out, labels out of order, a wrong type) as before.
struct Fish { var name: String; var length: Double; var count = 1; let kind = "fish" }
var fish = [Fish]()
for i in 0..<4 { fish.append(Fish(name: "f\(i)", length: Double(i) * 1.5)) }
fish.append(Fish(name: "big", length: 10, count: 3))
var total = 0.0
for f in fish { total += f.length * Double(f.count) }
print(total, fish[4], fish[0].kind)  // expect: 39.0 Fish(name: "big", length: 10.0, count: 3, kind: "fish") fish
func make(_ n: Int) -> Fish { Fish(name: "n\(n)", length: 2, count: n) }
print(make(2).count, make(5).length)  // expect: 2 2.0
struct P { var x: Int; var y: Int }
print(P(x: 1, y: 2))  // expect: P(x: 1, y: 2)
print(P(y: 2, x: 1))  // expect error: TypeError: incorrect argument label in call (have 'y:', expected 'x:')
