// Locals of compiled functions: arrays, strings, dictionaries and tuples change in place.
func build(_ n: Int) -> (Int, String, [String: Int]) {
    var xs: [Int] = []
    var s = ""
    var counts: [String: Int] = [:]
    for i in 0..<n {
        xs.append(i * i)
        s += String(i)
        counts[i % 2 == 0 ? "even" : "odd", default: 0] += 1
    }
    xs[0] = -1
    let (a, b) = (xs.count, xs[1])
    return (a + b + xs[0], s, counts)
}
let (total, digits, counts) = build(5)
print(total, digits, counts["even"]!, counts["odd"]!)  // expect: 5 01234 3 2
