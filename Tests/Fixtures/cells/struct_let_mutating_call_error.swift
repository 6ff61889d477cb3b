struct Fish {
    var length: Double
    mutating func grow() { length += 1 }
}
var ok = Fish(length: 1)
ok.grow()
print(ok.length)  // expect: 2.0
let fixed = Fish(length: 1)
fixed.grow()  // expect error: TypeError: cannot use mutating member on immutable value: 'fixed' is a 'let' constant
