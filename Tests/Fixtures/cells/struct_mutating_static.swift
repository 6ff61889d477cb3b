struct Counter {
    static var made = 0
    static let limit = 3
    var count = 0
    init() { Counter.made += 1 }
    mutating func increment(by step: Int = 1) {
        count += step
        if count > Counter.limit { reset() }
    }
    mutating func reset() { self.count = 0 }
    static func describeMade() -> String { "made \(made)" }
}
var c = Counter()
c.increment()
c.increment(by: 2)
print(c.count)  // expect: 3
c.increment()
print(c.count)  // expect: 0
let d = Counter()
print(Counter.made, Counter.describeMade(), d.count)  // expect: 2 made 2 0
