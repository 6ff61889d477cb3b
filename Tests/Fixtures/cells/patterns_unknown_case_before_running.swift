// When the enum of the value is known (a variable annotated or made with its type, or self inside the enum), a case it does not have stops the cell before anything runs.
enum Tide { case high, low, slack }
let now: Tide = .low
print("checked first")
if case .hgh = now { print("high tide") }  // expect error: TypeError: enum 'Tide' has no case 'hgh'; did you mean 'high'?
// %%
enum Bait {
    case worm, fly(size: Int)
    // Inside the enum, its cases are all known once the enum is declared: the switch may come before them.
    var hook: Int {
        switch self {
        case .worm: return 6
        case .fly(let size): return size
        }
    }
}
print(Bait.fly(size: 12).hook, Bait.worm.hook)  // expect: 12 6
// %%
print("nothing of this cell runs")
enum Net {
    func mesh() -> Int {
        switch self {
        case .fine: return 1
        case .corse: return 9  // expect error: TypeError: enum 'Net' has no case 'corse'; did you mean 'coarse'?
        default: return 0
        }
    }
    case fine, coarse
}
// %%
// The first cell stopped before it ran, so Tide was never declared: declare the enum again.
enum Current { case ebb, flood, slack }
let t: Current = .slack
switch t {
case .ebb, .flood: print("moving")
case .slak: print("still")  // expect error: TypeError: enum 'Current' has no case 'slak'; did you mean 'slack'?
}
