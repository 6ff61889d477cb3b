// A method declared `throws` needs `try` too, as a function does.
enum TankError: Error { case overflow(Int) }
struct Tank {
    var litres = 0
    let capacity = 50
    mutating func fill(_ n: Int) throws {
        if litres + n > capacity { throw TankError.overflow(litres + n) }
        litres += n
    }
    mutating func topUp() throws {
        try fill(capacity - litres)
    }
}
var tank = Tank()
try tank.fill(20)
try tank.topUp()
print(tank.litres)  // expect: 50
do {
    try tank.fill(1)
} catch TankError.overflow(let n) {
    print("overflow:", n)  // expect: overflow: 51
}
print((try? tank.fill(5)) == nil)  // expect: true
// %%
// The variable's type is known from its initializer: refused before anything runs.
print("runs?")
var spare = Tank()
spare.fill(10)  // expect error: SyntaxError: call can throw but is not marked with 'try'; write 'try spare.fill(…)' inside do { … } catch { … }, or 'try?'
// %%
func drain(_ t: Tank) {
    var copy: Tank = t
    copy.fill(1)  // expect error: SyntaxError: call can throw but is not marked with 'try'; write 'try copy.fill(…)' inside do { … } catch { … }, or 'try?'
}
// %%
struct Pond {
    var tanks: [Tank] = []
    mutating func flood() {
        self.refill()  // expect error: SyntaxError: call can throw but is not marked with 'try'; write 'try self.refill(…)' inside do { … } catch { … }, or 'try?'
    }
    mutating func refill() throws {}
}
// %%
struct Pump {
    func start() throws -> String { "on" }
    func run() -> String {
        start()  // expect error: SyntaxError: call can throw but is not marked with 'try'; write 'try start(…)' inside do { … } catch { … }, or 'try?'
    }
}
// %%
// A parameter, a loop over an annotated array and a closure's typed parameter are known too.
print("nothing runs")
func inspect(_ t: Tank) -> Int {
    var probe = t
    probe.topUp()  // expect error: SyntaxError: call can throw but is not marked with 'try'; write 'try probe.topUp(…)' inside do { … } catch { … }, or 'try?'
    return probe.litres
}
// %%
struct Valve {
    func open() throws -> String { "open" }
}
let valves: [Valve] = [Valve(), Valve()]
print("nothing runs")
for v in valves {
    print(v.open())  // expect error: SyntaxError: call can throw but is not marked with 'try'; write 'try v.open(…)' inside do { … } catch { … }, or 'try?'
}
// %%
print("nothing runs")
let states = [Tank()].map { (t: Tank) -> Int in
    var m = t
    m.fill(2)  // expect error: SyntaxError: call can throw but is not marked with 'try'; write 'try m.fill(…)' inside do { … } catch { … }, or 'try?'
    return m.litres
}
// %%
// Where the receiver's type is not known before the cell runs, the call is refused when it is reached.
let tanks = [Tank()]
var first = tanks[0]
print("before")  // expect: before
first.fill(3)  // expect error: SyntaxError: call can throw but is not marked with 'try'; write 'try first.fill(…)' inside do { … } catch { … }, or 'try?'
print(first.litres)
// %%
print(first.litres)  // expect: 0
