// An initializer may hand its work to another initializer of the same type with `self.init(…)`.
struct Tank {
    var litres: Int
    var label: String
    init(litres: Int, label: String) {
        self.litres = litres
        self.label = label
    }
    init(small label: String) {
        self.init(litres: 20, label: label)
    }
    init() {
        self.init(small: "spare")
        litres += 1
    }
}
print(Tank(small: "guppies").litres, Tank().label, Tank().litres)  // expect: 20 spare 21
// A failable initializer passes nil on when the one it delegates to gives nil.
struct Reading {
    var celsius: Double
    init?(celsius: Double) {
        if celsius < -273.15 { return nil }
        self.celsius = celsius
    }
    init?(fahrenheit: Double) {
        self.init(celsius: (fahrenheit - 32) / 1.8)
        print("converted")
    }
}
print(Reading(fahrenheit: 212)!.celsius)  // expect: converted
// expect: 100.0
print(Reading(fahrenheit: -1000) as Any)  // expect: nil
enum Size {
    case small, large
    init(litres: Int) { self = litres < 50 ? .small : .large }
    init?(text: String) {
        guard let n = Int(text) else { return nil }
        self.init(litres: n)
    }
}
print(Size(text: "80")!, Size(text: "lots") as Any)  // expect: large nil
// In a class the other initializer sets the properties of the same object.
class Pump {
    var rate: Double
    var name: String
    init(rate: Double, name: String) {
        self.rate = rate
        self.name = name
    }
    convenience init(name: String) {
        self.init(rate: 1.5, name: name)
    }
}
class BigPump: Pump {
    func describe() -> String { "\(name) at \(rate)" }
}
print(Pump(name: "bubbler").rate, BigPump(name: "turbo").describe())  // expect: 1.5 turbo at 1.5
enum Problem: Error { case negative }
struct Heater {
    var watts: Int
    init(watts: Int) throws {
        if watts < 0 { throw Problem.negative }
        self.watts = watts
    }
    init(kilowatts: Int) throws {
        try self.init(watts: kilowatts * 1000)
    }
}
print(try Heater(kilowatts: 2).watts, (try? Heater(kilowatts: -1)) == nil)  // expect: 2000 true
// %%
// Swift refuses these before anything runs: nothing of the cell is printed.
print("declaring a lamp")
struct Lamp {
    var on: Bool
    init?(on: Bool) {
        if !on { return nil }
        self.on = on
    }
    init() {
        self.init(on: true)  // expect error: TypeError: a non-failable initializer cannot delegate to failable initializer 'init(on:)' written with 'init?'
    }
}
// %%
struct Filter {
    var mesh: Int
    func reset() {
        self.init(mesh: 0)  // expect error: SyntaxError: 'self.init' can only be called inside an initializer
    }
}
// %%
print("declaring a gauge")
struct Gauge {
    var level: Int
    init(level: Int) throws { self.level = level }
    init() { self.init(level: 0) }  // expect error: SyntaxError: call can throw but is not marked with 'try'; write 'try self.init(…)'
}
let g = 1
// %%
// The initializer delegated to may come later in the type, or from an extension.
struct Net {
    var mesh: Int
    init() { self.init(mesh: 2) }
    init(mesh: Int) { self.mesh = mesh }
}
extension Net {
    init(fine: Bool) { self.init(mesh: fine ? 1 : 4) }
}
print(Net().mesh, Net(fine: true).mesh)  // expect: 2 1
