// A trailing closure fills the parameter it follows, even one that is not a function type.
var fns: [() -> Int] = []
let base = 10
fns.append { base * 3 }
fns.append { base + 1 }
print(fns.map { $0() })  // expect: [30, 11]
var checks: [(Int) -> Bool] = []
checks.append { $0 > 2 }
print(checks[0](5))  // expect: true
