// One switch meets enum values of two types with the same case names, an
// optional, and a case whose values are bound as one tuple.
enum Light {
    case off
    case on(Double)
    case pair(Int, Int)
}
enum Door {
    case closed
    case open(Double)
}
protocol Thing {}
extension Light: Thing {}
extension Door: Thing {}
func name(_ x: Any) -> String {
    switch x {
    case Light.off: return "light off"
    case let Light.on(level): return "light \(level)"
    case let Light.pair(both): return "pair \(both)"
    default: return "other"
    }
}
func level(_ l: Light) -> Double {
    switch l {
    case .off: return 0
    case let .on(v): return v
    case let .pair(a, _): return Double(a)
    }
}
func doorLevel(_ d: Door?) -> Double {
    switch d {
    case .closed: return 0
    case let .open(v): return v
    default: return -2
    }
}
print(level(.off), level(.on(0.5)), level(.pair(3, 4)))  // expect: 0.0 0.5 3.0
print(doorLevel(.closed), doorLevel(.open(2.5)))  // expect: 0.0 2.5
print(name(Light.pair(1, 2)), name(Door.open(1)), name(Light.on(1)))  // expect: pair (1, 2) other light 1.0
let nan = 0.0 / 0.0
print(nan < 1, nan == nan, 2.5 > 1, 0.5 * 4 < 3)  // expect: false false true true
