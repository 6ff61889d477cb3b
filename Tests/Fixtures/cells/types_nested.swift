// Types declared inside types: used by their simple name inside, by their path outside.
struct Tank {
    enum Kind: String {
        case reef, lake
        var label: String { "a \(rawValue) tank" }
    }
    struct Pump {
        var rate: Double
    }
    var kind: Kind
    var pump = Pump(rate: 1.5)
    func describe() -> String { kind == .reef ? "salty" : "fresh" }
    static func make() -> Tank { Tank(kind: Kind(rawValue: "lake")!) }
}
let t = Tank(kind: .reef)
print(t.describe(), t.kind.label, t.pump.rate)  // expect: salty a reef tank 1.5
let k: Tank.Kind = Tank.Kind.lake
print(k, k == .lake)  // expect: lake true
print(Tank.make().describe())  // expect: fresh
let p = Tank.Pump(rate: 3)
print(p.rate)  // expect: 3.0
print(Tank.Kind(rawValue: "reef")!.label)  // expect: a reef tank
switch k {
case .reef: print("reef")
case .lake: print("lake")  // expect: lake
}
class Aquarium {
    enum Size { case small, large }
    let size: Size
    init(size: Size) { self.size = size }
}
print(Aquarium(size: .large).size == Aquarium.Size.large)  // expect: true
// %%
let bad = Tank.Kinds.reef  // expect error: TypeError: type 'Tank' has no member 'Kinds'
