import SwiftParser
import SwiftSyntax

/// Completions at a cursor: what Tab offers in a notebook.
public struct Completion: Equatable, Sendable {
    public var matches: [String]
    /// Unicode-scalar offsets of the text the matches replace.
    public var cursorStart: Int
    public var cursorEnd: Int
}

/// Inspection at a cursor: what Shift-Tab shows.
public struct Inspection: Equatable, Sendable {
    public var name: String
    /// Plain text: signature, documentation and example, or type and value.
    public var text: String
}

public enum IsCompleteStatus: Equatable, Sendable {
    case complete
    case incomplete(indent: String)
    case invalid
}

/// Text positions in Unicode scalars, as Jupyter counts them.
struct ScalarText {
    let scalars: [Unicode.Scalar]

    init(_ s: String) { scalars = Array(s.unicodeScalars) }

    func prefix(_ cursor: Int) -> [Unicode.Scalar] { Array(scalars[..<min(max(0, cursor), scalars.count)]) }

    static func isIdentifier(_ c: Unicode.Scalar) -> Bool {
        c == "_" || c == "$" || c.properties.isAlphabetic || ("0"..."9").contains(c)
            || (c.value > 0x7F && !c.properties.isWhitespace && !c.properties.isPatternSyntax)
    }
}

extension Interpreter {
    /// Completions for the text before `cursor` (a Unicode scalar offset).
    public func complete(_ code: String, cursor: Int) -> Completion {
        let text = ScalarText(code)
        let before = text.prefix(cursor)
        var start = before.count
        while start > 0 && ScalarText.isIdentifier(before[start - 1]) { start -= 1 }
        let partial = String(String.UnicodeScalarView(before[start...]))
        let end = before.count

        // After `receiver.`: members of the live value.
        if start > 0 && before[start - 1] == "." {
            let receiverText = Interpreter.receiverText(before, dotIndex: start - 1)
            if let value = liveValue(receiverText) {
                let names = memberNames(of: value).filter { $0.hasPrefix(partial) }
                return Completion(matches: names, cursorStart: start, cursorEnd: end)
            }
            return Completion(matches: [], cursorStart: start, cursorEnd: end)
        }

        var matches: [String] = []
        // Inside a call: the argument labels not written yet.
        if let call = Interpreter.enclosingCall(before) {
            let used = Set(call.usedLabels)
            for sig in signatures(forCallee: call.callee) {
                for p in sig.parameters {
                    if let label = p.label, !used.contains(label), label.hasPrefix(partial) {
                        matches.append(label + ":")
                    }
                }
            }
        }
        guard !partial.isEmpty || !matches.isEmpty else {
            return Completion(matches: matches, cursorStart: start, cursorEnd: end)
        }
        if !partial.isEmpty {
            var names = Set(globals.defined.map(\.name))
            names.formUnion(registry.functions.keys)
            names.formUnion(registry.types.keys)
            names.formUnion(globals.userTypes.types.keys)
            names.formUnion(Interpreter.declaredNames(in: String(String.UnicodeScalarView(before))))
            names.formUnion(Interpreter.keywords)
            matches += names.filter { $0.hasPrefix(partial) && $0 != partial }.sorted()
        }
        var seen = Set<String>()
        matches = matches.filter { seen.insert($0).inserted }
        return Completion(matches: matches, cursorStart: start, cursorEnd: end)
    }

    static let keywords = [
        "let", "var", "func", "if", "else", "guard", "for", "in", "while", "repeat", "switch", "case", "default",
        "break", "continue", "return", "true", "false", "nil", "where",
    ]

    /// The member names a value offers, properties and methods alike.
    func memberNames(of value: Value) -> [String] {
        var names = Set(registry.allMembers(of: value).map(\.name))
        if case .object = value { for m in registry.members["Object"] ?? [:] { names.insert(m.key) } }
        if case .tuple(let t) = value {
            for (i, l) in t.labels.enumerated() { names.insert(l ?? String(i)) }
        }
        if let (t, isStatic) = UserTypes.owner(of: value, runtime) {
            names.formUnion(isStatic ? t.staticMemberNames : t.memberNames)
        }
        names.remove("subscript")
        names.remove("init")
        return names.sorted()
    }

    /// The text of the receiver before a `.`: a name or a chain such as `model.history`.
    static func receiverText(_ before: [Unicode.Scalar], dotIndex: Int) -> String {
        var i = dotIndex
        var depth = 0
        while i > 0 {
            let c = before[i - 1]
            if c == ")" || c == "]" { depth += 1 }
            else if c == "(" || c == "[" {
                if depth == 0 { break }
                depth -= 1
            } else if depth == 0 && !(ScalarText.isIdentifier(c) || c == "." || c == "\"") {
                break
            }
            i -= 1
        }
        return String(String.UnicodeScalarView(before[i..<dotIndex]))
    }

    /// Evaluates a receiver without side effects: names, member chains,
    /// literals and type names; nil for anything else.
    func liveValue(_ text: String) -> Value? {
        let t = text.trimmingCharacters(in: .whitespaces)
        if t.isEmpty { return nil }
        if t.hasPrefix("\"") { return .string("") }
        if t.hasPrefix("[") { return t.contains(":") ? .dictionary(OrderedDictionary()) : .array([]) }
        if let i = Int(t) { return .int(i) }
        if Double(t) != nil { return .double(0) }
        let parts = t.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard let first = parts.first, parts.allSatisfy({ !$0.isEmpty && $0.unicodeScalars.allSatisfy(ScalarText.isIdentifier) })
        else { return nil }
        var value: Value
        if let slot = globals.slots[first], slot.isDefined {
            value = slot.value
        } else if coreTypeNames.contains(first) || registry.types[first] != nil || globals.userTypes.types[first] != nil {
            value = .type(first)
        } else {
            return nil
        }
        for name in parts.dropFirst() {
            if case .tuple(let tv) = value, let i = Members.tupleIndex(tv, name) {
                value = tv.elements[i]
                continue
            }
            if UserTypes.owner(of: value, runtime) != nil {
                // Stored properties and enum cases only: a computed one would run the learner's code.
                guard let v = UserTypes.storedValue(value, name, runtime) else { return nil }
                value = v
                continue
            }
            guard let ms = registry.member(name, of: value), let p = ms.first(where: \.isProperty),
                  case .property(let getter) = p.kind, let v = try? getter(value, runtime) else { return nil }
            value = v
        }
        return value
    }

    struct CallContext {
        var callee: String
        var usedLabels: [String]
    }

    /// The innermost call whose parenthesis is open at the end of `before`.
    static func enclosingCall(_ before: [Unicode.Scalar]) -> CallContext? {
        var depth = 0
        var i = before.count
        var inString = false
        while i > 0 {
            i -= 1
            let c = before[i]
            if c == "\"" { inString.toggle() }
            if inString { continue }
            if c == ")" || c == "]" || c == "}" { depth += 1 }
            if c == "(" || c == "[" || c == "{" {
                if depth > 0 { depth -= 1; continue }
                guard c == "(" else { return nil }
                var j = i
                while j > 0 && (ScalarText.isIdentifier(before[j - 1]) || before[j - 1] == ".") { j -= 1 }
                let callee = String(String.UnicodeScalarView(before[j..<i]))
                guard !callee.isEmpty else { return nil }
                let args = String(String.UnicodeScalarView(before[(i + 1)...]))
                var labels: [String] = []
                for part in Signature.splitTopLevel(args) {
                    if let colon = part.firstIndex(of: ":") {
                        let label = part[..<colon].trimmingCharacters(in: .whitespaces)
                        if !label.isEmpty, label.unicodeScalars.allSatisfy(ScalarText.isIdentifier) { labels.append(label) }
                    }
                }
                return CallContext(callee: callee, usedLabels: labels)
            }
        }
        return nil
    }

    /// Signatures for a callee written as `name` or `receiver.method`.
    func signatures(forCallee callee: String) -> [Signature] {
        if let dot = callee.lastIndex(of: ".") {
            let receiver = String(callee[..<dot])
            let method = String(callee[callee.index(after: dot)...])
            guard let value = liveValue(receiver) else { return [] }
            if let sigs = UserTypes.signatures(of: method, on: value, runtime) { return sigs }
            guard let ms = registry.member(method, of: value) else { return [] }
            return ms.compactMap(\.signature)
        }
        if let t = globals.userTypes.types[callee] { return UserTypes.initializerSignatures(t) }
        if let slot = globals.slots[callee], slot.isDefined, case .function(let f) = slot.value { return f.signatures }
        return registry.functions[callee]?.map(\.signature) ?? []
    }

    /// Names declared with let/var/func in text (for completing names a cell is about to define).
    static func declaredNames(in text: String) -> Set<String> {
        var names = Set<String>()
        let words = text.split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "_") }).map(String.init)
        for (i, w) in words.enumerated() where ["let", "var", "func"].contains(w) && i + 1 < words.count {
            names.insert(words[i + 1])
        }
        return names
    }
}

import Foundation
