// A switch whose cases only return, compute or declare is compiled: enum
// cases binding associated values, several patterns per case (without bindings), guards with
// 'where', a binding declared in one case not seen by the next, and the
// subject evaluated once.
enum Shape {
    case circle(Double)
    case rect(Double, Double)
    case square(side: Double)
    case point
}
func area(_ s: Shape) -> Double {
    switch s {
    case let .circle(r) where r < 0: return -1
    case let .circle(r): return 3 * r * r
    case let .rect(w, h) where w == h: return w * w
    case .rect(let w, let h):
        var a = w * h
        a += w
        return a
    case .square(side: let s): return s * s
    case .point: return 0
    }
}
print(area(.circle(2)), area(.circle(-2)), area(.rect(3, 3)), area(.rect(2, 4)))  // expect: 12.0 -1.0 9.0 10.0
print(area(.square(side: 5)), area(.point))  // expect: 25.0 0.0
var calls = 0
func next() -> Int {
    calls += 1
    return calls
}
func name(_ n: Int) -> String {
    switch n {
    case 1, 3, 5: return "odd"
    case let k where k > 10: return "big \(k)"
    default: return "other"
    }
}
func once() -> String {
    switch next() {
    case 1: return "one"
    case 2: return "two"
    default: return "many"
    }
}
print(name(3), name(11), name(4), once(), once(), once(), calls)  // expect: odd big 11 other one two many 3
