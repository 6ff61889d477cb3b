import Foundation

extension CoreBuiltins {
    /// Calls a closure argument with one element.
    static func apply(_ f: Callable, _ v: Value, _ rt: Runtime) throws -> Value { try f.invoke(v, rt) }

    static func predicate(_ f: Callable, _ v: Value, _ rt: Runtime) throws -> Bool {
        try isTrue(f.invoke(v, rt))
    }

    /// A predicate closure's result as a Bool.
    static func isTrue(_ r: Value) throws -> Bool {
        guard case .bool(let b) = r else {
            throw CellError.type("the closure must return a Bool, not '\(r.typeName)'")
        }
        return b
    }

    static func registerCollections(_ r: BuiltinRegistry) {
        // Ints or Doubles, as passed (see strideValues).
        let numbers = (Value.self, Value.self, Value.self)
        r.addFunction("stride(from start: Int, to end: Int, by step: Int) -> [Int]",
                      doc: "Numbers from start up to, but not including, end, step apart.",
                      example: "for x in stride(from: 0, to: 10, by: 2) { print(x) }", arguments: numbers) { start, end, step, rt in
            .array(try strideValues(start, end, step, inclusive: false, rt))
        }
        r.addFunction("stride(from start: Int, through end: Int, by step: Int) -> [Int]",
                      doc: "Numbers from start up to and including end, step apart.",
                      example: "stride(from: 0.0, through: 1.0, by: 0.25)", arguments: numbers) { start, end, step, rt in
            .array(try strideValues(start, end, step, inclusive: true, rt))
        }
        r.addFunction("zip(_ first: Any, _ second: Any) -> [(Any, Any)]",
                      doc: "Pairs up the elements of two sequences, stopping at the shorter one.",
                      example: "for (name, score) in zip(names, scores) { print(name, score) }",
                      arguments: (SequenceArgument.self, SequenceArgument.self)) { first, second, rt in
            let x = try first.elements(rt), y = try second.elements(rt)
            try Memory.charge(Memory.values(min(x.count, y.count), each: Memory.valueBytes + Memory.tupleBytes(2)), "these pairs")
            return .array(zip(x, y).map { .tuple(TupleValue([$0, $1])) })
        }

        // Array
        let array = [Value].self
        r.addProperty(on: "Array", "count: Int", doc: "The number of elements.", example: "[1, 2, 3].count",
                      receiver: array) { items, _ in
            .int(items.count)
        }
        r.addProperty(on: "Array", "isEmpty: Bool", doc: "Whether there are no elements.", receiver: array) { items, _ in
            .bool(items.isEmpty)
        }
        r.addProperty(on: "Array", "first: Element?", doc: "The first element, or nil when empty.", receiver: array) { items, _ in
            .optional(items.first)
        }
        r.addProperty(on: "Array", "last: Element?", doc: "The last element, or nil when empty.", receiver: array) { items, _ in
            .optional(items.last)
        }
        r.addProperty(on: "Array", "indices: Range<Int>", doc: "The valid indices, 0..<count.", receiver: array) { items, _ in
            .range(0, items.count, closed: false)
        }
        r.addMutatingMethod(on: "Array", "append(_ element: Element)", doc: "Adds an element at the end.",
                            example: "losses.append(0.42)", receiver: array, arguments: Value.self) { items, element, _ in
            try checkElement(element, joining: items)
            try chargeGrowth(&items, adding: 1)
            items.append(element)
            return .void
        }
        r.addMutatingMethod(on: "Array", "append(contentsOf elements: [Element])",
                            doc: "Adds all elements of another sequence at the end.", receiver: array,
                            arguments: SequenceArgument.self) { items, elements, rt in
            let more = try elements.elements(rt)
            try chargeGrowth(&items, adding: more.count)
            items.append(contentsOf: more)
            return .void
        }
        r.addMutatingMethod(on: "Array", "insert(_ element: Element, at index: Int)",
                            doc: "Inserts an element before the given index.", receiver: array,
                            arguments: (Value.self, Int.self)) { items, element, i, _ in
            try checkElement(element, joining: items)
            try chargeGrowth(&items, adding: 1)
            guard i >= 0 && i <= items.count else {
                throw CellError(.indexError, "insertion index \(i) is out of range for an array of \(items.count) elements")
            }
            items.insert(element, at: i)
            return .void
        }
        r.addMutatingMethod(on: "Array", "remove(at index: Int) -> Element",
                            doc: "Removes and returns the element at index.", receiver: array, arguments: Int.self) { items, i, _ in
            guard i >= 0 && i < items.count else { throw CellError(.indexError, Subscripts.outOfRange(i, items.count)) }
            return items.remove(at: i)
        }
        r.addMutatingMethod(on: "Array", "removeLast() -> Element", doc: "Removes and returns the last element.",
                            receiver: array) { items, _ in
            guard !items.isEmpty else { throw CellError(.indexError, "can't remove the last element from an empty array") }
            return items.removeLast()
        }
        r.addMutatingMethod(on: "Array", "removeFirst() -> Element", doc: "Removes and returns the first element.",
                            receiver: array) { items, _ in
            guard !items.isEmpty else { throw CellError(.indexError, "can't remove the first element from an empty array") }
            return items.removeFirst()
        }
        r.addMutatingMethod(on: "Array", "popLast() -> Element?",
                            doc: "Removes and returns the last element, or nil when empty.", receiver: array) { items, _ in
            .optional(items.popLast())
        }
        r.addMutatingMethod(on: "Array", "removeAll()", doc: "Removes every element.", receiver: array) { items, _ in
            items.removeAll()
            return .void
        }
        r.addMutatingMethod(on: "Array", "removeAll(where shouldRemove: (Element) -> Bool)",
                            doc: "Removes the elements for which the closure returns true.", receiver: array,
                            arguments: FunctionArgument.self) { items, f, rt in
            try chargeGrowth(&items)
            try Memory.charge(Memory.values(items.count), "the elements kept")
            items = try items.filter { !(try predicate(f.function, $0, rt)) }
            return .void
        }
        r.addMutatingMethod(on: "Array", "sort()", doc: "Sorts the array in place, smallest first.", receiver: array) { items, rt in
            items = try Ordering.sorted(items, by: nil, rt)
            return .void
        }
        r.addMutatingMethod(on: "Array", "sort(by areInIncreasingOrder: (Element, Element) -> Bool)",
                            doc: "Sorts the array in place with a comparison closure.", receiver: array,
                            arguments: FunctionArgument.self) { items, f, rt in
            items = try Ordering.sorted(items, by: f.function, rt)
            return .void
        }
        r.addMutatingMethod(on: "Array", "reverse()", doc: "Reverses the array in place.", receiver: array) { items, _ in
            items.reverse()
            return .void
        }
        r.addMutatingMethod(on: "Array", "shuffle(using generator: RandomGenerator? = nil)",
                            doc: "Shuffles the array in place (seeded).", receiver: array,
                            arguments: GeneratorArgument?.self) { items, generator, rt in
            try chargeGrowth(&items)
            try Memory.charge(Memory.values(items.count), "shuffling")
            items = shuffled(items, generator, rt)
            return .void
        }
        r.addMutatingMethod(on: "Array", "swapAt(_ i: Int, _ j: Int)", doc: "Exchanges two elements.", receiver: array,
                            arguments: (Int.self, Int.self)) { items, i, j, _ in
            for k in [i, j] where k < 0 || k >= items.count {
                throw CellError(.indexError, Subscripts.outOfRange(k, items.count))
            }
            items.swapAt(i, j)
            return .void
        }
        r.addMethod(on: "Array", "joined(separator: String = \"\") -> String",
                    doc: "Joins an array of strings.", example: "names.joined(separator: \", \")", receiver: array,
                    arguments: String.self) { items, separator, _ in
            let (bytes, allStrings) = UTF8Copy.joinedLength(items, separator: separator.utf8.count)
            try Memory.charge(Memory.text(bytes), "joining these strings")
            // Into one string of the length charged (`joined` on a [String] measures each piece first).
            if allStrings { return .string(UTF8Copy.join(items, separator: separator, length: bytes)) }
            var out = ""
            out.reserveCapacity(bytes)
            for (i, item) in items.enumerated() {
                if i > 0 { out += separator }
                if case .string(let s) = item { out += s } else { out += try item.text() }
            }
            return .string(out)
        }

        // Dictionary
        let dictionary = OrderedDictionary.self
        r.addProperty(on: "Dictionary", "count: Int", doc: "The number of key-value pairs.", receiver: dictionary) { d, _ in
            .int(d.count)
        }
        r.addProperty(on: "Dictionary", "isEmpty: Bool", doc: "Whether the dictionary is empty.", receiver: dictionary) { d, _ in
            .bool(d.isEmpty)
        }
        r.addProperty(on: "Dictionary", "keys: [Key]", doc: "The keys, in insertion order.", receiver: dictionary) { d, _ in
            .array(d.keys)
        }
        r.addProperty(on: "Dictionary", "values: [Value]", doc: "The values, in insertion order.", receiver: dictionary) { d, _ in
            .array(d.values)
        }
        r.addMutatingMethod(on: "Dictionary", "updateValue(_ value: Value, forKey key: Key) -> Value?",
                            doc: "Stores a value and returns the old one, if any.", receiver: dictionary,
                            arguments: (Value.self, Value.self)) { d, value, key, _ in
            try chargeGrowth(&d, adding: 1)
            let old = d[key]
            d[key] = value
            return .optional(old)
        }
        r.addMutatingMethod(on: "Dictionary", "removeValue(forKey key: Key) -> Value?",
                            doc: "Removes a key and returns its value, if any.", receiver: dictionary,
                            arguments: Value.self) { d, key, _ in
            .optional(d.removeValue(forKey: key))
        }
        r.addMutatingMethod(on: "Dictionary", "removeAll()", doc: "Removes every key.", receiver: dictionary) { d, _ in
            d.removeAll()
            return .void
        }
        r.addMethod(on: "Dictionary", "mapValues(_ transform: (Value) -> Any) -> [Key: Any]",
                    doc: "A dictionary with the same keys and transformed values.", receiver: dictionary,
                    arguments: FunctionArgument.self) { d, f, rt in
            try Memory.charge(Memory.values(d.count, each: Memory.entryBytes), "the new dictionary")
            var out = OrderedDictionary()
            for (k, val) in zip(d.keys, d.values) { out[k] = try apply(f.function, val, rt) }
            return .dictionary(out)
        }

        // Range
        let range = RangeReceiver.self
        r.addProperty(on: "Range", "lowerBound: Int", doc: "The first value.", receiver: range) { v, _ in
            switch v {
            case .ints(let lo, _, _): return .int(lo)
            case .doubles(let lo, _, _): return .double(lo)
            }
        }
        r.addProperty(on: "Range", "upperBound: Int", doc: "The end of the range.", receiver: range) { v, _ in
            switch v {
            case .ints(_, let hi, _): return .int(hi)
            case .doubles(_, let hi, _): return .double(hi)
            }
        }
        r.addProperty(on: "Range", "count: Int", doc: "How many integers the range holds.", receiver: range) { v, _ in
            guard case .ints(let lo, let hi, let closed) = v else {
                throw CellError.type("a Double range has no count")
            }
            let (n, o) = hi.subtractingReportingOverflow(lo)
            if o || (closed && n == Int.max) { throw CellError(.overflowError, "the range is too large to count") }
            return .int(closed ? n + 1 : n)
        }
        r.addProperty(on: "Range", "isEmpty: Bool", doc: "Whether the range holds no values.", receiver: range) { v, _ in
            switch v {
            case .ints(let lo, let hi, let closed): return .bool(closed ? lo > hi : lo >= hi)
            case .doubles(let lo, let hi, let closed): return .bool(closed ? lo > hi : lo >= hi)
            }
        }
        r.addMethod(on: "Range", "contains(_ value: Double) -> Bool", doc: "Whether the value (an Int or a Double) lies in the range.",
                    receiver: range, arguments: Double.self) { v, x, _ in
            switch v {
            case .ints(let lo, let hi, let closed):
                return .bool(x >= Double(lo) && (closed ? x <= Double(hi) : x < Double(hi)))
            case .doubles(let lo, let hi, let closed):
                return .bool(x >= lo && (closed ? x <= hi : x < hi))
            }
        }

        // Every value
        r.addProperty(on: "Any", "description: String", doc: "The value's text form.", receiver: AnyReceiver.self) { v, _ in
            .string(try v.value.text())
        }
    }

    /// Charges, before it happens, the growth of an array by `adding` elements,
    /// or the copy a shared array needs before it can change.
    static func chargeGrowth(_ items: inout [Value], adding: Int = 0) throws {
        try Memory.charge(Memory.growth(of: &items, adding: adding), adding > 0 ? "growing this array" : "copying this array to change it")
    }

    /// An Int value (not a literal, which the lowerer made a Double) added to
    /// an array of Doubles: a type error in Swift, reported here as one.
    static func checkElement(_ element: Value, joining items: [Value]) throws {
        if case .int = element, case .double? = items.first { throw intAmongDoubles() }
    }

    static func intAmongDoubles() -> CellError {
        CellError.type("cannot convert value of type 'Int' to expected argument type 'Double'",
                       notes: ["this array holds Doubles: write Double(n) to add an Int value"])
    }

    static func chargeGrowth(_ d: inout OrderedDictionary, adding: Int = 0) throws {
        try Memory.charge(Memory.growth(of: &d, adding: adding), "growing this dictionary")
    }

    static func strideValues(_ from: Value, _ to: Value, _ by: Value, inclusive: Bool, _ rt: Runtime) throws -> [Value] {
        if case .int(let a) = from, case .int(let b) = to, case .int(let s) = by {
            guard s != 0 else { throw CellError.value("stride step must not be zero") }
            var out: [Value] = []
            var x = a
            while s > 0 ? (inclusive ? x <= b : x < b) : (inclusive ? x >= b : x > b) {
                if out.count & 0xFFFF == 0 {
                    try rt.checkCount(out.count)
                    try Memory.charge(Memory.growth(of: &out, adding: 1 << 16), "these numbers")
                }
                out.append(.int(x))
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
            if out.count & 0xFFFF == 0 {
                try rt.checkCount(out.count)
                try Memory.charge(Memory.growth(of: &out, adding: 1 << 16), "these numbers")
            }
            out.append(.double(x))
            i += 1
        }
        return out
    }
}
