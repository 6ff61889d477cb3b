import Foundation

extension CoreBuiltins {
    /// Calls a closure argument with one element.
    static func apply(_ f: Callable, _ v: Value, _ rt: Runtime) throws -> Value { try f.invoke([v], rt) }

    static func predicate(_ f: Callable, _ v: Value, _ rt: Runtime) throws -> Bool {
        let r = try f.invoke([v], rt)
        guard case .bool(let b) = r else {
            throw CellError.type("the closure must return a Bool, not '\(r.typeName)'")
        }
        return b
    }

    static func registerCollections(_ r: BuiltinRegistry) {
        r.addFunction("stride(from start: Int, to end: Int, by step: Int) -> [Int]",
                      doc: "Numbers from start up to, but not including, end, step apart.",
                      example: "for x in stride(from: 0, to: 10, by: 2) { print(x) }") { a, rt in
            .array(try strideValues(a[0], a[1], a[2], inclusive: false, rt))
        }
        r.addFunction("stride(from start: Int, through end: Int, by step: Int) -> [Int]",
                      doc: "Numbers from start up to and including end, step apart.",
                      example: "stride(from: 0.0, through: 1.0, by: 0.25)") { a, rt in
            .array(try strideValues(a[0], a[1], a[2], inclusive: true, rt))
        }
        r.addFunction("zip(_ first: Any, _ second: Any) -> [(Any, Any)]",
                      doc: "Pairs up the elements of two sequences, stopping at the shorter one.",
                      example: "for (name, score) in zip(names, scores) { print(name, score) }") { a, rt in
            let x = try a.sequence(0, rt), y = try a.sequence(1, rt)
            return .array(zip(x, y).map { .tuple(TupleValue([$0, $1])) })
        }

        // Array
        r.addProperty(on: "Array", "count: Int", doc: "The number of elements.", example: "[1, 2, 3].count") { v, _ in
            .int(arrayItems(v).count)
        }
        r.addProperty(on: "Array", "isEmpty: Bool", doc: "Whether there are no elements.") { v, _ in
            .bool(arrayItems(v).isEmpty)
        }
        r.addProperty(on: "Array", "first: Element?", doc: "The first element, or nil when empty.") { v, _ in
            .optional(arrayItems(v).first)
        }
        r.addProperty(on: "Array", "last: Element?", doc: "The last element, or nil when empty.") { v, _ in
            .optional(arrayItems(v).last)
        }
        r.addProperty(on: "Array", "indices: Range<Int>", doc: "The valid indices, 0..<count.") { v, _ in
            .range(0, arrayItems(v).count, closed: false)
        }
        r.addMutatingMethod(on: "Array", "append(_ element: Element)", doc: "Adds an element at the end.",
                            example: "losses.append(0.42)") { v, a, _ in
            try mutateArray(&v) { $0.append(a[0]) }
            return .void
        }
        r.addMutatingMethod(on: "Array", "append(contentsOf elements: [Element])",
                            doc: "Adds all elements of another sequence at the end.") { v, a, rt in
            let more = try a.sequence(0, rt)
            try mutateArray(&v) { $0.append(contentsOf: more) }
            return .void
        }
        r.addMutatingMethod(on: "Array", "insert(_ element: Element, at index: Int)",
                            doc: "Inserts an element before the given index.") { v, a, _ in
            let i = try a.int(1)
            try mutateArray(&v) { items in
                guard i >= 0 && i <= items.count else {
                    throw CellError(.indexError, "insertion index \(i) is out of range for an array of \(items.count) elements")
                }
                items.insert(a[0], at: i)
            }
            return .void
        }
        r.addMutatingMethod(on: "Array", "remove(at index: Int) -> Element",
                            doc: "Removes and returns the element at index.") { v, a, _ in
            let i = try a.int(0)
            return try mutateArray(&v) { items in
                guard i >= 0 && i < items.count else { throw CellError(.indexError, Subscripts.outOfRange(i, items.count)) }
                return items.remove(at: i)
            }
        }
        r.addMutatingMethod(on: "Array", "removeLast() -> Element", doc: "Removes and returns the last element.") { v, _, _ in
            try mutateArray(&v) { items in
                guard !items.isEmpty else { throw CellError(.indexError, "can't remove the last element from an empty array") }
                return items.removeLast()
            }
        }
        r.addMutatingMethod(on: "Array", "removeFirst() -> Element", doc: "Removes and returns the first element.") { v, _, _ in
            try mutateArray(&v) { items in
                guard !items.isEmpty else { throw CellError(.indexError, "can't remove the first element from an empty array") }
                return items.removeFirst()
            }
        }
        r.addMutatingMethod(on: "Array", "popLast() -> Element?",
                            doc: "Removes and returns the last element, or nil when empty.") { v, _, _ in
            try mutateArray(&v) { .optional($0.popLast()) }
        }
        r.addMutatingMethod(on: "Array", "removeAll()", doc: "Removes every element.") { v, _, _ in
            try mutateArray(&v) { $0.removeAll() }
            return .void
        }
        r.addMutatingMethod(on: "Array", "removeAll(where shouldRemove: (Element) -> Bool)",
                            doc: "Removes the elements for which the closure returns true.") { v, a, rt in
            let f = try a.callable(0)
            try mutateArray(&v) { items in items = try items.filter { !(try predicate(f, $0, rt)) } }
            return .void
        }
        r.addMutatingMethod(on: "Array", "sort()", doc: "Sorts the array in place, smallest first.") { v, _, rt in
            try mutateArray(&v) { items in items = try Ordering.sorted(items, by: nil, rt) }
            return .void
        }
        r.addMutatingMethod(on: "Array", "sort(by areInIncreasingOrder: (Element, Element) -> Bool)",
                            doc: "Sorts the array in place with a comparison closure.") { v, a, rt in
            let f = try a.callable(0)
            try mutateArray(&v) { items in items = try Ordering.sorted(items, by: f, rt) }
            return .void
        }
        r.addMutatingMethod(on: "Array", "reverse()", doc: "Reverses the array in place.") { v, _, _ in
            try mutateArray(&v) { $0.reverse() }
            return .void
        }
        r.addMutatingMethod(on: "Array", "shuffle(using generator: RandomGenerator? = nil)",
                            doc: "Shuffles the array in place (seeded).") { v, a, rt in
            let gen = a.optional(0)
            try mutateArray(&v) { items in items = try shuffled(items, gen, rt) }
            return .void
        }
        r.addMutatingMethod(on: "Array", "swapAt(_ i: Int, _ j: Int)", doc: "Exchanges two elements.") { v, a, _ in
            let i = try a.int(0), j = try a.int(1)
            try mutateArray(&v) { items in
                for k in [i, j] where k < 0 || k >= items.count {
                    throw CellError(.indexError, Subscripts.outOfRange(k, items.count))
                }
                items.swapAt(i, j)
            }
            return .void
        }
        r.addMethod(on: "Array", "joined(separator: String = \"\") -> String",
                    doc: "Joins an array of strings.", example: "names.joined(separator: \", \")") { v, a, _ in
            .string(arrayItems(v).map(\.description).joined(separator: try a.string(0)))
        }

        // Dictionary
        r.addProperty(on: "Dictionary", "count: Int", doc: "The number of key-value pairs.") { v, _ in
            .int(dict(v).count)
        }
        r.addProperty(on: "Dictionary", "isEmpty: Bool", doc: "Whether the dictionary is empty.") { v, _ in
            .bool(dict(v).isEmpty)
        }
        r.addProperty(on: "Dictionary", "keys: [Key]", doc: "The keys, in insertion order.") { v, _ in
            .array(dict(v).keys)
        }
        r.addProperty(on: "Dictionary", "values: [Value]", doc: "The values, in insertion order.") { v, _ in
            .array(dict(v).values)
        }
        r.addMutatingMethod(on: "Dictionary", "updateValue(_ value: Value, forKey key: Key) -> Value?",
                            doc: "Stores a value and returns the old one, if any.") { v, a, _ in
            try mutateDict(&v) { d in
                let old = d[a[1]]
                d[a[1]] = a[0]
                return .optional(old)
            }
        }
        r.addMutatingMethod(on: "Dictionary", "removeValue(forKey key: Key) -> Value?",
                            doc: "Removes a key and returns its value, if any.") { v, a, _ in
            try mutateDict(&v) { .optional($0.removeValue(forKey: a[0])) }
        }
        r.addMutatingMethod(on: "Dictionary", "removeAll()", doc: "Removes every key.") { v, _, _ in
            try mutateDict(&v) { $0.removeAll() }
            return .void
        }
        r.addMethod(on: "Dictionary", "mapValues(_ transform: (Value) -> Any) -> [Key: Any]",
                    doc: "A dictionary with the same keys and transformed values.") { v, a, rt in
            let f = try a.callable(0)
            let d = dict(v)
            var out = OrderedDictionary()
            for (k, val) in zip(d.keys, d.values) { out[k] = try apply(f, val, rt) }
            return .dictionary(out)
        }

        // Range
        r.addProperty(on: "Range", "lowerBound: Int", doc: "The first value.") { v, _ in
            if case .range(let lo, _, _) = v { return .int(lo) }
            if case .doubleRange(let lo, _, _) = v { return .double(lo) }
            return .void
        }
        r.addProperty(on: "Range", "upperBound: Int", doc: "The end of the range.") { v, _ in
            if case .range(_, let hi, _) = v { return .int(hi) }
            if case .doubleRange(_, let hi, _) = v { return .double(hi) }
            return .void
        }
        r.addProperty(on: "Range", "count: Int", doc: "How many integers the range holds.") { v, _ in
            guard case .range(let lo, let hi, let closed) = v else {
                throw CellError.type("a Double range has no count")
            }
            let (n, o) = hi.subtractingReportingOverflow(lo)
            if o || (closed && n == Int.max) { throw CellError(.overflowError, "the range is too large to count") }
            return .int(closed ? n + 1 : n)
        }
        r.addProperty(on: "Range", "isEmpty: Bool", doc: "Whether the range holds no values.") { v, _ in
            if case .range(let lo, let hi, let closed) = v { return .bool(closed ? lo > hi : lo >= hi) }
            if case .doubleRange(let lo, let hi, let closed) = v { return .bool(closed ? lo > hi : lo >= hi) }
            return .bool(true)
        }
        r.addMethod(on: "Range", "contains(_ value: Int) -> Bool", doc: "Whether the value lies in the range.") { v, a, _ in
            let x = try a.double(0)
            switch v {
            case .range(let lo, let hi, let closed):
                return .bool(x >= Double(lo) && (closed ? x <= Double(hi) : x < Double(hi)))
            case .doubleRange(let lo, let hi, let closed):
                return .bool(x >= lo && (closed ? x <= hi : x < hi))
            default: return .bool(false)
            }
        }

        // Every value
        r.addProperty(on: "Any", "description: String", doc: "The value's text form.") { v, _ in .string(v.description) }
    }

    static func arrayItems(_ v: Value) -> [Value] {
        if case .array(let items) = v { return items }
        return []
    }

    static func dict(_ v: Value) -> OrderedDictionary {
        if case .dictionary(let d) = v { return d }
        return OrderedDictionary()
    }

    /// Mutates an array value in place without copying its storage.
    static func mutateArray<R>(_ v: inout Value, _ body: (inout [Value]) throws -> R) throws -> R {
        guard case .array(var items) = v else { throw CellError.type("expected an array, got '\(v.typeName)'") }
        v = .void
        defer { v = .array(items) }
        return try body(&items)
    }

    static func mutateDict<R>(_ v: inout Value, _ body: (inout OrderedDictionary) throws -> R) throws -> R {
        guard case .dictionary(var d) = v else { throw CellError.type("expected a dictionary, got '\(v.typeName)'") }
        v = .void
        defer { v = .dictionary(d) }
        return try body(&d)
    }

    static func strideValues(_ from: Value, _ to: Value, _ by: Value, inclusive: Bool, _ rt: Runtime) throws -> [Value] {
        if case .int(let a) = from, case .int(let b) = to, case .int(let s) = by {
            guard s != 0 else { throw CellError.value("stride step must not be zero") }
            var out: [Value] = []
            var x = a
            while s > 0 ? (inclusive ? x <= b : x < b) : (inclusive ? x >= b : x > b) {
                out.append(.int(x))
                if out.count & 0xFFFF == 0 { try rt.checkCount(out.count) }
                let (n, o) = x.addingReportingOverflow(s)
                if o { break }
                x = n
            }
            return out
        }
        let a = try Numbers.double(from, at: .unknown), b = try Numbers.double(to, at: .unknown)
        let s = try Numbers.double(by, at: .unknown)
        guard s != 0, s.isFinite else { throw CellError.value("stride step must be a finite, non-zero number") }
        var out: [Value] = []
        var i = 0.0
        while true {
            let x = a + i * s
            if s > 0 ? (inclusive ? x > b : x >= b) : (inclusive ? x < b : x <= b) { break }
            out.append(.double(x))
            if out.count & 0xFFFF == 0 { try rt.checkCount(out.count) }
            i += 1
        }
        return out
    }
}
