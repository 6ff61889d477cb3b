// A trailing closure fills the parameter it follows, even one that is not a function type.
var fns: [() -> Int] = []
for i in 1...3 {
    fns.append { i * 10 }
}
print(fns.map { $0() })  // expect: [10, 20, 30]
var checks: [(Int) -> Bool] = []
checks.append { $0 > 2 }
print(checks[0](5))  // expect: true
