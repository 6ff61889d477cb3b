extension CoreBuiltins {
    static let sequenceTypes = ["Array", "Range", "String", "Dictionary", "Set"]

    /// Methods every sequence has: arrays, ranges, strings and dictionaries.
    /// Their receiver is the sequence's elements (`SequenceReceiver`).
    static func registerSequences(_ r: BuiltinRegistry) {
        func each<A: ArgumentType>(_ decl: String, doc: String, example: String? = nil, arguments: A.Type,
                                   except: Set<String> = [], _ impl: @escaping (SequenceReceiver, A, Runtime) throws -> Value) {
            for t in sequenceTypes where !except.contains(t) {
                r.addMethod(on: t, decl, doc: doc, example: example, receiver: SequenceReceiver.self, arguments: A.self, impl)
            }
        }
        func each<A: ArgumentType, B: ArgumentType>(_ decl: String, doc: String, example: String? = nil,
                                                    arguments: (A.Type, B.Type),
                                                    _ impl: @escaping (SequenceReceiver, A, B, Runtime) throws -> Value) {
            for t in sequenceTypes {
                r.addMethod(on: t, decl, doc: doc, example: example, receiver: SequenceReceiver.self, arguments: arguments, impl)
            }
        }
        func each(_ decl: String, doc: String, example: String? = nil,
                  _ impl: @escaping (SequenceReceiver, Runtime) throws -> Value) {
            for t in sequenceTypes {
                r.addMethod(on: t, decl, doc: doc, example: example, receiver: SequenceReceiver.self, impl)
            }
        }
        let closure = FunctionArgument.self
        each("map(_ transform: (Element) -> Any) -> [Any]", doc: "A new array with the closure applied to each element.",
             example: "[1, 2, 3].map { $0 * 10 }", arguments: closure) { s, f, rt in
            try Memory.charge(Memory.values(s.items.count), "the mapped array")
            // Written in place, one result per element (an error leaves only those made).
            let n = s.items.count
            let out = try [Value](unsafeUninitializedCapacity: n) { buffer, made in
                guard let base = buffer.baseAddress else { return }
                try f.function.invokeEach(s.items, rt) { _, y in
                    if made < n {
                        (base + made).initialize(to: y)
                        made += 1
                    }
                }
            }
            return .array(out)
        }
        each("compactMap(_ transform: (Element) -> Any?) -> [Any]",
             doc: "Like map, dropping the nil results.", example: "texts.compactMap { Int($0) }", arguments: closure) { s, f, rt in
            var out: [Value] = []
            try Memory.charge(Memory.values(s.items.count), "the mapped array")
            for x in s.items {
                let y = try apply(f.function, x, rt)
                if case .optional(let w) = y { if let w { out.append(w) } } else { out.append(y) }
            }
            return .array(out)
        }
        each("flatMap(_ transform: (Element) -> [Any]) -> [Any]", doc: "Maps each element to an array and joins the arrays.",
             arguments: closure) { s, f, rt in
            var out: [Value] = []
            for x in s.items {
                let more = try Sequences.elements(of: try apply(f.function, x, rt), rt)
                try Memory.charge(Memory.growth(of: &out, adding: more.count), "the joined arrays")
                out += more
            }
            return .array(out)
        }
        each("filter(_ isIncluded: (Element) -> Bool) -> [Element]",
             doc: "The elements for which the closure returns true.", example: "scores.filter { $0 > 0.5 }",
             arguments: closure) { s, f, rt in
            try Memory.charge(Memory.values(s.items.count), "the elements kept")
            // Room for every element (charged already), so that keeping them never copies the array.
            var kept: [Value] = []
            kept.reserveCapacity(s.items.count)
            try f.function.invokeEach(s.items, rt) { x, keep in
                // A Bool read here; anything else is `isTrue`'s error.
                let keeps: Bool
                if case .bool(let b) = keep { keeps = b } else { keeps = try isTrue(keep) }
                if keeps { kept.append(x) }
            }
            switch s.value {
            case .string: return .string(kept.map(\.description).joined())
            case .dictionary:
                var d = OrderedDictionary()
                for case .tuple(let t) in kept { d[t.elements[0]] = t.elements[1] }
                return .dictionary(d)
            case .set: return .set(OrderedSet(kept))
            default: return .array(kept)
            }
        }
        each("reduce(_ initial: Any, _ next: (Any, Element) -> Any) -> Any",
             doc: "Combines all elements into one value, starting from initial.",
             example: "[1, 2, 3].reduce(0, +)", arguments: (Value.self, closure)) { s, initial, next, rt in
            var acc = initial
            var rest = s.items[...]
            // `reduce(0, +)` over Ints: summed here while the sum fits (an
            // overflow or another value goes on through the operator, which reports it).
            if let plus = next.function as? OperatorFunction, plus.op == .add, case .int(var sum) = acc {
                while let x = rest.first, case .int(let n) = x {
                    let (v, overflow) = sum.addingReportingOverflow(n)
                    if overflow { break }
                    sum = v
                    rest = rest.dropFirst()
                }
                acc = .int(sum)
            }
            for x in rest { acc = try next.function.invoke(acc, x, rt) }
            return acc
        }
        each("reduce(into initial: Any, _ update: (inout Any, Element) -> Void) -> Any",
             doc: "Builds one value by changing it in place for each element, starting from initial.",
             example: "names.reduce(into: [:]) { $0[$1, default: 0] += 1 }", arguments: (Value.self, closure)) { s, initial, update, rt in
            var acc = initial
            for x in s.items { try InOut.update(&acc, with: update.function, x, rt) }
            return acc
        }
        each("forEach(_ body: (Element) -> Void)", doc: "Calls the closure on each element.", arguments: closure) { s, f, rt in
            for x in s.items { _ = try apply(f.function, x, rt) }
            return .void
        }
        each("sorted() -> [Element]", doc: "The elements in increasing order.", example: "[3, 1, 2].sorted()") { s, rt in
            .array(try Ordering.sorted(s.items, by: nil, rt))
        }
        each("sorted(by areInIncreasingOrder: (Element, Element) -> Bool) -> [Element]",
             doc: "The elements ordered by a comparison closure.", example: "names.sorted { $0.count < $1.count }",
             arguments: closure) { s, f, rt in
            .array(try Ordering.sorted(s.items, by: f.function, rt))
        }
        each("reversed() -> [Element]", doc: "The elements in reverse order.") { s, _ in
            try Memory.charge(Memory.values(s.items.count), "the reversed array")
            return .array(s.items.reversed())
        }
        each("enumerated() -> [(offset: Int, element: Element)]",
             doc: "Pairs of (offset, element), for `for (i, x) in xs.enumerated()`.") { s, _ in
            try Memory.charge(Memory.values(s.items.count, each: Memory.valueBytes + Memory.tupleBytes(2)), "these pairs")
            return .array(s.items.enumerated().map { .tuple(TupleValue([.int($0.offset), $0.element], labels: ["offset", "element"])) })
        }
        // A range answers contains itself, without listing its values (and over Doubles too: `(0.5...).contains(3.0)`).
        each("contains(_ element: Element) -> Bool", doc: "Whether the element occurs.", arguments: Value.self,
             except: ["Range"]) { s, element, _ in
            if case .string(let text) = s.value, case .string(let sub) = element { return .bool(sub.isEmpty || text.contains(sub)) }
            if case .dictionary = s.value { throw CellError.type("use dictionary.keys.contains(key) to look for a key") }
            return .bool(s.items.contains(element))
        }
        each("contains(where predicate: (Element) -> Bool) -> Bool",
             doc: "Whether some element satisfies the closure.", arguments: closure) { s, f, rt in
            for x in s.items where try predicate(f.function, x, rt) { return .bool(true) }
            return .bool(false)
        }
        each("allSatisfy(_ predicate: (Element) -> Bool) -> Bool", doc: "Whether every element satisfies the closure.",
             arguments: closure) { s, f, rt in
            for x in s.items where !(try predicate(f.function, x, rt)) { return .bool(false) }
            return .bool(true)
        }
        each("first(where predicate: (Element) -> Bool) -> Element?", doc: "The first element satisfying the closure.",
             arguments: closure) { s, f, rt in
            for x in s.items where try predicate(f.function, x, rt) { return .optional(x) }
            return .none
        }
        each("count(where predicate: (Element) -> Bool) -> Int", doc: "How many elements satisfy the closure.",
             example: "labels.count(where: { $0 == \"clownfish\" })", arguments: closure) { s, f, rt in
            var n = 0
            for x in s.items where try predicate(f.function, x, rt) { n += 1 }
            return .int(n)
        }
        each("firstIndex(of element: Element) -> Int?", doc: "The index of the first equal element.",
             arguments: Value.self) { s, element, _ in
            .optional(s.items.firstIndex(of: element).map(Value.int))
        }
        each("firstIndex(where predicate: (Element) -> Bool) -> Int?", doc: "The index of the first element satisfying the closure.",
             arguments: closure) { s, f, rt in
            for (i, x) in s.items.enumerated() where try predicate(f.function, x, rt) { return .optional(.int(i)) }
            return .none
        }
        each("lastIndex(of element: Element) -> Int?", doc: "The index of the last equal element.",
             arguments: Value.self) { s, element, _ in
            .optional(s.items.lastIndex(of: element).map(Value.int))
        }
        each("min() -> Element?", doc: "The smallest element, or nil when empty.") { s, _ in
            .optional(try Ordering.extreme(s.items, smallest: true))
        }
        each("max() -> Element?", doc: "The largest element, or nil when empty.") { s, _ in
            .optional(try Ordering.extreme(s.items, smallest: false))
        }
        for (name, smallest) in [("min", true), ("max", false)] {
            each("\(name)(by areInIncreasingOrder: (Element, Element) -> Bool) -> Element?",
                 doc: "The \(smallest ? "smallest" : "largest") element by a comparison closure, or nil when empty.",
                 example: "names.\(name) { $0.count < $1.count }", arguments: closure) { s, f, rt in
                .optional(try Ordering.extreme(s.items, by: f.function, smallest: smallest, rt))
            }
        }
        each("prefix(_ maxLength: Int) -> [Element]", doc: "The first elements, at most maxLength.", arguments: Int.self) { s, n, _ in
            guard n >= 0 else { throw CellError.value("prefix length must not be negative") }
            return try sameKind(s.value, s.items.prefix(n))
        }
        each("suffix(_ maxLength: Int) -> [Element]", doc: "The last elements, at most maxLength.", arguments: Int.self) { s, n, _ in
            guard n >= 0 else { throw CellError.value("suffix length must not be negative") }
            return try sameKind(s.value, s.items.suffix(n))
        }
        each("dropFirst(_ k: Int = 1) -> [Element]", doc: "All but the first k elements.", arguments: Int.self) { s, n, _ in
            guard n >= 0 else { throw CellError.value("cannot drop a negative number of elements") }
            return try sameKind(s.value, s.items.dropFirst(n))
        }
        each("dropLast(_ k: Int = 1) -> [Element]", doc: "All but the last k elements.", arguments: Int.self) { s, n, _ in
            guard n >= 0 else { throw CellError.value("cannot drop a negative number of elements") }
            return try sameKind(s.value, s.items.dropLast(n))
        }
        each("shuffled(using generator: RandomGenerator? = nil) -> [Element]",
             doc: "The elements in a random order (seeded).", example: "let order = (0..<10).shuffled()",
             arguments: GeneratorArgument?.self) { s, generator, rt in
            try Memory.charge(Memory.values(s.items.count), "the shuffled array")
            return .array(shuffled(s.items, generator, rt))
        }
        each("randomElement(using generator: RandomGenerator? = nil) -> Element?",
             doc: "A random element, or nil when empty (seeded).", arguments: GeneratorArgument?.self) { s, generator, rt in
            guard !s.items.isEmpty else { return .none }
            return .optional(s.items[randomInt(0, s.items.count - 1, generator, rt)])
        }
    }

    /// Strings stay strings when sliced; everything else becomes an array.
    static func sameKind(_ v: Value, _ items: ArraySlice<Value>) throws -> Value {
        try Memory.charge(Memory.values(items.count), "this part")
        if case .string = v { return .string(items.map(\.description).joined()) }
        return .array(Array(items))
    }
}
