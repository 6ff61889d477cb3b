/// Arguments matched to a builtin's parameters. Builtins never read them by
/// position: the registry decodes them into the types a builtin declares
/// (`ArgumentTypes.swift`, `Registry+Typed.swift`), with errors that point at
/// the offending argument.
public struct Arguments {
    let values: [Value]
    public let signature: Signature
    let ranges: [SourceRange]
    let callRange: SourceRange

    var count: Int { values.count }
    subscript(i: Int) -> Value { values[i] }

    func range(_ i: Int) -> SourceRange {
        i < ranges.count && ranges[i].isKnown ? ranges[i] : callRange
    }

    func mismatch(_ i: Int, expected: String) -> CellError {
        CellError(.typeError,
                  "cannot convert value of type '\(values[i].typeName)' to expected argument type '\(expected)'",
                  at: range(i), notes: ["'\(signature.name)' is declared as \(signature.declaration)"])
    }
}

public typealias BuiltinImpl = (Arguments, Runtime) throws -> Value

/// A builtin function: one declaration drives calls, completion,
/// inspection, error messages and `shoal docs`. (A class: a call looks its
/// overloads up and should not copy every field of each.)
public final class BuiltinFunction {
    public let signature: Signature
    public let doc: String
    public let example: String?
    let defaults: [Value?]
    let impl: BuiltinImpl

    init(signature: Signature, doc: String, example: String?, defaults: [Value?], impl: @escaping BuiltinImpl) {
        self.signature = signature
        self.doc = doc
        self.example = example
        self.defaults = defaults
        self.impl = impl
    }
}

/// A member of a builtin or host type (a class, as `BuiltinFunction` is).
public final class BuiltinMember {
    public enum Kind {
        case property((Value, Runtime) throws -> Value)
        case method((Value, Arguments, Runtime) throws -> Value)
        case mutatingMethod((inout Value, Arguments, Runtime) throws -> Value)
    }
    public let name: String
    /// Methods: the signature; properties: nil.
    public let signature: Signature?
    /// Properties: the value's type.
    public let propertyType: String
    public let doc: String
    public let example: String?
    let defaults: [Value?]
    let kind: Kind

    init(name: String, signature: Signature?, propertyType: String, doc: String, example: String?,
         defaults: [Value?], kind: Kind) {
        self.name = name
        self.signature = signature
        self.propertyType = propertyType
        self.doc = doc
        self.example = example
        self.defaults = defaults
        self.kind = kind
    }

    public var isMutating: Bool {
        if case .mutatingMethod = kind { return true }
        return false
    }
    public var isProperty: Bool {
        if case .property = kind { return true }
        return false
    }
    public var declaration: String {
        signature.map { "func " + $0.declaration } ?? "var \(name): \(propertyType)"
    }
}

/// Every builtin the cell language knows: functions, type members and
/// statics. Lesson features add their declarations next to the engine call
/// they wrap.
public final class BuiltinRegistry {
    public private(set) var functions: [String: [BuiltinFunction]] = [:]
    /// Type name → member name → overloads. Statics use `Type.Type`.
    public private(set) var members: [String: [String: [BuiltinMember]]] = [:]
    /// Type name → documentation.
    public private(set) var types: [String: String] = [:]
    /// Member names that mutate their receiver on some type.
    public private(set) var mutatingNames: Set<String> = []
    /// The kinds learners see errors from outside the language as (see
    /// `ErrorBoundary`); the lesson vocabulary sets it.
    public var errorTable: ErrorTable?

    public init() {}

    /// The registry with the core language builtins.
    public static func core() -> BuiltinRegistry {
        let r = BuiltinRegistry()
        CoreBuiltins.register(in: r)
        return r
    }

    public func addType(_ name: String, doc: String) { types[name] = doc }

    /// Whether `name` is a builtin function or type (`check`, `print`, `Int`).
    public func isBuiltinName(_ name: String) -> Bool {
        functions[name] != nil || types[name] != nil || coreTypeNames.contains(name)
    }

    /// Declares a function, e.g. `addFunction("abs(_ x: Double) -> Double", doc: "…") { args, rt in … }`.
    public func addFunction(_ declaration: String, doc: String, example: String? = nil,
                            _ impl: @escaping BuiltinImpl) {
        guard let sig = Signature.parse(declaration) else {
            assertionFailure("bad builtin declaration \(declaration)")
            return
        }
        let fn = BuiltinFunction(signature: sig, doc: doc, example: example,
                                 defaults: sig.parameters.map { $0.defaultText.flatMap(BuiltinRegistry.literal) },
                                 impl: impl)
        functions[sig.name, default: []].append(fn)
    }

    public func addMethod(on type: String, _ declaration: String, doc: String, example: String? = nil,
                          _ impl: @escaping (Value, Arguments, Runtime) throws -> Value) {
        addMember(on: type, declaration, doc: doc, example: example, kind: .method(impl))
    }

    public func addMutatingMethod(on type: String, _ declaration: String, doc: String, example: String? = nil,
                                  _ impl: @escaping (inout Value, Arguments, Runtime) throws -> Value) {
        addMember(on: type, declaration, doc: doc, example: example, kind: .mutatingMethod(impl))
    }

    private func addMember(on type: String, _ declaration: String, doc: String, example: String?,
                           kind: BuiltinMember.Kind) {
        guard let sig = Signature.parse(declaration) else {
            assertionFailure("bad builtin declaration \(declaration)")
            return
        }
        let m = BuiltinMember(name: sig.name, signature: sig, propertyType: sig.returns, doc: doc,
                              example: example,
                              defaults: sig.parameters.map { $0.defaultText.flatMap(BuiltinRegistry.literal) },
                              kind: kind)
        if m.isMutating { mutatingNames.insert(sig.name) }
        members[type, default: [:]][sig.name, default: []].append(m)
    }

    /// Declares a read-only property, e.g. `addProperty(on: "Array", "count: Int", doc: …)`.
    public func addProperty(on type: String, _ declaration: String, doc: String, example: String? = nil,
                            _ getter: @escaping (Value, Runtime) throws -> Value) {
        let parts = declaration.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
        let m = BuiltinMember(name: parts[0], signature: nil, propertyType: parts.count > 1 ? parts[1] : "Any",
                              doc: doc, example: example, defaults: [], kind: .property(getter))
        members[type, default: [:]][parts[0], default: []].append(m)
    }

    func member(_ name: String, of value: Value) -> [BuiltinMember]? {
        let type = value.registryTypeName
        if let m = members[type]?[name] { return m }
        if case .object = value, let m = members["Object"]?[name] { return m }
        return members["Any"]?[name]
    }

    /// All members a value offers, for completion.
    func allMembers(of value: Value) -> [BuiltinMember] {
        var out: [BuiltinMember] = []
        for type in [value.registryTypeName, "Any"] {
            for (_, ms) in members[type] ?? [:] { out.append(contentsOf: ms) }
        }
        return out
    }

    /// The value of a default written in a declaration: literals and `.symbols`.
    static func literal(_ text: String) -> Value? {
        if text == "nil" { return .none }
        if text == "true" { return .bool(true) }
        if text == "false" { return .bool(false) }
        if text == "[]" { return .array([]) }
        if text == "[:]" { return .dictionary(OrderedDictionary()) }
        if let i = Int(text) { return .int(i) }
        if let d = Double(text) { return .double(d) }
        if text.hasPrefix("."), text.count > 1 { return .symbol(String(text.dropFirst())) }
        if text.hasPrefix("\""), text.hasSuffix("\""), text.count >= 2 {
            let inner = text.dropFirst().dropLast()
            return .string(inner.replacingOccurrences(of: "\\n", with: "\n")
                .replacingOccurrences(of: "\\t", with: "\t"))
        }
        return nil
    }
}

import Foundation
