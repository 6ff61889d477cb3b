// `for case` loops match each element against a pattern; `catch` clauses match enum cases.
let readings: [Int?] = [3, nil, 7, nil]
for case let r? in readings { print(r) }
// expect: 3
// expect: 7
var sum = 0
for case let r? in readings where r > 5 { sum += r }
print(sum)  // expect: 7
enum Item {
    case fish(Int)
    case weed
    case boot(size: Int)
}
let items: [Item] = [.fish(2), .weed, .fish(5), .boot(size: 9)]
for case .fish(let n) in items { print("fish", n) }
// expect: fish 2
// expect: fish 5
for case let .boot(size) in items { print("boot", size) }  // expect: boot 9
var fishers: [() -> Int] = []
for case .fish(let n) in items { fishers.append { n } }
print(fishers.map { $0() })  // expect: [2, 5]
for case (let i, .fish(let n)) in items.enumerated() { print(i, n) }
// expect: 0 2
// expect: 2 5
enum PumpError: Error {
    case clogged
    case broken(part: String)
}
func pump(_ n: Int) throws -> Int {
    if n == 1 { throw PumpError.clogged }
    if n == 2 { throw PumpError.broken(part: "valve") }
    if n == 3 { throw "other" }
    return n
}
for n in 0...3 {
    do {
        print(try pump(n))
    } catch PumpError.clogged {
        print("clogged")
    } catch PumpError.broken(let part) {
        print("broken", part)
    } catch {
        print("else", error)
    }
}
// expect: 0
// expect: clogged
// expect: broken valve
// expect: else other
// %%
for case let r? in 42 { print(r) }  // expect error: TypeError: for-in loop requires 'Int' to be a sequence
