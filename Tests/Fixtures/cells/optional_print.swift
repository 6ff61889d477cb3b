let x: Int? = 5
print(x)  // expect: Optional(5)
let y: Int? = nil
print(y)  // expect: nil
