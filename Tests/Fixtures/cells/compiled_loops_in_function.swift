// Loops inside a function run as compiled code: break, continue, labels, where.
func scan(_ limit: Int) -> [Int] {
    var found: [Int] = []
    outer: for i in 1...limit where i % 2 == 1 {
        var j = 0
        while true {
            j += 1
            if j > i { continue outer }
            if i * j == 15 { found.append(i * 100 + j); break outer }
        }
    }
    var k = 0
    repeat {
        k += 3
        if k == 6 { continue }
        found.append(k)
    } while k < 12
    for _ in 0..<2 { found.append(-1) }
    for x in [7, 8] { found.append(x) }
    return found
}
print(scan(9))  // expect: [503, 3, 9, 12, -1, -1, 7, 8]
