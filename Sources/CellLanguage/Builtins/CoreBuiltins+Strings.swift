import Foundation

extension CoreBuiltins {
    static func str(_ v: Value) -> String {
        if case .string(let s) = v { return s }
        return v.description
    }

    static func registerStrings(_ r: BuiltinRegistry) {
        r.addProperty(on: "String", "count: Int", doc: "The number of characters.") { v, _ in .int(str(v).count) }
        r.addProperty(on: "String", "isEmpty: Bool", doc: "Whether the text is empty.") { v, _ in .bool(str(v).isEmpty) }
        r.addProperty(on: "String", "first: Character?", doc: "The first character, or nil.") { v, _ in
            .optional(str(v).first.map { .string(String($0)) })
        }
        r.addProperty(on: "String", "last: Character?", doc: "The last character, or nil.") { v, _ in
            .optional(str(v).last.map { .string(String($0)) })
        }
        let charTests: [(String, String, (Character) -> Bool)] = [
            ("isLetter", "Whether the (single-character) text is a letter.", { $0.isLetter }),
            ("isNumber", "Whether the (single-character) text is a digit or number.", { $0.isNumber }),
            ("isWhitespace", "Whether the (single-character) text is white space.", { $0.isWhitespace }),
            ("isUppercase", "Whether the (single-character) text is upper case.", { $0.isUppercase }),
            ("isLowercase", "Whether the (single-character) text is lower case.", { $0.isLowercase }),
        ]
        for (name, doc, test) in charTests {
            r.addProperty(on: "String", "\(name): Bool", doc: doc) { v, _ in
                let s = str(v)
                return .bool(!s.isEmpty && s.allSatisfy(test))
            }
        }
        r.addMethod(on: "String", "uppercased() -> String", doc: "The text in upper case.") { v, _, _ in
            .string(str(v).uppercased())
        }
        r.addMethod(on: "String", "lowercased() -> String", doc: "The text in lower case.") { v, _, _ in
            .string(str(v).lowercased())
        }
        r.addMethod(on: "String", "capitalized() -> String", doc: "Each word with an upper-case first letter.") { v, _, _ in
            .string(str(v).capitalized)
        }
        r.addMethod(on: "String", "hasPrefix(_ prefix: String) -> Bool", doc: "Whether the text starts with prefix.") { v, a, _ in
            .bool(str(v).hasPrefix(try a.string(0)))
        }
        r.addMethod(on: "String", "hasSuffix(_ suffix: String) -> Bool", doc: "Whether the text ends with suffix.",
                    example: "file.hasSuffix(\".jpg\")") { v, a, _ in
            .bool(str(v).hasSuffix(try a.string(0)))
        }
        r.addMethod(on: "String", "split(separator: String) -> [String]",
                    doc: "The pieces between separators (empty pieces dropped).",
                    example: "\"a,b,c\".split(separator: \",\")") { v, a, _ in
            let sep = try a.string(0)
            guard !sep.isEmpty else { throw CellError.value("the separator must not be empty") }
            return .array(str(v).components(separatedBy: sep).filter { !$0.isEmpty }.map(Value.string))
        }
        r.addMethod(on: "String", "components(separatedBy separator: String) -> [String]",
                    doc: "The pieces between separators (empty pieces kept).") { v, a, _ in
            let sep = try a.string(0)
            guard !sep.isEmpty else { throw CellError.value("the separator must not be empty") }
            return .array(str(v).components(separatedBy: sep).map(Value.string))
        }
        r.addMethod(on: "String", "replacingOccurrences(of target: String, with replacement: String) -> String",
                    doc: "The text with every occurrence of target replaced.") { v, a, rt in
            let target = try a.string(0)
            guard !target.isEmpty else { return .string(str(v)) }
            let out = str(v).replacingOccurrences(of: target, with: try a.string(1))
            try rt.checkCount(out.utf8.count)
            return .string(out)
        }
        r.addMethod(on: "String", "trimmingCharacters(in set: Symbol = .whitespacesAndNewlines) -> String",
                    doc: "The text without leading and trailing white space (.whitespaces or .whitespacesAndNewlines).") { v, a, _ in
            let set: CharacterSet = a[0] == .symbol("whitespaces") ? .whitespaces : .whitespacesAndNewlines
            return .string(str(v).trimmingCharacters(in: set))
        }
        r.addMethod(on: "String", "starts(with prefix: String) -> Bool", doc: "Whether the text starts with prefix.") { v, a, _ in
            .bool(str(v).hasPrefix(try a.string(0)))
        }
        r.addMethod(on: "String", "padding(toLength length: Int, withPad pad: String = \" \", startingAt start: Int = 0) -> String",
                    doc: "The text cut or padded on the right to the given length.") { v, a, rt in
            let n = try a.int(0)
            let pad = try a.string(1)
            guard n >= 0, !pad.isEmpty else { throw CellError.value("padding needs a non-negative length and a pad") }
            try rt.checkCount(n)
            var s = str(v)
            if s.count > n { return .string(String(s.prefix(n))) }
            while s.count < n { s += pad }
            return .string(String(s.prefix(n)))
        }
    }

    static func registerNumbers(_ r: BuiltinRegistry) {
        r.addMethod(on: "Int", "isMultiple(of other: Int) -> Bool", doc: "Whether the number divides evenly by other.",
                    example: "n.isMultiple(of: 2)") { v, a, _ in
            guard case .int(let n) = v else { return .bool(false) }
            let d = try a.int(0)
            return .bool(d == 0 ? n == 0 : n % d == 0)
        }
        r.addProperty(on: "Int", "magnitude: Int", doc: "The absolute value.") { v, _ in
            guard case .int(let n) = v, n != Int.min else { throw CellError(.overflowError, "magnitude of Int.min does not fit") }
            return .int(Swift.abs(n))
        }
        r.addProperty(on: "Int.Type", "max: Int", doc: "The largest Int.") { _, _ in .int(Int.max) }
        r.addProperty(on: "Int.Type", "min: Int", doc: "The smallest Int.") { _, _ in .int(Int.min) }
        r.addProperty(on: "Double.Type", "pi: Double", doc: "π.") { _, _ in .double(Double.pi) }
        r.addProperty(on: "Double.Type", "infinity: Double", doc: "Positive infinity.") { _, _ in .double(Double.infinity) }
        r.addProperty(on: "Double.Type", "nan: Double", doc: "Not a number.") { _, _ in .double(Double.nan) }
        r.addProperty(on: "Double.Type", "greatestFiniteMagnitude: Double", doc: "The largest finite Double.") { _, _ in
            .double(Double.greatestFiniteMagnitude)
        }
        func dbl(_ v: Value) -> Double {
            if case .double(let d) = v { return d }
            if case .int(let i) = v { return Double(i) }
            return .nan
        }
        r.addMethod(on: "Double", "rounded() -> Double", doc: "The nearest whole number.") { v, _, _ in .double(dbl(v).rounded()) }
        r.addMethod(on: "Double", "squareRoot() -> Double", doc: "The square root.") { v, _, _ in
            .double(dbl(v).squareRoot())
        }
        r.addMethod(on: "Double", "truncatingRemainder(dividingBy other: Double) -> Double",
                    doc: "The remainder of dividing by other.") { v, a, _ in
            .double(dbl(v).truncatingRemainder(dividingBy: try a.double(0)))
        }
        r.addProperty(on: "Double", "isNaN: Bool", doc: "Whether the value is not a number.") { v, _ in .bool(dbl(v).isNaN) }
        r.addProperty(on: "Double", "isFinite: Bool", doc: "Whether the value is finite.") { v, _ in .bool(dbl(v).isFinite) }
        r.addProperty(on: "Double", "isInfinite: Bool", doc: "Whether the value is infinite.") { v, _ in .bool(dbl(v).isInfinite) }
        r.addProperty(on: "Double", "magnitude: Double", doc: "The absolute value.") { v, _ in .double(Swift.abs(dbl(v))) }
        r.addProperty(on: "Bool", "description: String", doc: "\"true\" or \"false\".") { v, _ in .string(v.description) }
        r.addMutatingMethod(on: "Bool", "toggle()", doc: "Flips true and false.") { v, _, _ in
            if case .bool(let b) = v { v = .bool(!b) }
            return .void
        }
    }
}
