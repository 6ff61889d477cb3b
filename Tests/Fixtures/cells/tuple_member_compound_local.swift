// `p.x op= v` on a local tuple changes the element in place; a tuple it was
// copied from keeps its value, an Int literal still becomes a Double, and
// overflow is still an error.
func moved() -> String {
    let start = (x: 1.5, y: 2.0, n: 1)
    var p = start
    p.x += 0.5
    p.y *= 3
    p.x -= 1
    p.n += 41
    p.n %= 40
    return "\(start) \(p)"
}
print(moved())  // expect: (x: 1.5, y: 2.0, n: 1) (x: 1.0, y: 6.0, n: 2)
func steps() -> [(a: Double, b: Int)] {
    var out: [(a: Double, b: Int)] = []
    var q = (a: 0.0, b: 0)
    for i in 0..<3 {
        out.append(q)
        q.a += 0.25
        q.b += i
    }
    out.append(q)
    return out
}
print(steps())  // expect: [(a: 0.0, b: 0), (a: 0.25, b: 0), (a: 0.5, b: 1), (a: 0.75, b: 3)]
func overflow() -> Int {
    var t = (big: Int.max, small: 0)
    t.small += 1
    t.big += t.small  // expect error: OverflowError: arithmetic overflow: 9223372036854775807 + 1 does not fit in an Int
    return t.big
}
print(overflow())
