protocol Describable {
    var summary: String { get }
    mutating func tidy()
}
struct Net: Describable {
    var holes = 3
    var summary: String { "net with \(holes) holes" }
    mutating func tidy() { holes = 0 }
}
class Rod: Describable {
    var length = 2.5
    var summary: String { "rod of \(length) m" }
    func tidy() { length = 2.0 }
}
extension Describable {
    func shout() -> String { summary.uppercased() }
}
var gear: [any Describable] = [Net(), Rod()]
for g in gear { print(g.summary) }
// expect: net with 3 holes
// expect: rod of 2.5 m
print(gear[1].shout())  // expect: ROD OF 2.5 M
var n = Net()
n.tidy()
print(n.summary)  // expect: net with 0 holes
func report(_ item: Describable) -> String { "-> " + item.summary }
print(report(n))  // expect: -> net with 0 holes
// %%
struct Hook: Describable {  // expect error: TypeError: type 'Hook' does not conform to protocol 'Describable'
    var summary: String { "hook" }
}
