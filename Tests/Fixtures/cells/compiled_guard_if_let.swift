// Optional binding in compiled functions (if let and guard let run on the tree inside them).
func firstEven(_ xs: [Int]) -> Int? {
    for x in xs where x % 2 == 0 { return x }
    return nil
}
func describe(_ xs: [Int]) -> String {
    guard let e = firstEven(xs) else { return "none" }
    if let last = xs.last, last != e { return "\(e) then \(last)" }
    return "\(e)"
}
print(describe([1, 3, 4, 5]))  // expect: 4 then 5
print(describe([1, 3]))  // expect: none
print(describe([2]))  // expect: 2
