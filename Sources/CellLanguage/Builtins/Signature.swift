/// One parameter of a builtin or user function.
public struct Parameter: Sendable {
    /// The argument label callers write, or nil for `_`.
    public var label: String?
    /// The name used inside the function.
    public var name: String
    /// The declared type as written, e.g. `Int`, `Dataset?`, `Any...`.
    public var type: String
    /// The default value's source text, when the parameter has one.
    public var defaultText: String?
    public var isVariadic: Bool

    public var hasDefault: Bool { defaultText != nil }

    /// `epochs: Int = 10` or `_ items: Any...`.
    public var declaration: String {
        var s = label == name ? name : "\(label ?? "_") \(name)"
        s += ": \(type)"
        if let d = defaultText { s += " = \(d)" }
        return s
    }
}

/// A function's shape: name, parameters and result, as written in Swift.
public struct Signature: Sendable {
    public var name: String
    public var parameters: [Parameter]
    public var returns: String

    /// `train(_:validation:epochs:)`: how Swift names a function by its labels.
    public var selector: String {
        name + "(" + parameters.map { ($0.label ?? "_") + ":" }.joined() + ")"
    }

    /// `train(_ data: Dataset, epochs: Int = 10) -> History`.
    public var declaration: String {
        var s = name + "(" + parameters.map(\.declaration).joined(separator: ", ") + ")"
        if returns != "Void" && !returns.isEmpty { s += " -> \(returns)" }
        return s
    }

    /// Parses the declaration form used in the registry, e.g.
    /// `stride(from start: Int, to end: Int, by step: Int = 1) -> [Int]`.
    /// A property is written without parentheses: `count: Int`.
    public static func parse(_ text: String) -> Signature? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let open = trimmed.firstIndex(of: "(") else { return nil }
        let name = String(trimmed[..<open]).trimmingCharacters(in: .whitespaces)
        guard let close = matchingParen(trimmed, from: open) else { return nil }
        let inner = String(trimmed[trimmed.index(after: open)..<close])
        var rest = String(trimmed[trimmed.index(after: close)...]).trimmingCharacters(in: .whitespaces)
        var returns = "Void"
        if rest.hasPrefix("->") {
            rest.removeFirst(2)
            returns = rest.trimmingCharacters(in: .whitespaces)
        }
        var params: [Parameter] = []
        for part in splitTopLevel(inner) where !part.isEmpty {
            guard let p = parseParameter(part) else { return nil }
            params.append(p)
        }
        return Signature(name: name, parameters: params, returns: returns)
    }

    private static func parseParameter(_ text: String) -> Parameter? {
        guard let colon = text.firstIndex(of: ":") else { return nil }
        let names = text[..<colon].split(separator: " ").map(String.init)
        var typeAndDefault = String(text[text.index(after: colon)...])
        var defaultText: String?
        if let eq = topLevelEquals(typeAndDefault) {
            defaultText = String(typeAndDefault[typeAndDefault.index(after: eq)...])
                .trimmingCharacters(in: .whitespaces)
            typeAndDefault = String(typeAndDefault[..<eq])
        }
        var type = typeAndDefault.trimmingCharacters(in: .whitespaces)
        var variadic = false
        if type.hasSuffix("...") {
            variadic = true
            type.removeLast(3)
        }
        let label: String?
        let name: String
        switch names.count {
        case 1: label = names[0]; name = names[0]
        case 2: label = names[0] == "_" ? nil : names[0]; name = names[1]
        default: return nil
        }
        return Parameter(label: label, name: name, type: variadic ? type + "..." : type,
                         defaultText: defaultText, isVariadic: variadic)
    }

    static func splitTopLevel(_ s: String) -> [String] {
        var parts: [String] = []
        var depth = 0
        var inString = false
        var current = ""
        for ch in s {
            if ch == "\"" { inString.toggle() }
            if !inString {
                if "([{".contains(ch) { depth += 1 }
                if ")]}".contains(ch) { depth -= 1 }
                if ch == "," && depth == 0 {
                    parts.append(current.trimmingCharacters(in: .whitespaces))
                    current = ""
                    continue
                }
            }
            current.append(ch)
        }
        let last = current.trimmingCharacters(in: .whitespaces)
        if !last.isEmpty { parts.append(last) }
        return parts
    }

    private static func topLevelEquals(_ s: String) -> String.Index? {
        var depth = 0
        var i = s.startIndex
        while i < s.endIndex {
            let ch = s[i]
            if "([{".contains(ch) { depth += 1 }
            if ")]}".contains(ch) { depth -= 1 }
            if ch == "=" && depth == 0 { return i }
            i = s.index(after: i)
        }
        return nil
    }

    private static func matchingParen(_ s: String, from open: String.Index) -> String.Index? {
        var depth = 0
        var i = open
        while i < s.endIndex {
            if s[i] == "(" { depth += 1 }
            if s[i] == ")" {
                depth -= 1
                if depth == 0 { return i }
            }
            i = s.index(after: i)
        }
        return nil
    }
}

import Foundation
