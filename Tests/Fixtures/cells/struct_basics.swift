struct Fish {
    var name: String
    var length: Double
    var isLong: Bool { length > 50 }
    func describe() -> String { "\(name) is \(length) cm" }
}
let cod = Fish(name: "cod", length: 30)
print(cod)  // expect: Fish(name: "cod", length: 30.0)
print(cod.name, cod.isLong)  // expect: cod false
print(cod.describe())  // expect: cod is 30.0 cm
print("caught: \(cod)")  // expect: caught: Fish(name: "cod", length: 30.0)
cod  // expect: Fish(name: "cod", length: 30.0)
