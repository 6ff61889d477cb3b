// A throwing mutating method called on an array's element: the change it made before
// throwing stays (as Swift writes 'self' back), do/catch and try? see the error, and the
// array stays whole; a call without 'try' is refused.
enum TankError: Error { case overflow(Int) }
struct Tank {
    var level: Int
    mutating func fill(_ n: Int) throws {
        level += n
        if level > 10 { throw TankError.overflow(level) }
    }
}
var tanks = [Tank(level: 1), Tank(level: 8)]
for i in 0..<tanks.count {
    do {
        try tanks[i].fill(3)
    } catch TankError.overflow(let l) {
        print("tank \(i) overflowed at \(l)")  // expect: tank 1 overflowed at 11
    }
}
print(tanks.map(\.level))  // expect: [4, 11]
func fillAll() throws {
    for i in 0..<tanks.count { try tanks[i].fill(1) }
}
do { try fillAll() } catch { print("stopped:", error) }  // expect: stopped: overflow(12)
print(tanks.map(\.level))  // expect: [5, 12]
let r = try? tanks[0].fill(100)
print(r as Any, tanks.map(\.level))  // expect: nil [105, 12]
// %%
tanks[0].fill(1)  // expect error: SyntaxError: call can throw but is not marked with 'try'; write 'try tanks[0].fill(…)' inside do { … } catch { … }, or 'try?'
