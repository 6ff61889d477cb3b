func outer() -> Int {
    func inner(_ x: Int) -> Int { x + 1 }
    return inner(41)
}
print(outer())  // expect: 42
