// Chains of members read in one step and changed in place: copies stay independent,
// computed properties, tuples and class instances on the way still work.
struct Vec {
    var x: Double
    var y: Double
    var length: Double { (x * x + y * y).squareRoot() }
}
struct Particle {
    var position: Vec
    var velocity: Vec
    var tag: (id: Int, name: String)
    mutating func step(_ dt: Double) {
        position.x += velocity.x * dt
        position.y += velocity.y * dt
        if position.x > 1 { velocity.x = -velocity.x }
    }
    func speed() -> Double { velocity.length }
    func label() -> String { "\(tag.name) #\(tag.id)" }
}
var a = Particle(position: Vec(x: 0, y: 0), velocity: Vec(x: 3, y: 4), tag: (id: 7, name: "cod"))
let b = a
a.step(0.5)
print(a.position.x, a.position.y, b.position.x)  // expect: 1.5 2.0 0.0
a.step(0.5)
print(a.position.x, a.velocity.x, b.velocity.x)  // expect: 0.0 -3.0 3.0
print(a.speed(), a.velocity.length, b.label())  // expect: 5.0 5.0 cod #7
var ps = [a, b]
let before = ps
for i in 0..<ps.count { ps[i].step(1) }
print(ps[0].position.x, ps[1].position.x, before[0].position.x, before[1].position.x)  // expect: -3.0 3.0 0.0 0.0
var c = a
c.position.x += 10
c.position.y -= 1
print(a.position.x, c.position.x, c.position.y)  // expect: 0.0 10.0 3.0
// %%
// A class on the way: changed through every reference.
final class Tank {
    var water: Vec
    init(water: Vec) { self.water = water }
}
struct Lab {
    var tank: Tank
    var offset: Vec
    mutating func fill() {
        tank.water.x += 1
        offset.x += tank.water.x
    }
}
let shared = Tank(water: Vec(x: 0, y: 0))
var lab = Lab(tank: shared, offset: Vec(x: 0, y: 0))
let copy = lab
lab.fill()
lab.fill()
print(shared.water.x, lab.offset.x, copy.offset.x, copy.tank.water.x)  // expect: 2.0 3.0 0.0 2.0
// %%
// A member that is not there, on the way down a chain.
struct Box { var inner: Vec }
let box = Box(inner: Vec(x: 1, y: 2))
print(box.inner.z)  // expect error: TypeError: value of type 'Vec' has no member 'z'; did you mean 'x'?
