let names: [String]? = ["a", "b"]
print(names?.count ?? 0)  // expect: 2
let none: [String]? = nil
print(none?.count ?? 0)  // expect: 0
print(none?.first == nil)  // expect: true
