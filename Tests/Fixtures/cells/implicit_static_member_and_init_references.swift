// `.origin` where a Point is expected is the type's static member, and a
// builtin type's `init` is a function, as in Swift.
struct Point {
    var x: Double
    var y: Double
    static let origin = Point(x: 0, y: 0)
    func distance(to other: Point) -> Double {
        ((x - other.x) * (x - other.x) + (y - other.y) * (y - other.y)).squareRoot()
    }
}
print(Point(x: 3, y: 4).distance(to: .origin))  // expect: 5.0
let start: Point = .origin
print(start.x)  // expect: 0.0
let words = "The quick fox".split(separator: " ").map(String.init)
print(words)  // expect: ["The", "quick", "fox"]
print(["1", "x"].map(Int.init))  // expect: [Optional(1), nil]
// %%
print(Point(x: 1, y: 1).distance(to: .nowhere))  // expect error: TypeError: type 'Point' has no member 'nowhere'
