// The same inside functions, which sessions compile to register code.
func fill() -> [Double] {
    var a: [Double] = []
    a.append(2)
    a += [3]
    a.insert(1, at: 0)
    a[2] = 5
    var b = [0.5]
    b.append(1)
    return a + b + [6]
}
print(fill())  // expect: [1.0, 2.0, 5.0, 0.5, 1.0, 6.0]
func totals(_ words: [String]) -> [String: Double] {
    var t: [String: Double] = [:]
    for w in words { t[w, default: 0] += 0.5 }
    t["none"] = 0
    return t
}
print(totals(["a", "b", "a"]))  // expect: ["a": 1.0, "b": 0.5, "none": 0.0]
func mean(_ xs: [Double]) -> Double {
    var ys = xs
    ys.append(4)
    return ys.reduce(0, +) / Double(ys.count)
}
print(mean([1.5, 2.5]))  // expect: 2.6666666666666665
func setOf() -> Set<Double> {
    var s: Set<Double> = [0.5]
    s.insert(2)
    return s
}
print(setOf())  // expect: [0.5, 2.0]
