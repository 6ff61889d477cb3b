print(true)  // expect: true
print(false)  // expect: false
let n: Int? = nil
print(n == nil)  // expect: true
