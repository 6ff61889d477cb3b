struct Point {
    var x = 0.0
    var y = 0.0
}
var a = Point(x: 1, y: 2)
var b = a
b.x = 10
print(a.x, b.x)  // expect: 1.0 10.0
var row = [a, a]
row[1].y = 5
print(row[0].y, row[1].y, a.y)  // expect: 2.0 5.0 2.0
var byName = ["p": a]
var copy = byName["p"]!
copy.x = 7
byName["q"] = copy
print(byName["p"]!.x, byName["q"]!.x, a.x)  // expect: 1.0 7.0 1.0
let origin = Point()
print(origin)  // expect: Point(x: 0.0, y: 0.0)
