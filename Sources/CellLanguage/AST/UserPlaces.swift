/// Assignments through the properties of user types (`fish.length += 1`,
/// `self.position.x = 0`), used by `Place`.
enum UserPlaces {
    /// A 'let' property may be set once, by an initializer (while it holds no value yet).
    static func checkWritable(_ type: UserType, _ i: Int, current: Value, at range: SourceRange) throws {
        let p = type.stored[i]
        guard p.isConstant else { return }
        if case .void = current { return }
        throw CellError.type("cannot assign to property: '\(p.name)' is a 'let' constant", at: range,
                             notes: ["change 'let' to 'var' in the declaration of '\(type.name)' to make it mutable"])
    }

    /// Whether changing property `i` of `object` runs observers: it has
    /// some, it holds a value (an initializer's first assignment runs none),
    /// and the change is to the property itself or inside a value it holds
    /// (not through a class instance it refers to).
    static func isObserved(_ object: ClassObject, _ i: Int, whole: Bool) -> Bool {
        let p = object.type.stored[i]
        guard p.didSet != nil || p.willSet != nil else { return false }
        switch object.fields[i] {
        case .void: return false
        case .object(let o) where o is ClassObject: return whole
        default: return true
        }
    }

    /// Runs `body` on a copy of property `i`, then `willSet` (with the new
    /// value), stores it, then `didSet` (with the old value).
    static func observed<R>(_ object: ClassObject, _ i: Int, _ body: (inout Value) throws -> R) throws -> R {
        let type = object.type
        let p = type.stored[i]
        let old = object.fields[i]
        var new = old
        let result = try body(&new)
        guard let rt = type.runtime else {
            object.fields[i] = new
            return result
        }
        var me = Value.object(object)
        if let w = p.willSet {
            _ = try UserTypes.invoke(w, of: type, self: &me, args: [new], labels: [nil], callRange: .unknown, rt)
        }
        object.fields[i] = new
        if let d = p.didSet {
            _ = try UserTypes.invoke(d, of: type, self: &me, args: [old], labels: [nil], callRange: .unknown, rt)
        }
        return result
    }

    /// `value.name = …` where `name` is a computed property: get, change, set.
    static func computed<R>(_ v: inout Value, _ name: String, at range: SourceRange,
                            _ body: (inout Value) throws -> R) throws -> R {
        let type: UserType
        switch v {
        case .instance(let i): type = i.type
        case .object(let o as ClassObject): type = o.type
        default: throw CellError.type("value of type '\(v.typeName)' has no member '\(name)'", at: range)
        }
        guard let c = type.findComputed(name) else {
            throw UserTypes.noMember(name, of: v, type, isStatic: false, at: range)
        }
        guard let setter = c.setter, let rt = type.runtime else {
            throw CellError.type("cannot assign to property: '\(name)' is a get-only property", at: range,
                                 notes: ["add a 'set' to the computed property to make it settable"])
        }
        var current = try UserTypes.invoke(c.getter, of: type, self: &v, args: [], labels: [], callRange: range, rt)
        let result = try body(&current)
        _ = try UserTypes.invoke(setter, of: type, self: &v, args: [current], labels: [nil], callRange: range, rt)
        return result
    }
}

extension Place {
    /// The value of the variable this place starts from.
    func rootValue(_ f: Frame) -> Value {
        switch self.root {
        case .local(let i): return f.slots[i]
        case .outer(let d, let i): return f.ancestor(d).slots[i]
        case .global(let slot): return slot.value
        }
    }

    /// Whether the variable holds a class instance, whose properties change
    /// through the reference even when the variable is a 'let'.
    func holdsObject(_ f: Frame) -> Bool {
        guard !steps.isEmpty, case .object(let o) = rootValue(f) else { return false }
        return o is ClassObject
    }

    /// `p.x = 1` on a 'let' `p`: only a class instance may be changed so.
    func checkConstantRoot(_ f: Frame) throws {
        let root = rootValue(f)
        if case .object(let o) = root, o is ClassObject { return }
        if name == "self" {
            throw CellError.type("cannot assign to property: 'self' is immutable", at: range,
                                 notes: ["mark the method 'mutating' to make 'self' mutable"])
        }
        if case .instance = root {
            throw CellError.type("cannot assign to property: '\(name)' is a 'let' constant", at: range,
                                 notes: ["change 'let' to 'var' to make it mutable"])
        }
        throw CellError(.typeError, "cannot assign to value: '\(name)' is a 'let' constant", at: range,
                        notes: ["change 'let' to 'var' to make it mutable"])
    }
}

/// Type checks and patterns for user types.
enum UserTypeRefs {
    /// `value` as a value of `type` (an implicit `.case` becomes the case), or nil.
    static func coerce(_ value: Value, to type: UserType) -> Value? {
        switch value {
        case .instance(let i):
            if i.type === type || i.type.name == type.name { return value }
            return type.kind == .protocolType && i.type.conforms(to: type.name) ? value : nil
        case .object(let o as ClassObject):
            return o.type.isSubtype(of: type) ? value : nil
        case .symbol(let s):
            if type.kind == .enumeration, let k = type.caseIndex[s], type.cases[k].labels == nil {
                return .instance(Instance(type: type, tag: k, fields: []))
            }
            // `.origin` where a Point is expected: the type's static member of that name.
            guard let rt = type.runtime, let v = try? UserTypes.staticGet(type, s, rt, at: .unknown) else { return nil }
            if case .symbol = v { return nil }
            return coerce(v, to: type)
        default:
            guard type.kind == .protocolType, let rt = type.runtime,
                  let ext = rt.userTypes.extensions[value.registryTypeName] else { return nil }
            return ext.conforms(to: type.name) ? value : nil
        }
    }

    static func matchCase(_ v: Value, _ name: String, _ ps: [Pattern]?, _ rt: Runtime, _ f: Frame,
                          at range: SourceRange) throws -> Bool {
        if case .symbol(let s) = v { return s == name && (ps?.isEmpty ?? true) }
        if case .optional(let w) = v {
            // `case .some(.venus)`, `case .none`, and `case .venus` on an optional.
            switch (name, w) {
            case ("none", nil): return ps?.isEmpty ?? true
            case ("some", let x?): return try ps?.count == 1 ? ps![0].matches(x, rt, f, at: range) : true
            case (_, let x?): return try matchCase(x, name, ps, rt, f, at: range)
            default: return false
            }
        }
        guard case .instance(let i) = v, i.type.kind == .enumeration else { return false }
        guard i.caseName == name else {
            if i.type.caseIndex[name] == nil, rt.userTypes.enumsHaving(name).isEmpty { throw unknownCase(name, of: i.type, at: range) }
            return false
        }
        guard let ps else { return true }
        if ps.count == 1, i.fields.count > 1 {
            // `case .pair(let both)` binds the associated values as one tuple.
            let labels = i.type.cases[i.tag].labels ?? []
            return try ps[0].matches(.tuple(TupleValue(i.fields, labels: labels)), rt, f, at: range)
        }
        guard ps.count == i.fields.count else { return false }
        for (p, x) in zip(ps, i.fields) where !(try p.matches(x, rt, f, at: range)) { return false }
        return true
    }

    /// `case .fsh(let x)` against an enum without that case: Swift refuses it.
    static func unknownCase(_ name: String, of type: UserType, at range: SourceRange) -> CellError {
        var message = "enum '\(type.name)' has no case '\(name)'"
        if let close = Suggestions.closest(to: name, in: type.cases.map(\.name)) { message += "; did you mean '\(close)'?" }
        return CellError.type(message, at: range,
                              notes: ["the cases of '\(type.name)' are " + type.cases.map { "." + $0.name }.joined(separator: ", ")])
    }

    /// A pattern's value `p` (`.wed`, or a case of another enum) that cannot
    /// be a case of the enum value `v`: the error to report, else nil.
    static func foreignCase(_ p: Value, _ v: Value, at range: SourceRange) -> CellError? {
        guard case .instance(let i) = v, i.type.kind == .enumeration else { return nil }
        let name: String
        switch p {
        case .symbol(let s): name = s
        case .instance(let c) where c.type !== i.type && c.type.kind == .enumeration: name = c.caseName
        default: return nil
        }
        return i.type.caseIndex[name] == nil ? unknownCase(name, of: i.type, at: range) : nil
    }
}
