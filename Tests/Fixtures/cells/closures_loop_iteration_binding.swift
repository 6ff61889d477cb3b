// Each iteration of a loop has its own binding: a closure made in it keeps that iteration's values.
var fns: [() -> Int] = []
for i in 1...3 { fns.append { i * 10 } }
print(fns.map { $0() })  // expect: [10, 20, 30]
var labels: [() -> String] = []
for (n, name) in ["cod", "eel"].enumerated() {
    let tag = "\(n):\(name)"
    labels.append { tag }
}
print(labels.map { $0() })  // expect: ["0:cod", "1:eel"]
var counters: [() -> Int] = []
var k = 0
while k < 3 {
    var hits = k * 100
    counters.append { hits += 1; return hits }
    k += 1
}
print(counters[0](), counters[0](), counters[2]())  // expect: 1 2 201
var steps: [() -> Int] = []
repeat {
    let snapshot = k
    steps.append { snapshot }
    k -= 1
} while k > 0
print(steps.map { $0() })  // expect: [3, 2, 1]
// A variable declared outside the loop is shared, as in Swift.
var shared: [() -> Int] = []
var total = 0
for x in [1, 2] { total += x; shared.append { total } }
print(shared.map { $0() })  // expect: [3, 3]
// %%
// Inside a function, with break and continue, and a closure changing the iteration's variable.
func makeAdders() -> [(Int) -> Int] {
    var out: [(Int) -> Int] = []
    for step in 1...10 {
        if step == 2 { continue }
        if step > 4 { break }
        var bonus = 0
        let bump = { bonus += step }
        bump()
        out.append { $0 + bonus }
    }
    return out
}
print(makeAdders().map { $0(100) })  // expect: [101, 103, 104]
var pending: [() -> String] = []
var queue = ["a", "b"]
while let item = queue.popLast() { pending.append { item.uppercased() } }
print(pending.map { $0() })  // expect: ["B", "A"]
outer: for a in 1...3 {
    for b in 1...3 where b > a {
        pending.append { "\(a)\(b)" }
        if b == 3 { continue outer }
    }
}
print(pending.dropFirst(2).map { $0() })  // expect: ["12", "13", "23"]
// %%
for i in 0..<2 {
    let f = { [1, 2][i + 5] }  // expect error: IndexError: index 5 is out of range for an array of 2 elements (valid indices are 0..<2)
    print(f())
}
// %%
// `$0` of an enclosing closure inside such a loop.
print([1, 2].map { var fs: [() -> Int] = []; for i in 0..<2 { let base = $0 * 100; fs.append { base + i } }; return fs.map { $0() } })  // expect: [[100, 101], [200, 201]]
