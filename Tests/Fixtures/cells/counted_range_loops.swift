// `for i in a..<b` and `a...b` count their bounds in place in compiled code
// (no range value made): empty and one-element ranges, the largest Ints,
// `_` as the target, bounds computed from a count, and the errors of
// reversed bounds and a range of Doubles, in a function and in a cell.
func walk(_ xs: [Int]) -> String {
    var out: [Int] = []
    for i in 3...3 { out.append(i) }
    for i in 3..<3 { out.append(-i) }
    for _ in 0..<2 { out.append(0) }
    for i in 1..<xs.count { out.append(xs[i] - xs[i - 1]) }
    var n = 0
    for i in Int.max - 1 ... Int.max { n += 1; _ = i }
    return "\(out) \(n)"
}
print(walk([1, 4, 9, 16]))  // expect: [3, 0, 0, 3, 5, 7] 2
func reversed(_ a: Int, _ b: Int) -> Int {
    var t = 0
    for i in a..<b { t += i }  // expect error: ValueError: range requires lowerBound <= upperBound, but got 5..<2
    return t
}
print(reversed(5, 2))
// %%
var total = 0
for i in 1...4 { total += i * i }
print(total)  // expect: 30
for x in 0.5...2.5 { print(x) }  // expect error: TypeError: for-in loop requires 'ClosedRange<Double>' to be a sequence
