struct Temperature {
    var celsius: Double
    init(fahrenheit: Double) {
        celsius = (fahrenheit - 32) / 1.8
    }
    init(celsius: Double) {
        self.celsius = celsius
    }
}
print(Temperature(fahrenheit: 212).celsius)  // expect: 100.0
print(Temperature(celsius: 21.5).celsius)  // expect: 21.5
struct Broken {
    var a: Int
    var b: Int
    init(a: Int) { self.a = a }
}
let x = Broken(a: 1)  // expect error: TypeError: the initializer of 'Broken' did not set the property 'b'
