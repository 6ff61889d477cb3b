/// Subscripts a user type declares: `tank[2]` reads through the getter,
/// `tank[2] = x` and `tank[2] += x` read, change and write back through the setter.
enum UserSubscripts {
    /// The type whose subscripts `v` uses, if it is a user type's value.
    static func type(of v: Value) -> UserType? {
        switch v {
        case .instance(let i): return i.type
        case .object(let o as ClassObject): return o.type
        default: return nil
        }
    }

    static func noSubscript(_ type: UserType, _ args: [Value], labels: [String?], at range: SourceRange) -> CellError {
        let shape = zip(labels, args).map { ($0.0.map { "\($0): " } ?? "") + $0.1.typeName }.joined(separator: ", ")
        if type.subscripts.isEmpty && type.memberSources.allSatisfy(\.subscripts.isEmpty) {
            return CellError.type("value of type '\(type.name)' has no subscripts", at: range,
                                  notes: ["declare one in the type: subscript(i: Int) -> … { … }"])
        }
        return CellError.type("no subscript of '\(type.name)' takes (\(shape))", at: range)
    }

    /// `v[args]` for a user type's value; nil when `v` is not one.
    static func get(_ v: Value, _ args: [Value], labels: [String?], _ rt: Runtime, at range: SourceRange) throws -> Value? {
        guard let type = type(of: v) else { return nil }
        guard let s = type.findSubscript(labels: labels) else { throw noSubscript(type, args, labels: labels, at: range) }
        var me = v
        return try UserTypes.invoke(s.getter, of: type, self: &me, args: args, labels: labels, callRange: range, rt)
    }

    /// `body` on `v[args]`, written back through the subscript's setter.
    static func modify<R>(_ v: inout Value, _ type: UserType, _ args: [Value], labels: [String?], at range: SourceRange,
                          _ body: (inout Value) throws -> R) throws -> R {
        guard let s = type.findSubscript(labels: labels) else { throw noSubscript(type, args, labels: labels, at: range) }
        guard let setter = s.setter, let rt = type.runtime else {
            throw CellError.type("cannot assign through subscript: subscript is get-only", at: range,
                                 notes: ["add a 'set' to the subscript to make it settable"])
        }
        var current = try UserTypes.invoke(s.getter, of: type, self: &v, args: args, labels: labels, callRange: range, rt)
        let result = try body(&current)
        if let t = s.getter.returnType, let c = t.coerce(current, literal: true) { current = c }
        _ = try UserTypes.invoke(setter, of: type, self: &v, args: args + [current], labels: labels + [nil], callRange: range, rt)
        return result
    }
}
