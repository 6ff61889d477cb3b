// Functions in variables and as arguments, called from compiled code.
func square(_ x: Int) -> Int { x * x }
func apply(_ f: (Int) -> Int, _ x: Int) -> Int { f(x) }
func sumOf(_ xs: [Int], _ f: (Int) -> Int) -> Int {
    var total = 0
    for x in xs { total += f(x) }
    return total
}
let cube = { (x: Int) -> Int in x * x * x }
print(apply(square, 5), apply(cube, 2))  // expect: 25 8
print(sumOf([1, 2, 3], square))  // expect: 14
print([1, 2, 3].map(square))  // expect: [1, 4, 9]
var op = square
op = cube
print(apply(op, 3))  // expect: 27
