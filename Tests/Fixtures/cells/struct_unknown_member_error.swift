struct Fish {
    var name: String
    var length: Double
}
let f = Fish(name: "cod", length: 30)
print(f.lenght)  // expect error: TypeError: value of type 'Fish' has no member 'lenght'; did you mean 'length'?
