func poly(_ coeffs: [Double], _ x: Double) -> Double {
    var y = 0.0
    for (i, c) in coeffs.enumerated() { y += c * pow(x, Double(i)) }
    return y
}
print(poly([1, 2, 3], 2))  // expect: 17.0
