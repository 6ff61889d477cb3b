/// Where a declaration stores its value.
indirect enum BindTarget {
    case local(Int)
    case global(GlobalSlot, constant: Bool)
    case tuple([BindTarget])
    case discard

    func bind(_ value: Value, _ rt: Runtime, _ f: Frame, at range: SourceRange) throws {
        switch self {
        case .local(let i): f.slots[i] = value
        case .global(let slot, let constant):
            slot.value = value
            slot.version &+= 1
            slot.isDefined = true
            slot.isConstant = constant
        case .discard: break
        case .tuple(let targets):
            if case .object(let o) = value, let convertible = o as? any TupleConvertible {
                return try bind(.tuple(convertible.tupleValue), rt, f, at: range)
            }
            guard case .tuple(let t) = value else {
                throw CellError.type("cannot destructure a value of type '\(value.typeName)' into \(targets.count) names; it is not a tuple",
                                     at: range)
            }
            guard t.elements.count == targets.count else {
                throw CellError.type("cannot destructure a tuple of \(t.elements.count) elements into \(targets.count) names",
                                     at: range)
            }
            for (target, v) in zip(targets, t.elements) { try target.bind(v, rt, f, at: range) }
        }
    }
}

/// An assignable place: a variable followed by subscripts and members,
/// such as `grid[i][j]` or `pair.0`. Mutation happens in place, so appending
/// to an array in a loop does not copy it.
final class Place {
    enum Root {
        case local(Int)
        case outer(Int, Int)
        case global(GlobalSlot)
    }
    enum Step {
        case subscripted([Expr], labels: [String?], SourceRange)
        case member(String, SourceRange)
        /// `x!` (forced) or `x?` (optional chaining) inside a place: `groups[k]!.append(v)`, `o! += 1`.
        case unwrap(forced: Bool, SourceRange)
    }
    enum Resolved {
        case index(Int, SourceRange)
        case key(Value, defaultValue: Value?, SourceRange)
        case member(String, SourceRange)
        case unwrap(forced: Bool, SourceRange)
        /// Arguments of a user type's subscript other than one unlabelled value.
        case arguments([Value], [String?], SourceRange)
    }

    let root: Root
    let steps: [Step]
    let name: String
    let isConstant: Bool
    /// The declared type of the variable (the root, whatever the steps), when it was annotated.
    let declaredType: TypeRef?
    let range: SourceRange
    /// Set for `point.x = 1` where `point` is a 'let': allowed only when the
    /// root holds a class instance (a reference), checked when it runs.
    var checksConstantRoot = false
    /// Whether a step is `?` (optional chaining): known when the place is made, not looked for on every change.
    private let chains: Bool

    init(root: Root, steps: [Step], name: String, isConstant: Bool, declaredType: TypeRef?, range: SourceRange) {
        self.root = root
        self.steps = steps
        self.name = name
        self.isConstant = isConstant
        self.declaredType = declaredType
        self.range = range
        chains = steps.contains { if case .unwrap(false, _) = $0 { return true } else { return false } }
        holdsAnything = Place.leafType(declaredType, steps).map(\.holdsAnything) ?? false
    }

    /// Whether the declared type gives the place's end the type `Any` (`row[0]`
    /// of a `[Any]`, `info["n"]` of a `[String: Any]`): any value may replace
    /// the one there, as in Swift.
    let holdsAnything: Bool

    /// The declared type `type` at the end of `steps`, when the annotation says it.
    private static func leafType(_ type: TypeRef?, _ steps: [Step]) -> TypeRef? {
        guard var t = type, !steps.isEmpty else { return nil }
        for step in steps {
            switch (step, t) {
            case (.subscripted(let args, _, _), .array(let element)) where args.count == 1: t = element
            case (.subscripted(let args, _, _), .dictionary(_, let value)) where args.count == 1: t = .optional(value)
            case (.unwrap, .optional(let wrapped)): t = wrapped
            default: return nil
            }
        }
        return t
    }

    /// Where the first step is written (`[i]` of `a[i]`).
    var firstStepRange: SourceRange {
        switch steps.first {
        case .subscripted(_, _, let r)?, .member(_, let r)?, .unwrap(_, let r)?: return r
        case nil: return range
        }
    }

    /// Runs `body` on the value in this place, in place. With optional
    /// chaining (`d[k]?.append(x)`, `p?.x = 1`) a nil on the way changes
    /// nothing: an assignment then does nothing and a call gives nil, as in Swift.
    func modify<R>(_ rt: Runtime, _ f: Frame, checkingRoot: Bool = true, _ body: (inout Value) throws -> R) throws -> R {
        guard chains else { return try modifyPlace(rt, f, checkingRoot: checkingRoot, body) }
        do {
            return try modifyPlace(rt, f, checkingRoot: checkingRoot, body)
        } catch is OptionalChainEnded {
            if let none = Value.optional(nil) as? R { return none }
            if let nothing = () as? R { return nothing }
            throw CellError(.nilError, "unexpectedly found nil in this optional chain", at: range)
        }
    }


    private func modifyPlace<R>(_ rt: Runtime, _ f: Frame, checkingRoot: Bool, _ body: (inout Value) throws -> R) throws -> R {
        if checksConstantRoot && checkingRoot { try checkConstantRoot(f) }
        if steps.isEmpty {
            // A plain variable: changed where it lives.
            switch root {
            case .global(let slot):
                guard slot.isDefined else {
                    throw CellError.usedBeforeDeclared(slot.name, at: range)
                }
                return try body(&slot.value)
            case .local(let i): return try body(&f.slots[i])
            case .outer(let d, let i): return try body(&f.ancestor(d).slots[i])
            }
        }
        if steps.count == 1, case .member(let name, _) = steps[0] {
            // `p.vy -= 0.1` on a local tuple: changed where it lives, with no path to resolve.
            var p: UnsafeMutablePointer<Value>?
            switch root {
            case .local(let i): p = f.slots + i
            case .outer(let d, let i): p = f.ancestor(d).slots + i
            case .global: p = nil
            }
            if let p, case .tuple(var t) = p.pointee, let i = Members.tupleIndex(t, name) {
                p.pointee = .void
                defer { p.pointee = .tuple(t) }
                return try body(&t.elements[i])
            }
        }
        var resolved: [Resolved] = []
        resolved.reserveCapacity(steps.count)
        for step in steps {
            var keys: [Value] = []
            if case .subscripted(let exprs, _, _) = step { keys = try exprs.map { try $0.eval(rt, f) } }
            resolved.append(try Place.resolve(step, keys: keys))
        }
        let frame: Frame
        let index: Int
        switch root {
        case .global(let slot):
            guard slot.isDefined else {
                throw CellError.usedBeforeDeclared(slot.name, at: range)
            }
            var v = Value.void
            swap(&v, &slot.value)
            defer { swap(&v, &slot.value) }
            return try Place.apply(&v, resolved[...], body)
        case .local(let i): frame = f; index = i
        case .outer(let d, let i): frame = f.ancestor(d); index = i
        }
        var v = Value.void
        swap(&v, &frame.slots[index])
        defer { swap(&v, &frame.slots[index]) }
        return try Place.apply(&v, resolved[...], body)
    }

    /// `step` with its subscript's keys evaluated (`keys`: empty for other steps).
    static func resolve(_ step: Step, keys vals: [Value]) throws -> Resolved {
        switch step {
        case .member(let n, let r): return .member(n, r)
        case .unwrap(let forced, let r): return .unwrap(forced: forced, r)
        case .subscripted(_, let labels, let r):
            if vals.count == 2, labels[1] == "default" { return .key(vals[0], defaultValue: vals[1], r) }
            guard vals.count == 1, labels[0] == nil else { return .arguments(vals, labels, r) }
            if case .int(let i) = vals[0] { return .index(i, r) }
            return .key(vals[0], defaultValue: nil, r)
        }
    }

    /// Each step takes the collection out of `v` (leaving `.void` behind)
    /// before changing it, so that its storage has one owner and is changed
    /// in place: matching on a copy of `v` would keep a second reference
    /// and copy the whole collection on every assignment.
    static func apply<R>(_ v: inout Value, _ steps: ArraySlice<Resolved>,
                                 _ body: (inout Value) throws -> R) throws -> R {
        guard let step = steps.first else { return try body(&v) }
        let rest = steps.dropFirst()
        switch step {
        case .index(let i, let r):
            if case .array = v { return try element(&v, i, at: r) { try apply(&$0, rest, body) } }
            if case .dictionary = v {
                return try apply(&v, [Resolved.key(.int(i), defaultValue: nil, r)] + rest, body)
            }
        case .key(let k, let d, let r):
            if case .dictionary = v {
                // `d[k]?.append(x)` on a missing key changes nothing; `d[k]!.append(x)` says the key is missing.
                // (The dictionary is looked at through `v`: a copy of it held here would make `entry` copy it whole.)
                if d == nil, case .unwrap(let forced, let u)? = rest.first, !hasKey(v, k) {
                    if forced { throw Place.foundNil(at: u) }
                    throw Place.OptionalChainEnded()
                }
                return try entry(&v, k, defaultValue: d, storing: rest.isEmpty && d == nil, at: r) { try apply(&$0, rest, body) }
            }
        case .unwrap(let forced, let r):
            // A dictionary's entry arrives unwrapped already; an optional variable or property is opened here.
            guard case .optional(let inner) = v else { return try apply(&v, rest, body) }
            guard var w = inner else {
                if forced { throw Place.foundNil(at: r) }
                throw Place.OptionalChainEnded()
            }
            v = .void
            defer { v = .optional(w) }
            return try apply(&w, rest, body)
        case .member(let name, let r):
            if case .instance(var inst) = v {
                guard let i = inst.type.storedIndex[name], i < inst.fields.count else {
                    return try UserPlaces.computed(&v, name, at: r) { try apply(&$0, rest, body) }
                }
                try UserPlaces.checkWritable(inst.type, i, current: inst.fields[i], at: r)
                v = .void
                Instance.changing(&inst)
                defer { v = .instance(inst) }
                if !Memory.isUnique(&inst.fields) {
                    try Memory.charge(Memory.values(inst.fields.count), "copying this value to change it", at: r)
                }
                return try apply(&inst.fields[i], rest, body)
            }
            if case .object(let o) = v, let obj = o as? ClassObject {
                guard let i = obj.type.storedIndex[name], i < obj.fields.count else {
                    return try UserPlaces.computed(&v, name, at: r) { try apply(&$0, rest, body) }
                }
                try UserPlaces.checkWritable(obj.type, i, current: obj.fields[i], at: r)
                if UserPlaces.isObserved(obj, i, whole: rest.isEmpty) {
                    return try UserPlaces.observed(obj, i) { try apply(&$0, rest, body) }
                }
                var field = Value.void
                swap(&field, &obj.fields[i])
                defer { swap(&field, &obj.fields[i]) }
                return try apply(&field, rest, body)
            }
            guard case .tuple(var t) = v else {
                throw CellError.type("cannot assign to property: '\(name)' of '\(v.typeName)' is read-only", at: r)
            }
            guard let i = Members.tupleIndex(t, name) else {
                throw CellError.type("value of tuple type '\(v.typeName)' has no member '\(name)'", at: r)
            }
            v = .void
            defer { v = .tuple(t) }
            return try apply(&t.elements[i], rest, body)
        case .arguments: break
        }
        if let type = UserSubscripts.type(of: v), let (args, labels) = step.subscriptArguments {
            return try UserSubscripts.modify(&v, type, args, labels: labels, at: step.range) { try apply(&$0, rest, body) }
        }
        if case .optional = v { throw Arithmetic.unwrapError(v, at: step.range) }
        throw CellError.type("value of type '\(v.typeName)' has no subscripts that can be assigned", at: step.range)
    }

    /// A `?` in a place met nil: the change is skipped (caught in `modify`).
    struct OptionalChainEnded: Error {}

    /// Swift stops the program here; a cell stops with an error that says where.
    static func foundNil(at r: SourceRange) -> CellError {
        CellError.foundNil(at: r, notes: ["use '?' instead of '!' to skip the change when there is no value, or check with 'if let' first"])
    }

    /// `body` on element `i` of the array in `v` (which must hold an array), in place.
    @inline(__always)
    static func element<R>(_ v: inout Value, _ i: Int, at r: SourceRange, _ body: (inout Value) throws -> R) throws -> R {
        guard case .array(var items) = v else {
            throw CellError.type("value of type '\(v.typeName)' has no subscripts that can be assigned", at: r)
        }
        guard i >= 0 && i < items.count else {
            throw CellError(.indexError, Subscripts.outOfRange(i, items.count), at: r)
        }
        v = .void
        defer { v = .array(items) }
        if !Memory.isUnique(&items) {
            // Shared storage (`Array(repeating: row, count: n)`, `let b = a`) is copied first.
            try Memory.charge(Memory.values(items.count), "copying this array to change it", at: r)
        }
        return try body(&items[i])
    }

    /// `modify` for a place of one subscript step (`a[i]`, `d[k, default: x]`)
    /// whose root value is `root` and whose keys are already evaluated: the
    /// compiled form of assignments to elements.
    static func modifyElement<R>(_ root: inout Value, key: Value, defaultValue: Value?, at r: SourceRange,
                                 _ body: (inout Value) throws -> R) throws -> R {
        if defaultValue == nil, case .int(let i) = key, case .array = root { return try element(&root, i, at: r, body) }
        if let d = defaultValue, case .dictionary = root {
            return try entry(&root, key, defaultValue: d, storing: false, at: r, body)
        }
        let step: Resolved
        if let d = defaultValue {
            step = .key(key, defaultValue: d, r)
        } else if case .int(let i) = key {
            step = .index(i, r)
        } else {
            step = .key(key, defaultValue: nil, r)
        }
        return try apply(&root, [step][...], body)
    }

    /// Whether the dictionary `v` holds `k`.
    private static func hasKey(_ v: Value, _ k: Value) -> Bool {
        if case .dictionary(let dict) = v { return dict.position(of: k) != nil }
        return false
    }

    /// Runs `body` on the value for `k` in the dictionary `v`, in place. The
    /// key is hashed once to find it (and once more to add it as `d`; without
    /// `d` a missing key is a KeyError). `storing`: `body` gets the value as
    /// an optional, and nil removes the key (`d[k] = v`, `d[k] = nil`).
    static func entry<R>(_ v: inout Value, _ k: Value, defaultValue d: Value?, storing: Bool, at r: SourceRange,
                         _ body: (inout Value) throws -> R) throws -> R {
        guard case .dictionary(var dict) = v else { return try body(&v) }
        v = .void
        defer { v = .dictionary(dict) }
        let found = try UserTypes.comparing(k) { dict.position(of: k) }
        try Memory.charge(Memory.growth(of: &dict, adding: found == nil ? 1 : 0), "growing this dictionary", at: r)
        if storing {
            var item: Value = .optional(found.map { dict.values[$0] })
            let result = try body(&item)
            if case .optional(let w) = item { dict[k] = w } else { dict[k] = item }
            return result
        }
        let at: Int
        if let found {
            at = found
        } else {
            guard let d else {
                throw CellError(.keyError, "no value for key \(k.debugDescription) in the dictionary", at: r)
            }
            at = dict.appendNew(k, d)
        }
        return try dict.modifyValue(at: at, body)
    }

    /// `d[k] = new` when `v` is a dictionary that has the Int, String, Double
    /// or Bool key `k` already, holding an Int, Double or Bool of `new`'s
    /// kind: replaced where it is, hashed once (what `entry` and
    /// `AssignExpr.store` would store, without the optional they pass it
    /// in). False, with nothing changed, otherwise.
    static func replaceEntry(_ v: inout Value, _ k: Value, with new: Value) -> Bool {
        switch k {
        case .int, .string, .double, .bool: break
        default: return false
        }
        guard case .dictionary(var dict) = v else { return false }
        v = .void
        defer { v = .dictionary(dict) }
        guard let at = dict.position(of: k), sameScalar(dict.values[at], new) else { return false }
        dict.replaceValue(at: at, with: new)
        return true
    }

    @inline(__always)
    static func sameScalar(_ a: Value, _ b: Value) -> Bool {
        if case .int = a, case .int = b { return true }
        if case .double = a, case .double = b { return true }
        if case .bool = a, case .bool = b { return true }
        return false
    }

    /// Why `new` cannot be assigned where a `type` is: an implicit member the
    /// number type does not have (`y = .nowhere`), or the two types.
    static func misfit(_ new: Value, _ type: String, at range: SourceRange) -> CellError {
        if case .symbol(let name) = new, Value.numberTypes.contains(type) {
            return CellError.type("type '\(type)' has no member '\(name)'", at: range)
        }
        return CellError.type("cannot assign value of type '\(new.typeName)' to type '\(type)'", at: range)
    }

    /// Checks that `new` may replace `old` (same type; Int literals may become
    /// Doubles; optionals wrap), returning the value to store.
    static func fit(_ new: Value, replacing old: Value, literal: Bool) -> Value? {
        switch (old, new) {
        case (.void, _): return new
        case (.optional, .optional): return new
        case (.optional(let w), _):
            guard let w else { return .optional(new) }
            return fit(new, replacing: w, literal: literal).map { .optional($0) }
        case (.int, .int), (.double, .double), (.bool, .bool), (.string, .string), (.array, .array),
             (.dictionary, .dictionary), (.tuple, .tuple), (.range, .range), (.doubleRange, .doubleRange),
             (.function, .function), (.symbol, .symbol):
            return new
        case (.double, .int(let i)) where literal: return .double(Double(i))
        case (.double, .symbol(let member)): return Value.implicitMember(member, of: "Double")
        case (.int, .symbol(let member)): return Value.implicitMember(member, of: "Int")
        case (.object(let a), .object(let b)) where a.typeName == b.typeName: return new
        case (.object(let a as ClassObject), .object(let b as ClassObject)) where b.type.isSubtype(of: a.type): return new
        case (.instance(let a), .instance(let b)) where a.type.name == b.type.name: return new
        default: return nil
        }
    }
}

extension Place.Resolved {
    var range: SourceRange {
        switch self {
        case .index(_, let r), .key(_, _, let r), .member(_, let r), .unwrap(_, let r), .arguments(_, _, let r): return r
        }
    }

    /// The arguments of a subscript step, as a user type's subscript takes them.
    var subscriptArguments: ([Value], [String?])? {
        switch self {
        case .index(let i, _): return ([.int(i)], [nil])
        case .key(let k, nil, _): return ([k], [nil])
        case .arguments(let vs, let ls, _): return (vs, ls)
        default: return nil
        }
    }
}
