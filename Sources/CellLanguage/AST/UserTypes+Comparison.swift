/// Equality, hashing and order of user-type values: the learner's own `==`
/// and `<` when declared, else synthesized from the stored properties.
extension UserTypes {
    // MARK: Equality and order

    /// Calls the type's own `static func op` on two values, if it has one.
    static func userOperator(_ op: String, _ type: UserType, _ a: Value, _ b: Value) -> Bool? {
        guard let rt = type.runtime, let (_, ms) = type.findMethods(op, isStatic: true) else { return nil }
        var me = Value.type(type.name)
        let r: Value
        do {
            r = try invoke(ms[0].decl, of: type, self: &me, args: [a, b], labels: ms[0].decl.labels, callRange: .unknown, rt)
        } catch {
            if rt.comparisonError == nil { rt.comparisonError = error }
            return false
        }
        guard case .bool(let result) = r else { return false }
        return result
    }

    /// `Value.less(a, b)`, throwing what a learner's own `<` threw on the
    /// way instead of counting it as false (see `Runtime.comparisonError`).
    static func less(_ a: Value, _ b: Value) throws -> Bool? {
        let rt: Runtime?
        switch a {
        case .instance(let i): rt = i.type.runtime
        case .object(let o as ClassObject): rt = o.type.runtime
        default: return Value.less(a, b)
        }
        guard let rt else { return Value.less(a, b) }
        return try checked(rt) { Value.less(a, b) }
    }

    /// Runs `body`, throwing what a learner's own `<` or `==` threw inside
    /// it (see `Runtime.comparisonError`) instead of its result.
    @inline(__always)
    static func checked<T>(_ rt: Runtime, _ body: () throws -> T) throws -> T {
        rt.comparisonError = nil
        let r = try body()
        if let e = rt.comparisonError {
            rt.comparisonError = nil
            throw e
        }
        return r
    }

    /// `checked` for a body that compares `v` with `==` (a key looked up, an
    /// operand): the runtime is the one of the user type `v` holds, if any.
    @inline(__always)
    static func comparing<T>(_ v: Value, _ body: () throws -> T) throws -> T {
        switch v {
        // Values that cannot hold a user type's `==` (most keys) need no runtime looked up.
        case .string, .int, .double, .bool: return try body()
        default: break
        }
        guard let rt = runtime(of: v) else { return try body() }
        return try checked(rt, body)
    }

    /// The runtime of the user type `v` is (or holds first, in a collection).
    static func runtime(of v: Value) -> Runtime? {
        switch v {
        case .instance(let i): return i.type.runtime
        case .object(let o as ClassObject): return o.type.runtime
        case .array(let xs): return xs.first.flatMap(runtime(of:))
        case .optional(let w?): return runtime(of: w)
        case .tuple(let t): return t.elements.lazy.compactMap(runtime(of:)).first
        default: return nil
        }
    }

    /// `a op b` where a user type declares `static func op`, or compares
    /// (`Comparable`); nil when neither operand is of such a type.
    static func binary(_ op: String, _ a: Value, _ b: Value, at range: SourceRange) throws -> Value? {
        let type: UserType
        switch (a, b) {
        case (.instance(let i), _), (_, .instance(let i)): type = i.type
        case (.object(let o as ClassObject), _), (_, .object(let o as ClassObject)): type = o.type
        default: return nil
        }
        if let rt = type.runtime, let (_, ms) = type.findMethods(op, isStatic: true) {
            var me = Value.type(type.name)
            let m = ms[0]
            return try invoke(m.decl, of: type, self: &me, args: [a, b], labels: m.decl.labels, callRange: range, rt)
        }
        guard ["<", ">", "<=", ">="].contains(op), let lt = Value.less(a, b), let gt = Value.less(b, a) else { return nil }
        switch op {
        case "<": return .bool(lt)
        case ">": return .bool(gt)
        case "<=": return .bool(!gt)
        default: return .bool(!lt)
        }
    }

    static func equal(_ a: Instance, _ b: Instance) -> Bool {
        guard a.type.name == b.type.name else { return false }
        if let r = userOperator("==", a.type, .instance(a), .instance(b)) { return r }
        return a.tag == b.tag && a.fields == b.fields
    }

    static func hash(_ i: Instance, into hasher: inout Hasher) {
        hasher.combine(i.type.name)
        hasher.combine(i.tag)
        if i.type.findMethods("==", isStatic: true) == nil { hasher.combine(i.fields) }
    }

    static func less(_ a: Instance, _ b: Instance) -> Bool? {
        guard a.type.name == b.type.name else { return nil }
        if let r = userOperator("<", a.type, .instance(a), .instance(b)) { return r }
        if a.type.kind == .enumeration && a.type.conforms(to: "Comparable") { return a.tag < b.tag }
        return nil
    }

    static func less(_ a: ClassObject, _ b: ClassObject) -> Bool? {
        userOperator("<", a.type, .object(a), .object(b))
    }
}
