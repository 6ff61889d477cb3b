func repeated<Item>(_ item: Item, times: Int) -> [Item] {
    var out: [Item] = []
    for _ in 0..<times { out.append(item) }
    return out
}
print(repeated("knock", times: 3))  // expect: ["knock", "knock", "knock"]
func largest<T: Comparable>(_ xs: [T]) -> T? {
    guard var best = xs.first else { return nil }
    for x in xs where x > best { best = x }
    return best
}
print(largest([3, 9, 2])!, largest(["eel", "cod"])!)  // expect: 9 eel
func shareAny<T: Sequence, U: Sequence>(_ a: T, _ b: U) -> Bool where T.Element: Equatable, T.Element == U.Element {
    for x in a { for y in b where x == y { return true } }
    return false
}
print(shareAny([1, 2], [2, 3]), shareAny([1], [4]))  // expect: true false
struct Stack<Element> {
    var items: [Element] = []
    mutating func push(_ x: Element) { items.append(x) }
    mutating func pop() -> Element? { items.popLast() }
}
var s = Stack<String>()
s.push("a")
s.push("b")
print(s.pop()!, s.items)  // expect: b ["a"]
enum Maybe<Wrapped> {
    case nothing
    case just(Wrapped)
}
var m: Maybe<Int> = .nothing
m = .just(100)
print(m)  // expect: just(100)
