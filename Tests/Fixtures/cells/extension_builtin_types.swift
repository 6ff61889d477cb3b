extension Int {
    var isEven: Bool { self % 2 == 0 }
    func times(_ text: String) -> String { String(repeating: text, count: self) }
    mutating func double() { self *= 2 }
}
extension Double {
    var rounded1: Double { (self * 10).rounded() / 10 }
}
extension String {
    var shouted: String { uppercased() + "!" }
}
extension Array {
    var middle: Element? { isEmpty ? nil : self[count / 2] }
}
print(4.isEven, 3.times("ab"))  // expect: true ababab
var n = 21
n.double()
print(n)  // expect: 42
print(3.14159.rounded1, "carp".shouted)  // expect: 3.1 CARP!
print([1, 2, 3].middle ?? 0, [Int]().middle == nil)  // expect: 2 true
