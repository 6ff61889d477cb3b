// `for (i, x) in xs.enumerated()` inside a function: counted over the array
// itself when compiled, the same output as the tree's tuples.
func weighted(_ a: [Int]) -> Int {
    var t = 0
    for (i, x) in a.enumerated() { t += i * x }
    for (_, x) in a.enumerated() where x > 5 { t += x }
    for (i, _) in a.enumerated() { t += i }
    return t
}
print(weighted([5, 6, 7]))  // expect: 36
print(weighted([]))  // expect: 0

func letters(_ s: String) {
    for (i, ch) in s.enumerated() { print(i, ch) }
}
letters("ab")
// expect: 0 a
// expect: 1 b

func grows(_ a: [Int]) -> [Int] {
    var b = a
    // The loop goes over the array as it was; appending inside does not extend it.
    for (i, x) in b.enumerated() {
        b.append(x * 10)
        if i == 1 { break }
    }
    return b
}
print(grows([1, 2, 3]))  // expect: [1, 2, 3, 10, 20]

func nested(_ rows: [[Int]]) -> Int {
    var total = 0
    for (r, row) in rows.enumerated() {
        for (c, v) in row.enumerated() where v != 0 { total += (r + 1) * (c + 1) * v }
    }
    return total
}
print(nested([[1, 0], [0, 2]]))  // expect: 9
// %%
extension Array {
    func enumerated() -> [(Int, Int)] { [(7, 8)] }
}
func mine(_ a: [Int]) {
    for (i, x) in a.enumerated() { print(i, x) }
}
mine([1, 2, 3])  // expect: 7 8
