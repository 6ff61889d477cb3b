import Foundation

extension CoreBuiltins {
    /// Charges splitting `s` at `separator`: at most one piece per separator, no more text than `s`.
    static func chargePieces(_ s: String, _ separator: String) throws {
        let pieces = s.utf8.count / separator.utf8.count + 1
        try Memory.charge(Memory.sum(Memory.values(pieces, each: Memory.valueBytes + 16), Memory.text(s.utf8.count)),
                          "the pieces of this string")
    }

    /// `s.count`: for ASCII text, its bytes less one for each "\r\n" (one
    /// Character in Swift), without walking grapheme clusters.
    static func characterCount(_ s: String) -> Int {
        var text = s
        let ascii: Int? = text.withUTF8 { UTF8Copy.asciiCharacterCount($0) }
        return ascii ?? s.count
    }

    static func registerStrings(_ r: BuiltinRegistry) {
        let string = String.self
        r.addProperty(on: "String", "count: Int", doc: "The number of characters.", receiver: string) { s, _ in
            .int(characterCount(s))
        }
        r.addProperty(on: "String", "isEmpty: Bool", doc: "Whether the text is empty.", receiver: string) { s, _ in .bool(s.isEmpty) }
        r.addProperty(on: "String", "first: Character?", doc: "The first character, or nil.", receiver: string) { s, _ in
            .optional(s.first.map { .string(String($0)) })
        }
        r.addProperty(on: "String", "last: Character?", doc: "The last character, or nil.", receiver: string) { s, _ in
            .optional(s.last.map { .string(String($0)) })
        }
        let charTests: [(String, String, (Character) -> Bool)] = [
            ("isLetter", "Whether the (single-character) text is a letter.", { $0.isLetter }),
            ("isNumber", "Whether the (single-character) text is a digit or number.", { $0.isNumber }),
            ("isWhitespace", "Whether the (single-character) text is white space.", { $0.isWhitespace }),
            ("isUppercase", "Whether the (single-character) text is upper case.", { $0.isUppercase }),
            ("isLowercase", "Whether the (single-character) text is lower case.", { $0.isLowercase }),
        ]
        for (name, doc, test) in charTests {
            r.addProperty(on: "String", "\(name): Bool", doc: doc, receiver: string) { s, _ in
                .bool(!s.isEmpty && s.allSatisfy(test))
            }
        }
        r.addProperty(on: "String", "asciiValue: Int?", doc: "The ASCII code of a single ASCII character, or nil.",
                      receiver: string) { s, _ in
            guard s.count == 1, let c = s.first else { return .optional(nil) }
            return .optional(c.asciiValue.map { .int(Int($0)) })
        }
        r.addMethod(on: "String", "uppercased() -> String", doc: "The text in upper case.", receiver: string) { s, _ in
            try Memory.charge(Memory.text(2 * s.utf8.count), "this string")
            return .string(s.uppercased())
        }
        r.addMethod(on: "String", "lowercased() -> String", doc: "The text in lower case.", receiver: string) { s, _ in
            try Memory.charge(Memory.text(2 * s.utf8.count), "this string")
            return .string(s.lowercased())
        }
        r.addMethod(on: "String", "capitalized() -> String", doc: "Each word with an upper-case first letter.",
                    receiver: string) { s, _ in
            try Memory.charge(Memory.text(2 * s.utf8.count), "this string")
            return .string(s.capitalized)
        }
        r.addMethod(on: "String", "hasPrefix(_ prefix: String) -> Bool", doc: "Whether the text starts with prefix.",
                    receiver: string, arguments: String.self) { s, prefix, _ in
            .bool(s.hasPrefix(prefix))
        }
        r.addMethod(on: "String", "hasSuffix(_ suffix: String) -> Bool", doc: "Whether the text ends with suffix.",
                    example: "file.hasSuffix(\".jpg\")", receiver: string, arguments: String.self) { s, suffix, _ in
            .bool(s.hasSuffix(suffix))
        }
        r.addMethod(on: "String", "split(separator: String) -> [String]",
                    doc: "The pieces between separators (empty pieces dropped).",
                    example: "\"a,b,c\".split(separator: \",\")", receiver: string, arguments: String.self) { s, separator, _ in
            guard !separator.isEmpty else { throw CellError.value("the separator must not be empty") }
            try chargePieces(s, separator)
            return .array(s.components(separatedBy: separator).filter { !$0.isEmpty }.map(Value.string))
        }
        r.addMethod(on: "String", "components(separatedBy separator: String) -> [String]",
                    doc: "The pieces between separators (empty pieces kept).", receiver: string,
                    arguments: String.self) { s, separator, _ in
            guard !separator.isEmpty else { throw CellError.value("the separator must not be empty") }
            try chargePieces(s, separator)
            return .array(s.components(separatedBy: separator).map(Value.string))
        }
        r.addMethod(on: "String", "replacingOccurrences(of target: String, with replacement: String) -> String",
                    doc: "The text with every occurrence of target replaced.", receiver: string,
                    arguments: (String.self, String.self)) { s, target, replacement, rt in
            guard !target.isEmpty else { return .string(s) }
            // At most every target replaced: the longest the result can be.
            let most = s.utf8.count / target.utf8.count
            let growth = Swift.max(0, replacement.utf8.count - target.utf8.count)
            try Memory.charge(Memory.text(Memory.sum(2 * s.utf8.count, Memory.values(most, each: growth))), "this string")
            let out = s.replacingOccurrences(of: target, with: replacement)
            try rt.checkCount(out.utf8.count)
            return .string(out)
        }
        r.addMethod(on: "String", "trimmingCharacters(in set: Symbol = .whitespacesAndNewlines) -> String",
                    doc: "The text without leading and trailing white space (.whitespaces or .whitespacesAndNewlines).",
                    receiver: string, arguments: Value.self) { s, set, _ in
            try Memory.charge(Memory.text(s.utf8.count), "this string")
            return .string(s.trimmingCharacters(in: set == .symbol("whitespaces") ? .whitespaces : .whitespacesAndNewlines))
        }
        r.addMethod(on: "String", "starts(with prefix: String) -> Bool", doc: "Whether the text starts with prefix.",
                    receiver: string, arguments: String.self) { s, prefix, _ in
            .bool(s.hasPrefix(prefix))
        }
        // `startingAt` is accepted as Swift writes it, and not used.
        r.addMethod(on: "String", "padding(toLength length: Int, withPad pad: String = \" \", startingAt start: Int = 0) -> String",
                    doc: "The text cut or padded on the right to the given length.", receiver: string,
                    arguments: (Int.self, String.self)) { text, n, pad, rt in
            guard n >= 0, !pad.isEmpty else { throw CellError.value("padding needs a non-negative length and a pad") }
            try rt.checkCount(n)
            try Memory.charge(Memory.text(Memory.values(n, each: 4) + pad.utf8.count), "this padded string")
            var s = text
            if s.count > n { return .string(String(s.prefix(n))) }
            while s.count < n { s += pad }
            return .string(String(s.prefix(n)))
        }
    }

    static func registerNumbers(_ r: BuiltinRegistry) {
        r.addMethod(on: "Int", "isMultiple(of other: Int) -> Bool", doc: "Whether the number divides evenly by other.",
                    example: "n.isMultiple(of: 2)", receiver: Int.self, arguments: Int.self) { n, d, _ in
            .bool(d == 0 ? n == 0 : n % d == 0)
        }
        r.addProperty(on: "Int", "magnitude: Int", doc: "The absolute value.", receiver: Int.self) { n, _ in
            guard n != Int.min else { throw CellError(.overflowError, "magnitude of Int.min does not fit") }
            return .int(Swift.abs(n))
        }
        for constant in Value.numberConstants {
            let value = constant.value
            r.addProperty(on: "\(constant.type).Type", "\(constant.name): \(constant.type)", doc: constant.doc) { _, _ in value }
        }
        let double = Double.self
        r.addMethod(on: "Double", "rounded() -> Double", doc: "The nearest whole number.", receiver: double) { d, _ in
            .double(d.rounded())
        }
        r.addMethod(on: "Double", "squareRoot() -> Double", doc: "The square root.", receiver: double) { d, _ in
            .double(d.squareRoot())
        }
        r.addMethod(on: "Double", "truncatingRemainder(dividingBy other: Double) -> Double",
                    doc: "The remainder of dividing by other.", receiver: double, arguments: Double.self) { d, other, _ in
            .double(d.truncatingRemainder(dividingBy: other))
        }
        r.addProperty(on: "Double", "isNaN: Bool", doc: "Whether the value is not a number.", receiver: double) { d, _ in
            .bool(d.isNaN)
        }
        r.addProperty(on: "Double", "isFinite: Bool", doc: "Whether the value is finite.", receiver: double) { d, _ in
            .bool(d.isFinite)
        }
        r.addProperty(on: "Double", "isInfinite: Bool", doc: "Whether the value is infinite.", receiver: double) { d, _ in
            .bool(d.isInfinite)
        }
        r.addProperty(on: "Double", "magnitude: Double", doc: "The absolute value.", receiver: double) { d, _ in
            .double(Swift.abs(d))
        }
        r.addProperty(on: "Bool", "description: String", doc: "\"true\" or \"false\".", receiver: Bool.self) { b, _ in
            .string(b ? "true" : "false")
        }
        r.addMutatingMethod(on: "String", "append(_ text: String)", doc: "Adds the text (or a character) at the end.",
                            example: "name.append(\"!\")", receiver: String.self, arguments: String.self) { s, text, _ in
            try Memory.charge(Memory.textGrowth(s.utf8.count, adding: text.utf8.count), "this string")
            s.append(text)
            return .void
        }
        r.addMutatingMethod(on: "String", "removeAll()", doc: "Empties the text.", receiver: String.self) { s, _ in
            s.removeAll()
            return .void
        }
        r.addMutatingMethod(on: "String", "removeLast() -> Character", doc: "Removes and returns the last character.",
                            example: "let last = word.removeLast()", receiver: String.self) { s, _ in
            guard !s.isEmpty else { throw CellError.value("removeLast() on an empty string") }
            return .string(String(s.removeLast()))
        }
        r.addMutatingMethod(on: "Bool", "toggle()", doc: "Flips true and false.", receiver: Bool.self) { b, _ in
            b.toggle()
            return .void
        }
    }
}
