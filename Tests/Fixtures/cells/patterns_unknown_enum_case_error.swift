// A case pattern must name a case the enum has; a misspelt case is an error, not a silent no-match.
enum Catch {
    case fish(Int)
    case weed
    case boot(String)
}
let haul: [Catch] = [.fish(3), .weed, .fish(5), .boot("left")]
for case let .fish(n) in haul { print(n) }  // expect: 3
// expect: 5
if case .weed = haul[1] { print("weed") }  // expect: weed
// %%
for case let .fsh(n) in haul { print(n) }  // expect error: TypeError: enum 'Catch' has no case 'fsh'; did you mean 'fish'?
// %%
let last = haul[3]
if case .wed = last { print("weed") }  // expect error: TypeError: enum 'Catch' has no case 'wed'; did you mean 'weed'?
// %%
if case .boots(let side) = haul[3] { print(side) }  // expect error: TypeError: enum 'Catch' has no case 'boots'; did you mean 'boot'?
// %%
func weigh(_ c: Catch) -> Int {
    // The parameter's enum is known: the misspelt case stops the cell before anything runs.
    switch c {
    case .fish(let n): return n
    case .bot(let s): return s.count  // expect error: TypeError: enum 'Catch' has no case 'bot'; did you mean 'boot'?
    default: return 0
    }
}
print(weigh(.fish(2)))
print(weigh(.boot("x")))
// %%
// A case of another enum is not a case of this one.
enum Plant { case reed, kelp }
if case .kelp = haul[1] { print("kelp") }  // expect error: TypeError: enum 'Catch' has no case 'kelp'
