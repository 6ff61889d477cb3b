struct Fish {
    var name: String
    var length: Double
}
let f = Fish(name: "cod", length: 30)
print(f.length)  // expect: 30.0
f.length = 40  // expect error: TypeError: cannot assign to property: 'f' is a 'let' constant
