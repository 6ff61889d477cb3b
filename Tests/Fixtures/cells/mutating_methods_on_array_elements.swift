// A mutating method called on an array's element (cs[i].bump(1)) changes that element only:
// copies of the array stay as they were, an error inside the method or in its arguments leaves
// the array whole, elements of different types at one call site each run their own method, and
// methods calling methods on their own elements' arrays nest.
struct Counter {
    var n: Int
    var log: [Int] = []
    mutating func bump(_ by: Double) -> Int {
        n += Int(by)
        log.append(n)
        return n
    }
    mutating func fail(_ i: Int) {
        n += 1
        log.append(log[i])  // expect error: IndexError: index 5 is out of range for an array of 2 elements (valid indices are 0..<2)
    }
}
var cs = [Counter(n: 0), Counter(n: 10)]
let before = cs
print(cs[0].bump(2), cs[1].bump(1))  // expect: 2 11
print(cs[0].n, cs[1].log, before[0].n, before[1].log)  // expect: 2 [11] 0 []
for i in 0..<cs.count { _ = cs[i].bump(1) }
print(cs.map(\.n))  // expect: [3, 12]
// %%
cs[1].fail(5)
// %%
print(cs.map(\.n), cs.count)  // expect: [3, 13] 2
// %%
cs[0].bump("x")  // expect error: TypeError: cannot convert value of type 'String' to expected argument type 'Double'
// %%
print(cs.map(\.n))  // expect: [3, 13]
cs[7].bump(1)  // expect error: IndexError: index 7 is out of range for an array of 2 elements (valid indices are 0..<2)
// %%
protocol Stepper { mutating func step() -> String }
struct A: Stepper { var k = 0; mutating func step() -> String { k += 1; return "A\(k)" } }
struct B: Stepper { var k = 100; mutating func step() -> String { k -= 1; return "B\(k)" } }
var steppers: [any Stepper] = [A(), B(), A()]
var out: [String] = []
for _ in 0..<2 { for i in 0..<steppers.count { out.append(steppers[i].step()) } }
print(out)  // expect: ["A1", "B99", "A1", "A2", "B98", "A2"]
// %%
struct Node {
    var value: Int
    var children: [Node] = []
    mutating func grow(_ depth: Int) {
        value += 1
        if depth > 0 {
            children.append(Node(value: depth))
            for i in 0..<children.count { children[i].grow(depth - 1) }
        }
    }
    func total() -> Int { children.reduce(value) { $0 + $1.total() } }
}
var forest = [Node(value: 0), Node(value: 5)]
for i in 0..<forest.count { forest[i].grow(3) }
print(forest[0].total(), forest[1].total(), forest[0].children.count)  // expect: 10 15 1
// %%
var shared: [Counter] = [Counter(n: 1)]
struct Sneaky {
    var hits = 0
    mutating func peek() { hits += shared.count }
}
var sneaks = [Sneaky()]
sneaks[0].peek()
print(sneaks[0].hits)  // expect: 1
func local() -> [Int] {
    var ls = [Counter(n: 3), Counter(n: 4)]
    for i in 0..<ls.count { _ = ls[i].bump(10) }
    return ls.map(\.n)
}
print(local())  // expect: [13, 14]
