// Copies of a struct share their storage until one changes; each change
// through a mutating method, a nested property or an array element leaves
// every other copy as it was.
struct V { var x: Double; var y: Double }
struct P {
    var pos: V
    var vel: V
    mutating func step() { pos.x += vel.x; vel.y = -vel.y }
    mutating func scaled(_ k: Double) -> Double { pos.x *= k; return pos.x }
}
var a = P(pos: V(x: 1, y: 2), vel: V(x: 3, y: 4))
var b = a
b.step()
print(a.pos.x, a.vel.y, b.pos.x, b.vel.y)  // expect: 1.0 4.0 4.0 -4.0
var ps = [a, a]
let snapshot = ps
ps[0].step()
ps[1].pos.y = 9
print(snapshot[0].pos.x, snapshot[1].pos.y, ps[0].pos.x, ps[1].pos.y)  // expect: 1.0 2.0 4.0 9.0
var c = a.pos
c.x = 100
print(a.pos.x, c.x)  // expect: 1.0 100.0
func moved(_ p: P) -> P { var q = p; q.step(); return q }
let d = moved(a)
print(a.pos.x, d.pos.x)  // expect: 1.0 4.0
let inner = ps[0].vel
print(ps[0].scaled(2), ps[1].pos.x, inner.y)  // expect: 8.0 1.0 -4.0
for i in 0..<ps.count { ps[i].step() }
print(ps[0].pos.x, ps[1].pos.x, snapshot[0].pos.x, inner.y)  // expect: 11.0 4.0 1.0 -4.0
