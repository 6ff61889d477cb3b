struct Fish {
    var length: Double
    func grow() { length += 1 }  // expect error: TypeError: cannot assign to property: 'self' is immutable
}
var f = Fish(length: 1)
f.grow()
