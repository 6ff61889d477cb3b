func parse(_ s: String) -> Int {
    guard let n = Int(s) else { return -1 }
    return n * 2
}
print(parse("21"), parse("x"))  // expect: 42 -1
