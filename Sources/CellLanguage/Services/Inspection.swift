import SwiftParser
import SwiftSyntax

extension Interpreter {
    /// What Shift-Tab shows for the name at or before `cursor`: a builtin's
    /// signature and documentation, or a variable's type and value.
    public func inspect(_ code: String, cursor: Int) -> Inspection? {
        let text = ScalarText(code)
        var end = min(max(0, cursor), text.scalars.count)
        // Inside a call's parentheses with nothing under the cursor: inspect the callee.
        if end > 0, !ScalarText.isIdentifier(text.scalars[end - 1]),
           end == text.scalars.count || !ScalarText.isIdentifier(text.scalars[end]),
           let call = Interpreter.enclosingCall(text.prefix(end)) {
            return describe(call.callee)
        }
        while end < text.scalars.count && ScalarText.isIdentifier(text.scalars[end]) { end += 1 }
        var start = end
        while start > 0 && (ScalarText.isIdentifier(text.scalars[start - 1]) || text.scalars[start - 1] == ".") {
            start -= 1
        }
        let name = String(String.UnicodeScalarView(text.scalars[start..<end]))
            .trimmingCharacters(in: CharacterSet(charactersIn: "."))
        guard !name.isEmpty else { return nil }
        return describe(name)
    }

    func describe(_ name: String) -> Inspection? {
        if let dot = name.lastIndex(of: ".") {
            let receiverText = String(name[..<dot])
            let member = String(name[name.index(after: dot)...])
            guard let receiver = liveValue(receiverText) else { return nil }
            if case .tuple(let t) = receiver, let i = Members.tupleIndex(t, member) {
                return describeValue(name, t.elements[i])
            }
            if let text = UserTypes.describeMember(member, of: receiver, runtime) {
                return Inspection(name: name, text: text)
            }
            guard let ms = registry.member(member, of: receiver) else { return nil }
            let lines = ms.map { m -> String in
                var s = m.declaration + "\n\n" + m.doc
                if let ex = m.example { s += "\n\nExample:\n    " + ex.replacingOccurrences(of: "\n", with: "\n    ") }
                return s
            }
            return Inspection(name: name, text: lines.joined(separator: "\n\n"))
        }
        if let t = globals.userTypes.types[name] { return Inspection(name: name, text: UserTypes.declarationText(t)) }
        if let slot = globals.slots[name], slot.isDefined {
            if case .function(let f) = slot.value {
                let sigs = f.signatures.map { "func " + $0.declaration }
                return Inspection(name: name, text: sigs.isEmpty ? "\(name): \(f.typeDescription)" : sigs.joined(separator: "\n"))
            }
            return describeValue(name, slot.value)
        }
        if let fns = registry.functions[name] {
            let parts = fns.map { fn -> String in
                var s = fn.signature.declaration + "\n\n" + fn.doc
                if let ex = fn.example { s += "\n\nExample:\n    " + ex.replacingOccurrences(of: "\n", with: "\n    ") }
                return s
            }
            return Inspection(name: name, text: parts.joined(separator: "\n\n"))
        }
        if let doc = registry.types[name] { return Inspection(name: name, text: "\(name)\n\n\(doc)") }
        return nil
    }

    func describeValue(_ name: String, _ value: Value) -> Inspection {
        var summary = value.debugDescription
        if summary.count > 200 { summary = String(summary.prefix(200)) + "…" }
        var text = "\(name): \(value.typeName) = \(summary)"
        switch value {
        case .array(let items): text += "\n\(items.count) element\(items.count == 1 ? "" : "s")"
        case .dictionary(let d): text += "\n\(d.count) key\(d.count == 1 ? "" : "s")"
        case .string(let s): text += "\n\(s.count) character\(s.count == 1 ? "" : "s")"
        default: break
        }
        return Inspection(name: name, text: text)
    }

    /// Whether a cell is ready to run: `complete`, `incomplete` (with the
    /// indent for the next line) or `invalid`.
    public func isComplete(_ code: String) -> IsCompleteStatus {
        if code.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return .complete }
        let tree = Parser.parse(source: code)
        var depth = 0
        var openMultiline = false
        var last: TokenSyntax?
        for token in tree.tokens(viewMode: .sourceAccurate) {
            switch token.tokenKind {
            case .leftParen, .leftBrace, .leftSquare: depth += 1
            case .rightParen, .rightBrace, .rightSquare: depth -= 1
            case .multilineStringQuote: openMultiline.toggle()
            case .endOfFile: continue
            default: break
            }
            last = token
        }
        if openMultiline { return .incomplete(indent: "") }
        if depth > 0 { return .incomplete(indent: String(repeating: " ", count: 4 * depth)) }
        if !tree.hasError {
            if let last, Interpreter.continuesLine(last) { return .incomplete(indent: "") }
            return .complete
        }
        if depth < 0 { return .invalid }
        if let last, Interpreter.continuesLine(last) { return .incomplete(indent: "") }
        // An unterminated single-line string cannot be continued on the next line.
        return .invalid
    }

    static func continuesLine(_ token: TokenSyntax) -> Bool {
        switch token.tokenKind {
        case .binaryOperator, .equal, .comma, .period, .colon, .arrow, .infixQuestionMark: return true
        case .keyword(let k): return [.in, .else, .let, .var, .func, .if, .guard, .while, .for, .switch, .case].contains(k)
        default: return false
        }
    }
}

import Foundation
