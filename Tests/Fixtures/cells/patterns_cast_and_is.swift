// `catch let e as T`, `catch is T`, and the same patterns in a switch: the value converted to the type, or only tested.
enum PumpError: Error { case clogged, noPower(String) }
struct LeakError: Error { let litres: Double }
func run(_ n: Int) throws -> Int {
    if n == 0 { throw PumpError.clogged }
    if n == 1 { throw PumpError.noPower("fuse") }
    if n == 2 { throw LeakError(litres: 1.5) }
    return n
}
for n in 0...3 {
    do {
        print("ran", try run(n))
    } catch PumpError.clogged {
        print("clogged")
    } catch let e as PumpError {
        print("pump:", e)
    } catch is LeakError {
        print("a leak")
    }
}
// expect: clogged
// expect: pump: noPower("fuse")
// expect: a leak
// expect: ran 3
// %%
do { _ = try run(2) } catch let leak as LeakError where leak.litres > 1 { print("big leak", leak.litres) } catch { print("other") }
// expect: big leak 1.5
// %%
let things: [Any] = ["cod", 2.5, true]
for t in things {
    switch t {
    case is String: print("a String")
    case let d as Double where d > 2: print("a big Double", d)
    default: print("other", t)
    }
}
// expect: a String
// expect: a big Double 2.5
// expect: other true
// %%
class Fish { var name = "fish" }
class Trout: Fish { var spots = 3 }
let fishes: [Fish] = [Fish(), Trout()]
for f in fishes {
    switch f {
    case let t as Trout: print("a trout with", t.spots, "spots")
    default: print("just a", f.name)
    }
}
// expect: just a fish
// expect: a trout with 3 spots
