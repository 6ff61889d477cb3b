struct Fish {
    var name: String
    var length: Double
}
let f = Fish(name: "cod")  // expect error: TypeError: missing argument for parameter 'length' in call
