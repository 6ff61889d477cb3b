let x: Any = 3
print(x is Int, x is String)  // expect: true false
let d = 2 as Double
print(d)  // expect: 2.0
print((x as? Int)!)  // expect: 3
