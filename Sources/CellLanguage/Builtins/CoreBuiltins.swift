import CellIO
import Foundation

/// The core builtins every cell has: printing, input, numbers, conversions
/// and collections. Each declaration carries its documentation.
enum CoreBuiltins {
    static func register(in r: BuiltinRegistry) {
        registerTypes(r)
        registerIO(r)
        registerStops(r)
        registerConversions(r)
        registerMath(r)
        registerCollections(r)
        registerSequences(r)
        registerSets(r)
        registerStrings(r)
        registerNumbers(r)
        registerRandom(r)
    }

    static func registerTypes(_ r: BuiltinRegistry) {
        r.addType("Int", doc: "A whole number, such as 42 or -7.")
        r.addType("Double", doc: "A number with a fractional part, such as 0.25.")
        r.addType("Bool", doc: "true or false.")
        r.addType("String", doc: "Text, such as \"clownfish\".")
        r.addType("Array", doc: "An ordered list of values, such as [1, 2, 3].")
        r.addType("Dictionary", doc: "Values looked up by key, such as [\"clownfish\": 12].")
        r.addType("RandomGenerator", doc: "A seeded source of random numbers: the same seed gives the same numbers.")
    }

    /// Swift's ways to stop a program that reached a state it cannot go on
    /// from. In a cell they stop the cell with a `FatalError` and the message,
    /// as Swift prints it ("Precondition failed: …"); the kernel goes on.
    static func registerStops(_ r: BuiltinRegistry) {
        func stop(_ what: String, _ message: String) -> CellError {
            CellError(.fatalError, message.isEmpty ? what : "\(what): \(message)")
        }
        // (name, what Swift prints, doc, example)
        let checks = [
            ("precondition", "Precondition failed", "Stops the cell with the message when the condition does not hold.",
             "precondition(epochs > 0, \"train for at least one epoch\")"),
            ("assert", "Assertion failed",
             "Stops the cell with the message when the condition does not hold (Shoal checks every assert).",
             "assert(train.count + test.count == photos.count)"),
        ]
        for (name, what, doc, example) in checks {
            r.addFunction("\(name)(_ condition: Bool, _ message: String = \"\")", doc: doc, example: example,
                          arguments: (Bool.self, String.self)) { condition, message, _ in
                if condition { return .void }
                throw stop(what, message)
            }
        }
        let failures = [
            ("fatalError", "Fatal error", "Stops the cell with the message: for a state the code cannot go on from.",
             "guard let best = scores.max() else { fatalError(\"no scores\") }"),
            ("preconditionFailure", "Precondition failed", "Stops the cell with the message, as a precondition that failed.",
             "preconditionFailure(\"unknown species\")"),
            ("assertionFailure", "Assertion failed", "Stops the cell with the message, as an assert that failed.",
             "assertionFailure(\"unknown species\")"),
        ]
        for (name, what, doc, example) in failures {
            r.addFunction("\(name)(_ message: String = \"\")", doc: doc, example: example, arguments: String.self) { message, _ in
                throw stop(what, message)
            }
        }
    }

    static func registerIO(_ r: BuiltinRegistry) {
        r.addFunction("print(_ items: Any..., separator: String = \" \", terminator: String = \"\\n\")",
                      doc: "Writes the items' text to standard output.",
                      example: "print(\"accuracy:\", 0.93)", arguments: ([Value].self, String.self, String.self)) { items, separator, terminator, rt in
            try OutputText.print(items, separator: separator, terminator: terminator, to: .stdout, rt)
            return .void
        }
        r.addFunction("readLine() -> String?",
                      doc: "Reads one line typed by the user (the notebook asks for it).",
                      example: "let name = readLine() ?? \"\"") { _, rt in
            guard let line = rt.output.readLine(prompt: "") else {
                throw CellError(.inputError, "readLine() needs typed input, but this front end does not allow input")
            }
            return .optional(.string(line))
        }
        r.addFunction("warn(_ items: Any..., separator: String = \" \")",
                      doc: "Writes a warning to standard error, for things a person should act on.",
                      example: "warn(\"3 photos could not be read\")", arguments: ([Value].self, String.self)) { items, separator, rt in
            try OutputText.print(items, separator: separator, terminator: "\n", to: .stderr, rt)
            return .void
        }
        r.addFunction("display(_ value: Any)",
                      doc: "Shows a value in the notebook now, in its richest form, without waiting for the end of the cell.",
                      example: "display(history)", arguments: Value.self) { value, rt in
            rt.output.display(value.display, id: nil, update: false)
            return .void
        }
        r.addFunction("display(_ value: Any, id: String)",
                      doc: "Shows a value under a display id, so that updateDisplay(_:id:) can replace it in place.",
                      example: "display(\"epoch 1 of 20\", id: \"progress\")", arguments: (Value.self, String.self)) { value, id, rt in
            rt.output.display(value.display, id: id, update: false)
            return .void
        }
        r.addFunction("updateDisplay(_ value: Any, id: String)",
                      doc: "Replaces the display shown with the same id (the saved notebook keeps the last one).",
                      example: "updateDisplay(\"epoch 2 of 20\", id: \"progress\")", arguments: (Value.self, String.self)) { value, id, rt in
            rt.output.display(value.display, id: id, update: true)
            return .void
        }
        r.addFunction("clearOutput(wait: Bool = false)",
                      doc: "Clears the cell's output so far (with wait: true, when the next output arrives).",
                      example: "clearOutput(wait: true)", arguments: Bool.self) { wait, rt in
            rt.output.clearOutput(wait: wait)
            return .void
        }
        r.addFunction("help(_ value: Any)",
                      doc: "Shows the documentation of a builtin, a function or a value's type in the pager.",
                      example: "help(stride)", arguments: Value.self) { value, rt in
            rt.output.page(CoreBuiltins.helpText(value, rt))
            return .void
        }
        r.addFunction("type(of value: Any) -> Any.Type",
                      doc: "The type of a value.", example: "type(of: 3.5)   // Double", arguments: Value.self) { value, _ in
            .type(value.typeName)
        }
    }

    static func registerConversions(_ r: BuiltinRegistry) {
        r.addFunction("Int(_ value: Double) -> Int",
                      doc: "Converts a Double to an Int, dropping the fractional part.",
                      example: "Int(3.9)   // 3", arguments: NumberArgument.self) { value, _ in
            switch value {
            case .int(let i): return .int(i)
            case .double(let d):
                // Int(exactly:) of the truncated value: nil for NaN, infinity and anything from 2⁶³ up
                // (9.3e18 was let through and trapped the kernel).
                guard let i = Int(exactly: d.rounded(.towardZero)) else {
                    throw CellError.value("Double value \(Value.format(d)) cannot be converted to Int because it is infinite, NaN or too large")
                }
                return .int(i)
            }
        }
        r.addFunction("Int(_ text: String) -> Int?",
                      doc: "Reads a whole number from text; nil when the text is not one.",
                      example: "Int(\"42\") ?? 0", arguments: String.self) { text, _ in
            .optional(Int(text.trimmingCharacters(in: .whitespaces)).map(Value.int))
        }
        r.addFunction("Character(_ text: String) -> Character",
                      doc: "One character, from a text of exactly one.",
                      example: "Character(\"a\") < Character(\"b\")", arguments: String.self) { text, _ in
            guard text.count == 1 else {
                throw CellError.value("a Character holds exactly one character, got \(Value.string(text).debugDescription)")
            }
            return .string(text)
        }
        r.addFunction("Int(_ text: String, radix: Int) -> Int?",
                      doc: "Reads a whole number written in another base; nil when the text is not one.",
                      example: "Int(\"ff\", radix: 16)   // Optional(255)", arguments: (String.self, Int.self)) { text, radix, _ in
            guard (2...36).contains(radix) else { throw CellError.value("radix must be between 2 and 36") }
            return .optional(Int(text.trimmingCharacters(in: .whitespaces), radix: radix).map(Value.int))
        }
        r.addFunction("Double(_ value: Int) -> Double", doc: "Converts a number to a Double.",
                      example: "Double(correct) / Double(total)", arguments: DoubleSource.self) { value, _ in
            switch value {
            case .number(let d): return .double(d)
            case .text(let s): return .optional(Double(s.trimmingCharacters(in: .whitespaces)).map(Value.double))
            }
        }
        r.addFunction("String(_ value: Any) -> String", doc: "The text form of any value.",
                      example: "String(42)", arguments: Value.self) { value, _ in
            if case .array(let items) = value, !items.isEmpty,
               items.allSatisfy({ if case .string(let s) = $0 { return s.count == 1 } else { return false } }) {
                try Memory.charge(Memory.text(items.count * 4), "this string")
                return .string(items.map(\.description).joined())
            }
            return .string(try value.text())
        }
        r.addFunction("String(describing value: Any) -> String", doc: "The text form of any value, as print shows it.",
                      example: "String(describing: scores)", arguments: Value.self) { value, _ in
            .string(try value.text())
        }
        r.addFunction("String(_ value: Int, radix: Int) -> String", doc: "An Int written in another base.",
                      example: "String(255, radix: 16)   // \"ff\"", arguments: (Int.self, Int.self)) { value, radix, _ in
            guard (2...36).contains(radix) else { throw CellError.value("radix must be between 2 and 36") }
            return .string(String(value, radix: radix))
        }
        r.addFunction("String(repeating text: String, count: Int) -> String", doc: "Text repeated count times.",
                      example: "String(repeating: \"=\", count: 20)", arguments: (String.self, Int.self)) { text, count, rt in
            guard count >= 0 else { throw CellError.value("count must not be negative") }
            let (bytes, overflow) = text.utf8.count.multipliedReportingOverflow(by: count)
            try rt.checkCount(overflow ? Int.max : bytes)
            try Memory.charge(Memory.text(overflow ? Int.max / 2 : bytes), "String(repeating:count:)")
            return .string(String(repeating: text, count: count))
        }
        r.addFunction("String(format: String, _ arguments: Any...) -> String",
                      doc: "Formats numbers with printf-style placeholders such as %d, %.2f and %s.",
                      example: "String(format: \"%.1f%%\", accuracy * 100)", arguments: (String.self, [Value].self)) { format, values, _ in
            let texts = values.reduce(format.utf8.count) { n, v in
                if case .string(let s) = v { return Memory.sum(n, s.utf8.count) }
                return Memory.sum(n, 32)
            }
            try Memory.charge(Memory.text(texts), "this formatted string")
            return .string(try Formatter.format(format, values))
        }
        r.addFunction("Bool(_ text: String) -> Bool?", doc: "Reads \"true\" or \"false\"; nil otherwise.",
                      example: "Bool(\"true\")", arguments: String.self) { text, _ in
            switch text {
            case "true": return .optional(.bool(true))
            case "false": return .optional(.bool(false))
            default: return .none
            }
        }
        r.addFunction("Array(repeating value: Any, count: Int) -> [Any]",
                      doc: "An array holding the same value count times.",
                      example: "var counts = Array(repeating: 0, count: 6)", arguments: (Value.self, Int.self)) { value, count, rt in
            guard count >= 0 else { throw CellError.value("cannot make an array with a negative count (\(count))") }
            try rt.checkCount(count)
            try Memory.charge(Memory.values(count), "Array(repeating:count:)")
            return .array(Array(repeating: value, count: count))
        }
        r.addFunction("Array(_ sequence: Any) -> [Any]",
                      doc: "The elements of a range, string or other sequence, as an array.",
                      example: "Array(1...5)", arguments: SequenceArgument.self) { sequence, rt in
            .array(try sequence.elements(rt))
        }
        r.addFunction("Array() -> [Any]", doc: "An empty array.", example: "var xs = [Int]()") { _, _ in .array([]) }
        r.addFunction("Dictionary() -> [Any: Any]", doc: "An empty dictionary.",
                      example: "var counts = [String: Int]()") { _, _ in .dictionary(OrderedDictionary()) }
        r.addFunction("Dictionary(grouping values: [Any], by keyForValue: (Any) -> Any) -> [Any: [Any]]",
                      doc: "The values grouped in arrays under the key the closure gives each one (keys in order of first appearance).",
                      example: "Dictionary(grouping: names, by: { $0.first! })",
                      arguments: (SequenceArgument.self, FunctionArgument.self)) { values, key, rt in
            var d = OrderedDictionary()
            let elements = try values.elements(rt)
            try Memory.charge(Memory.values(elements.count, each: Memory.entryBytes), "this dictionary")
            for v in elements {
                let k = try key.function.invoke([v], rt)
                guard d[k] != nil else {
                    d[k] = .array([v])
                    continue
                }
                d.modifyValue(forKey: k) { group in
                    guard case .array(var items) = group else { return }
                    group = .void
                    items.append(v)
                    group = .array(items)
                }
            }
            return .dictionary(d)
        }
        r.addFunction("Dictionary(_ keysAndValues: [Any], uniquingKeysWith combine: (Any, Any) -> Any) -> [Any: Any]",
                      doc: "A dictionary from (key, value) pairs; the closure combines the values of a key met again (old value first).",
                      example: "Dictionary(species.map { ($0, 1) }, uniquingKeysWith: +)",
                      arguments: (SequenceArgument.self, FunctionArgument.self)) { pairs, combine, rt in
            try dictionary(pairs, rt) { _, old, new in try combine.function.invoke(old, new, rt) }
        }
        r.addFunction("Dictionary(uniqueKeysWithValues pairs: [Any]) -> [Any: Any]",
                      doc: "A dictionary from (key, value) pairs.",
                      example: "Dictionary(uniqueKeysWithValues: zip(names, scores))", arguments: SequenceArgument.self) { pairs, rt in
            try dictionary(pairs, rt) { key, _, _ in throw CellError.value("duplicate key \(key.debugDescription)") }
        }
    }

    /// A dictionary from (key, value) pairs; `merge(key, old, new)` gives
    /// the value of a key met again.
    static func dictionary(_ pairs: SequenceArgument, _ rt: Runtime,
                           merge: (Value, Value, Value) throws -> Value) throws -> Value {
        var d = OrderedDictionary()
        let elements = try pairs.elements(rt)
        try Memory.charge(Memory.values(elements.count, each: Memory.entryBytes), "this dictionary")
        for p in elements {
            guard case .tuple(let t) = p, t.elements.count == 2 else {
                throw CellError.type("each element must be a (key, value) pair")
            }
            let (k, v) = (t.elements[0], t.elements[1])
            if let old = d[k] { d[k] = try merge(k, old, v) } else { d[k] = v }
        }
        return .dictionary(d)
    }

    static func registerMath(_ r: BuiltinRegistry) {
        let unary: [(String, String, (Double) -> Double)] = [
            ("sqrt", "The square root.", { $0.squareRoot() }),
            ("exp", "e raised to the power x.", { Foundation.exp($0) }),
            ("log", "The natural logarithm.", { Foundation.log($0) }),
            ("log2", "The base-2 logarithm.", { Foundation.log2($0) }),
            ("log10", "The base-10 logarithm.", { Foundation.log10($0) }),
            ("sin", "The sine (radians).", { Foundation.sin($0) }),
            ("cos", "The cosine (radians).", { Foundation.cos($0) }),
            ("tan", "The tangent (radians).", { Foundation.tan($0) }),
            ("asin", "The arc sine.", { Foundation.asin($0) }),
            ("acos", "The arc cosine.", { Foundation.acos($0) }),
            ("atan", "The arc tangent.", { Foundation.atan($0) }),
            ("tanh", "The hyperbolic tangent.", { Foundation.tanh($0) }),
            ("floor", "Rounds down to a whole number.", { $0.rounded(.down) }),
            ("ceil", "Rounds up to a whole number.", { $0.rounded(.up) }),
            ("round", "Rounds to the nearest whole number (halves away from zero).", { $0.rounded() }),
        ]
        for (name, doc, f) in unary {
            r.addFunction("\(name)(_ x: Double) -> Double", doc: doc, example: "\(name)(2.0)", arguments: Double.self) { x, _ in
                .double(f(x))
            }
        }
        r.addFunction("pow(_ base: Double, _ exponent: Double) -> Double", doc: "base raised to exponent.",
                      example: "pow(2.0, 10.0)   // 1024.0", arguments: (Double.self, Double.self)) { base, exponent, _ in
            .double(Foundation.pow(base, exponent))
        }
        r.addFunction("atan2(_ y: Double, _ x: Double) -> Double", doc: "The angle of the point (x, y).",
                      example: "atan2(1.0, 1.0)", arguments: (Double.self, Double.self)) { y, x, _ in
            .double(Foundation.atan2(y, x))
        }
        r.addFunction("abs(_ x: Int) -> Int", doc: "The magnitude of a number.", example: "abs(-3)   // 3",
                      arguments: NumberArgument.self) { x, _ in
            switch x {
            case .int(let i):
                guard i != Int.min else { throw CellError(.overflowError, "abs(Int.min) does not fit in an Int") }
                return .int(Swift.abs(i))
            case .double(let d): return .double(Swift.abs(d))
            }
        }
        for (name, pickLess) in [("min", true), ("max", false)] {
            r.addFunction("\(name)(_ x: Any, _ y: Any, _ rest: Any...) -> Any",
                          doc: "The \(pickLess ? "smallest" : "largest") of the values.",
                          example: "\(name)(3, 7, 5)", arguments: (Value.self, Value.self, [Value].self)) { x, y, rest, _ in
                var values = [x, y] + rest
                if values.contains(where: { if case .double = $0 { return true } else { return false } }) {
                    values = try values.map { v in
                        if case .int(let i) = v { return .double(Double(i)) }
                        if case .double = v { return v }
                        throw CellError.type("cannot compare values of type '\(v.typeName)' and 'Double'")
                    }
                }
                return try Ordering.extreme(values, smallest: pickLess) ?? values[0]
            }
        }
    }
}

/// An Int or a Double, as passed (`abs`, `Int(_:)`).
enum NumberArgument: ArgumentType {
    case int(Int)
    case double(Double)

    init(argument value: Value, _ a: borrowing Arguments, _ i: Int) throws {
        switch value {
        case .int(let n): self = .int(n)
        case .double(let d): self = .double(d)
        default: throw a.mismatch(i, expected: "Int or Double")
        }
    }
}

/// What `Double(_:)` converts: a number, or text it reads one from.
enum DoubleSource: ArgumentType {
    case number(Double)
    case text(String)

    init(argument value: Value, _ a: borrowing Arguments, _ i: Int) throws {
        switch value {
        case .int(let n): self = .number(Double(n))
        case .double(let d): self = .number(d)
        case .string(let s): self = .text(s)
        default: throw a.mismatch(i, expected: "Double")
        }
    }
}

extension CoreBuiltins {
    static func helpText(_ v: Value, _ rt: Runtime) -> String {
        func doc(_ sig: Signature, _ text: String, _ example: String?) -> String {
            var s = sig.declaration + "\n\n" + text
            if let example { s += "\n\nExample:\n    " + example.replacingOccurrences(of: "\n", with: "\n    ") }
            return s
        }
        switch v {
        case .function(let f as BuiltinFunctionValue):
            return f.overloads.map { doc($0.signature, $0.doc, $0.example) }.joined(separator: "\n\n")
        case .function(let f as BoundMethod):
            return f.overloads.map { m in m.signature.map { doc($0, m.doc, m.example) } ?? m.declaration + "\n\n" + m.doc }
                .joined(separator: "\n\n")
        case .function(let f):
            return f.signatures.map(\.declaration).joined(separator: "\n")
        case .type(let name):
            return name + "\n\n" + (rt.registry.types[name] ?? "")
        default:
            let type = v.registryTypeName
            let members = rt.registry.allMembers(of: v).map(\.name)
            var s = "\(v.typeName): \(rt.registry.types[type] ?? "")"
            if !members.isEmpty { s += "\n\nMembers: " + Set(members).sorted().joined(separator: ", ") }
            return s
        }
    }
}
