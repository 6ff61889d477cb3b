class Shape {
    var name: String
    var sides = 0
    init(name: String) { self.name = name }
    func describe() -> String { "\(name) with \(sides) sides" }
}
final class Square: Shape {
    var side: Double
    init(side: Double) {
        self.side = side
        super.init(name: "square")
        sides = 4
    }
    var area: Double { side * side }
    override func describe() -> String { "a " + super.describe() + " of area \(area)" }
}
let shapes: [Shape] = [Shape(name: "blob"), Square(side: 3)]
for s in shapes { print(s.describe()) }
// expect: blob with 0 sides
// expect: a square with 4 sides of area 9.0
// %%
class Circle: Shape {
    func describe() -> String { "round" }  // expect error: SyntaxError: overriding declaration requires an 'override' keyword
}
