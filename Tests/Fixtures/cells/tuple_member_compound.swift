// Compound assignments to tuple members change the tuple in place; copies stay as they were.
var a = (x: 1, y: 2.5)
let b = a
a.x += 4
a.y *= 2
print(a, b)  // expect: (x: 5, y: 5.0) (x: 1, y: 2.5)
func f() -> (Int, Int) {
    var p = (3, 4)
    let g = { p.0 += 10 }
    g()
    p.1 -= 1
    var q = p
    q.0 = 0
    return p
}
print(f())  // expect: (13, 3)
func step(_ ps: [(x: Double, v: Double)]) -> [(x: Double, v: Double)] {
    var out = ps
    for i in 0..<out.count {
        var p = out[i]
        p.v -= 0.5
        p.x += p.v
        out[i] = p
    }
    return out
}
print(step([(x: 0.0, v: 1.0), (x: 1.0, v: 0.0)]))  // expect: [(x: 0.5, v: 0.5), (x: 0.5, v: -0.5)]
func h() {
    let c = (x: 1, y: 2)
    c.x = 3  // expect error: TypeError: cannot assign to value: 'c' is a 'let' constant
}
h()
