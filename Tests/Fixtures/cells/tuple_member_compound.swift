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
// %%
// One place meets tuples whose labels sit in different orders, nested tuples and array elements.
func bump(_ items: [(x: Int, y: Int)]) -> [(x: Int, y: Int)] {
    var out = items
    for i in 0..<out.count { out[i].y += 100 }
    return out
}
print(bump([(x: 1, y: 2), (x: 3, y: 4)]))  // expect: [(x: 1, y: 102), (x: 3, y: 104)]
func shift(_ p: (a: Int, b: Int)) -> (a: Int, b: Int) {
    var q = p
    q.b += 1
    return q
}
print(shift((a: 1, b: 2)), shift((b: 5, a: 6)))  // expect: (a: 1, b: 3) (a: 6, b: 6)
var body = (pos: (x: 0.0, y: 0.0), vel: (x: 1.5, y: -2.0))
let saved = body
for _ in 0..<2 {
    body.pos.x += body.vel.x
    body.pos.y += body.vel.y
}
print(body.pos, saved.pos)  // expect: (x: 3.0, y: -4.0) (x: 0.0, y: 0.0)
func wrong() {
    var p = (x: 1.0, y: 2.0)
    for _ in 0..<3 { p.x += 1 }
    print(p.x)
    p.y = "far"  // expect error: TypeError: cannot assign value of type 'String' to type 'Double'
}
wrong()  // expect: 4.0
