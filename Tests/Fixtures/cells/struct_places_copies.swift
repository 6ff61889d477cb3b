// Changes through nested properties and array elements keep copies independent.
struct Vec {
    var x: Double
    var y: Double
}
struct Body {
    var position: Vec
    var velocity: Vec
    var trail: [Double] = []
    mutating func step(_ dt: Double) {
        position.x += velocity.x * dt
        position.y += velocity.y * dt
        trail.append(position.x)
        if position.x > 1 { velocity.x = -velocity.x }
    }
    func speed() -> Double { velocity.x * velocity.x + velocity.y * velocity.y }
}
var bodies = [Body(position: Vec(x: 0, y: 0), velocity: Vec(x: 4, y: 1))]
let before = bodies[0]
var alias = bodies
for _ in 0..<3 { bodies[0].step(0.5) }
print(bodies[0].position.x, bodies[0].velocity.x, bodies[0].trail)  // expect: -2.0 -4.0 [2.0, 0.0, -2.0]
print(before.position.x, alias[0].position.x, alias[0].trail)  // expect: 0.0 0.0 []
bodies[0].position.y = 9
bodies[0].trail[1] += 0.5
print(bodies[0].position, bodies[0].trail)  // expect: Vec(x: -2.0, y: 9.0) [2.0, 0.5, -2.0]
print(bodies[0].speed(), alias[0].speed())  // expect: 17.0 17.0
func simulate(_ start: Body, steps: Int) -> (Body, Body) {
    var b = start
    var kept = b
    var flock = [b, b]
    for _ in 0..<steps {
        b.step(0.25)
        flock[1].step(1)
    }
    kept.velocity.y -= 1
    flock[0].position.x = -1
    return (b, flock[1])
}
let (moved, other) = simulate(before, steps: 2)
print(moved.position.x, moved.trail, other.position.x, other.velocity.x)  // expect: 2.0 [1.0, 2.0] 0.0 -4.0
print(before.position.x, before.velocity.y)  // expect: 0.0 1.0
