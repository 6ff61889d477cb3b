extension CoreBuiltins {
    static let sequenceTypes = ["Array", "Range", "String", "Dictionary"]

    /// Methods every sequence has: arrays, ranges, strings and dictionaries.
    static func registerSequences(_ r: BuiltinRegistry) {
        func each(_ decl: String, doc: String, example: String? = nil,
                  _ impl: @escaping (Value, [Value], Arguments, Runtime) throws -> Value) {
            for t in sequenceTypes {
                r.addMethod(on: t, decl, doc: doc, example: example) { v, a, rt in
                    try impl(v, try Sequences.elements(of: v, rt), a, rt)
                }
            }
        }
        each("map(_ transform: (Element) -> Any) -> [Any]", doc: "A new array with the closure applied to each element.",
             example: "[1, 2, 3].map { $0 * 10 }") { _, items, a, rt in
            let f = try a.callable(0)
            var out: [Value] = []
            out.reserveCapacity(items.count)
            for x in items { out.append(try apply(f, x, rt)) }
            return .array(out)
        }
        each("compactMap(_ transform: (Element) -> Any?) -> [Any]",
             doc: "Like map, dropping the nil results.", example: "texts.compactMap { Int($0) }") { _, items, a, rt in
            let f = try a.callable(0)
            var out: [Value] = []
            for x in items {
                let y = try apply(f, x, rt)
                if case .optional(let w) = y { if let w { out.append(w) } } else { out.append(y) }
            }
            return .array(out)
        }
        each("flatMap(_ transform: (Element) -> [Any]) -> [Any]", doc: "Maps each element to an array and joins the arrays.") { _, items, a, rt in
            let f = try a.callable(0)
            var out: [Value] = []
            for x in items { out += try Sequences.elements(of: try apply(f, x, rt), rt) }
            return .array(out)
        }
        each("filter(_ isIncluded: (Element) -> Bool) -> [Element]",
             doc: "The elements for which the closure returns true.", example: "scores.filter { $0 > 0.5 }") { v, items, a, rt in
            let f = try a.callable(0)
            let kept = try items.filter { try predicate(f, $0, rt) }
            switch v {
            case .string: return .string(kept.map(\.description).joined())
            case .dictionary:
                var d = OrderedDictionary()
                for case .tuple(let t) in kept { d[t.elements[0]] = t.elements[1] }
                return .dictionary(d)
            default: return .array(kept)
            }
        }
        each("reduce(_ initial: Any, _ next: (Any, Element) -> Any) -> Any",
             doc: "Combines all elements into one value, starting from initial.",
             example: "[1, 2, 3].reduce(0, +)") { _, items, a, rt in
            var acc = a[0]
            guard case .function(let f) = a[1] else { throw a.mismatch(1, expected: "(Result, Element) -> Result") }
            for x in items { acc = try f.invoke([acc, x], rt) }
            return acc
        }
        each("forEach(_ body: (Element) -> Void)", doc: "Calls the closure on each element.") { _, items, a, rt in
            let f = try a.callable(0)
            for x in items { _ = try apply(f, x, rt) }
            return .void
        }
        each("sorted() -> [Element]", doc: "The elements in increasing order.", example: "[3, 1, 2].sorted()") { _, items, _, rt in
            .array(try Ordering.sorted(items, by: nil, rt))
        }
        each("sorted(by areInIncreasingOrder: (Element, Element) -> Bool) -> [Element]",
             doc: "The elements ordered by a comparison closure.", example: "names.sorted { $0.count < $1.count }") { _, items, a, rt in
            .array(try Ordering.sorted(items, by: try a.callable(0), rt))
        }
        each("reversed() -> [Element]", doc: "The elements in reverse order.") { _, items, _, _ in
            .array(items.reversed())
        }
        each("enumerated() -> [(offset: Int, element: Element)]",
             doc: "Pairs of (offset, element), for `for (i, x) in xs.enumerated()`.") { _, items, _, _ in
            .array(items.enumerated().map { .tuple(TupleValue([.int($0.offset), $0.element], labels: ["offset", "element"])) })
        }
        each("contains(_ element: Element) -> Bool", doc: "Whether the element occurs.") { v, items, a, _ in
            if case .string(let s) = v, case .string(let sub) = a[0] { return .bool(sub.isEmpty || s.contains(sub)) }
            if case .dictionary = v { throw CellError.type("use dictionary.keys.contains(key) to look for a key") }
            return .bool(items.contains(a[0]))
        }
        each("contains(where predicate: (Element) -> Bool) -> Bool",
             doc: "Whether some element satisfies the closure.") { _, items, a, rt in
            let f = try a.callable(0)
            for x in items where try predicate(f, x, rt) { return .bool(true) }
            return .bool(false)
        }
        each("allSatisfy(_ predicate: (Element) -> Bool) -> Bool", doc: "Whether every element satisfies the closure.") { _, items, a, rt in
            let f = try a.callable(0)
            for x in items where !(try predicate(f, x, rt)) { return .bool(false) }
            return .bool(true)
        }
        each("first(where predicate: (Element) -> Bool) -> Element?", doc: "The first element satisfying the closure.") { _, items, a, rt in
            let f = try a.callable(0)
            for x in items where try predicate(f, x, rt) { return .optional(x) }
            return .none
        }
        each("count(where predicate: (Element) -> Bool) -> Int", doc: "How many elements satisfy the closure.",
             example: "labels.count(where: { $0 == \"clownfish\" })") { _, items, a, rt in
            let f = try a.callable(0)
            var n = 0
            for x in items where try predicate(f, x, rt) { n += 1 }
            return .int(n)
        }
        each("firstIndex(of element: Element) -> Int?", doc: "The index of the first equal element.") { _, items, a, _ in
            .optional(items.firstIndex(of: a[0]).map(Value.int))
        }
        each("firstIndex(where predicate: (Element) -> Bool) -> Int?", doc: "The index of the first element satisfying the closure.") { _, items, a, rt in
            let f = try a.callable(0)
            for (i, x) in items.enumerated() where try predicate(f, x, rt) { return .optional(.int(i)) }
            return .none
        }
        each("lastIndex(of element: Element) -> Int?", doc: "The index of the last equal element.") { _, items, a, _ in
            .optional(items.lastIndex(of: a[0]).map(Value.int))
        }
        each("min() -> Element?", doc: "The smallest element, or nil when empty.") { _, items, _, _ in
            .optional(try Ordering.extreme(items, smallest: true))
        }
        each("max() -> Element?", doc: "The largest element, or nil when empty.") { _, items, _, _ in
            .optional(try Ordering.extreme(items, smallest: false))
        }
        each("prefix(_ maxLength: Int) -> [Element]", doc: "The first elements, at most maxLength.") { v, items, a, _ in
            let n = try a.int(0)
            guard n >= 0 else { throw CellError.value("prefix length must not be negative") }
            return sameKind(v, Array(items.prefix(n)))
        }
        each("suffix(_ maxLength: Int) -> [Element]", doc: "The last elements, at most maxLength.") { v, items, a, _ in
            let n = try a.int(0)
            guard n >= 0 else { throw CellError.value("suffix length must not be negative") }
            return sameKind(v, Array(items.suffix(n)))
        }
        each("dropFirst(_ k: Int = 1) -> [Element]", doc: "All but the first k elements.") { v, items, a, _ in
            let n = try a.int(0)
            guard n >= 0 else { throw CellError.value("cannot drop a negative number of elements") }
            return sameKind(v, Array(items.dropFirst(n)))
        }
        each("dropLast(_ k: Int = 1) -> [Element]", doc: "All but the last k elements.") { v, items, a, _ in
            let n = try a.int(0)
            guard n >= 0 else { throw CellError.value("cannot drop a negative number of elements") }
            return sameKind(v, Array(items.dropLast(n)))
        }
        each("shuffled(using generator: RandomGenerator? = nil) -> [Element]",
             doc: "The elements in a random order (seeded).", example: "let order = (0..<10).shuffled()") { _, items, a, rt in
            .array(try shuffled(items, a.optional(0), rt))
        }
        each("randomElement(using generator: RandomGenerator? = nil) -> Element?",
             doc: "A random element, or nil when empty (seeded).") { _, items, a, rt in
            guard !items.isEmpty else { return .none }
            let i = try randomInt(0, items.count - 1, a.optional(0), rt)
            return .optional(items[i])
        }
    }

    /// Strings stay strings when sliced; everything else becomes an array.
    static func sameKind(_ v: Value, _ items: [Value]) -> Value {
        if case .string = v { return .string(items.map(\.description).joined()) }
        return .array(items)
    }
}
