// A failable initializer `init?` gives nil when it returns nil; an initializer that `throws` needs `try`.
struct Tank {
    var litres: Int
    init?(litres: Int) {
        if litres <= 0 { return nil }
        self.litres = litres
    }
}
print(Tank(litres: 0) as Any)  // expect: nil
print(Tank(litres: 40)!.litres)  // expect: 40
if let t = Tank(litres: 12) { print("tank of", t.litres) }  // expect: tank of 12
let tanks = [5, -1, 8].compactMap { Tank(litres: $0) }
print(tanks.map { $0.litres })  // expect: [5, 8]
enum Grade {
    case small, large
    init?(litres: Int) {
        if litres < 0 { return nil }
        self = litres < 50 ? .small : .large
    }
}
print(Grade(litres: 70)!, Grade(litres: -3) as Any)  // expect: large nil
class Pump {
    let rate: Double
    init?(rate: Double) {
        guard rate > 0 else { return nil }
        self.rate = rate
    }
}
print(Pump(rate: -1) == nil, Pump(rate: 2)!.rate)  // expect: true 2.0
enum FilterError: Error { case tooFine(Int) }
struct Filter {
    let mesh: Int
    init(mesh: Int) throws {
        if mesh < 10 { throw FilterError.tooFine(mesh) }
        self.mesh = mesh
    }
}
do {
    let ok = try Filter(mesh: 20)
    print(ok.mesh)  // expect: 20
    _ = try Filter(mesh: 2)
} catch FilterError.tooFine(let m) {
    print("too fine:", m)  // expect: too fine: 2
}
print((try? Filter(mesh: 1)) == nil)  // expect: true
// %%
let f = Filter(mesh: 30)  // expect error: SyntaxError: call can throw but is not marked with 'try'; write 'try Filter(…)' inside do { … } catch { … }, or 'try?'
// %%
struct Net {
    var holes: Int
    init(holes: Int) {
        if holes < 0 { return nil }  // expect error: SyntaxError: only a failable initializer can return 'nil'
        self.holes = holes
    }
}
