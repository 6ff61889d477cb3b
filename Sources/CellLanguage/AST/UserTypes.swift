/// How values of user types behave: members, calls and construction (their
/// text and inspection, equality and order, and callables are beside this file).
enum UserTypes {
    // MARK: Running members

    /// Runs a method, initializer or accessor `decl` of `type` with `receiver`
    /// as `self`; the receiver is moved into the call (so a mutating method
    /// changes it without a copy) and the final `self` put back.
    static func invoke(_ decl: FunctionDecl, of type: UserType, self receiver: inout Value, args: [Value],
                       labels: [String?], literals: [Bool] = [], ranges: [SourceRange] = [],
                       callRange: SourceRange, _ rt: Runtime) throws -> Value {
        try withMethod(decl, of: type, self: &receiver) { fn in
            try fn.call(args, labels: labels, literals: literals, ranges: ranges, callRange: callRange, rt)
        }
    }

    /// Runs `body` with `decl` as a function whose frame holds `receiver` as
    /// `self`; the final `self` is put back after.
    @inline(__always)
    static func withMethod<R>(_ decl: FunctionDecl, of type: UserType, self receiver: inout Value,
                              _ body: (UserFunction) throws -> R) throws -> R {
        // The function and its self frame are reused by the next call when
        // nothing (a closure, a recursive call still running) kept them.
        let scope = type.capturedIdentity
        let fn = methodFunction(decl, of: type)
        guard let slots = fn.captured?.slots else { return try body(fn) }
        swap(&slots[0], &receiver)
        let result: R
        do {
            result = try body(fn)
        } catch {
            swap(&slots[0], &receiver)
            keep(fn, decl, scope)
            throw error
        }
        swap(&slots[0], &receiver)
        keep(fn, decl, scope)
        return result
    }

    /// The function for a call of `decl` on an instance of `type`, with its
    /// one-slot `self` frame: the one the last call kept, or a new one.
    @inline(__always)
    static func methodFunction(_ decl: FunctionDecl, of type: UserType) -> UserFunction {
        if decl.memberCacheScope == type.capturedIdentity, let cached = decl.memberCache.take() { return cached }
        return UserFunction(decl: decl, captured: Frame(size: 1, parent: type.captured))
    }

    /// `fn` kept in `decl` for the next call, unless something else holds it.
    @inline(__always)
    static func keep(_ fn: consuming UserFunction, _ decl: FunctionDecl, _ scope: ObjectIdentifier?) {
        guard isKnownUniquelyReferenced(&fn) else { return }
        decl.memberCache = fn
        decl.memberCacheScope = scope
    }

    /// The user type whose members `v` has, and whether they are its static members.
    static func owner(of v: Value, _ rt: Runtime) -> (UserType, isStatic: Bool)? {
        switch v {
        case .instance(let i): return (i.type, false)
        case .object(let o):
            if let c = o as? ClassObject { return (c.type, false) }
            return nil
        case .type(let n):
            if let t = rt.userTypes.types[n] { return (t, true) }
            return rt.userTypes.extensions[n].map { ($0, true) }
        default:
            if rt.userTypes.extensions.isEmpty { return nil }
            return rt.userTypes.extensions[v.registryTypeName].map { ($0, false) }
        }
    }

    static func noMember(_ name: String, of v: Value, _ type: UserType, isStatic: Bool, at range: SourceRange) -> CellError {
        let names = isStatic ? type.staticMemberNames : type.memberNames
        var message = isStatic ? "type '\(type.name)' has no member '\(name)'"
            : "value of type '\(type.name)' has no member '\(name)'"
        if let close = Suggestions.closest(to: name, in: names) { message += "; did you mean '\(close)'?" }
        return CellError.type(message, at: range)
    }

    /// `v.name` when `v` has user members; nil when the builtin registry should answer.
    static func get(_ v: Value, _ name: String, _ rt: Runtime, at range: SourceRange) throws -> Value? {
        guard let (type, isStatic) = owner(of: v, rt) else { return nil }
        if isStatic { return try staticGet(type, name, rt, at: range) }
        switch v {
        case .instance(let i):
            if let k = type.storedIndex[name], k < i.fields.count { return i.fields[k] }
            if name == "rawValue", type.kind == .enumeration, i.tag < type.cases.count,
               let raw = type.cases[i.tag].rawValue {
                return raw
            }
        case .object(let o as ClassObject):
            if let k = type.storedIndex[name], k < o.fields.count { return o.fields[k] }
        default: break
        }
        if let c = type.findComputed(name) {
            var receiver = v
            return try invoke(c.getter, of: type, self: &receiver, args: [], labels: [], callRange: range, rt)
        }
        if type.findMethods(name) != nil {
            return .function(BoundUserMethod(receiver: v, type: type, name: name))
        }
        if type.kind == .builtin { return nil }
        throw noMember(name, of: v, type, isStatic: false, at: range)
    }

    static func staticGet(_ type: UserType, _ name: String, _ rt: Runtime, at range: SourceRange) throws -> Value? {
        if let k = type.caseIndex[name] {
            let c = type.cases[k]
            if c.labels == nil { return .instance(Instance(type: type, tag: k, fields: [])) }
            return .function(EnumCaseConstructor(type: type, tag: k))
        }
        if name == "allCases", type.kind == .enumeration {
            return .array(type.cases.indices.map { .instance(Instance(type: type, tag: $0, fields: [])) })
        }
        if let slot = type.findStatic(name) {
            guard slot.isDefined else { throw CellError.usedBeforeDeclared("\(type.name).\(name)", at: range) }
            return slot.value
        }
        if let c = type.findComputed(name, isStatic: true) {
            var receiver = Value.type(type.name)
            return try invoke(c.getter, of: type, self: &receiver, args: [], labels: [], callRange: range, rt)
        }
        if type.kind == .builtin { return nil }
        throw noMember(name, of: .type(type.name), type, isStatic: true, at: range)
    }

    /// `v.name(args)`; nil when `v` has no user member of that name and the
    /// builtin registry should answer. `place` is where `v` lives, when it
    /// names a variable (a mutating method changes it there).
    static func call(_ v: inout Value, _ name: String, args: [Value], labels: [String?], literals: [Bool] = [],
                     ranges: [SourceRange],
                     place: (Place, constant: Bool)?, nameRange: SourceRange, callRange: SourceRange,
                     missingTry: String? = nil, _ rt: Runtime) throws -> Value? {
        guard let (type, isStatic) = owner(of: v, rt) else { return nil }
        if let (_, ms) = type.findMethods(name, isStatic: isStatic) {
            let m = choose(ms, labels: labels)
            if let missingTry, m.decl.isThrowing {
                // Where the lowerer could not see the receiver's type: refused here, before the call.
                throw CellError.missingTry(missingTry, at: callRange)
            }
            if m.isMutating && !type.isClass {
                guard let place else {
                    throw CellError.type("cannot use mutating member on immutable value: '\(name)' changes the value it is called on",
                                         at: nameRange, notes: ["store the value in a 'var' first"])
                }
                if place.constant {
                    if place.0.name == "self" {
                        throw CellError.type("cannot use mutating member on immutable value: 'self' is immutable",
                                             at: nameRange, notes: ["mark the method 'mutating' to make 'self' mutable"])
                    }
                    throw CellError.type("cannot use mutating member on immutable value: '\(place.0.name)' is a 'let' constant",
                                         at: nameRange, notes: ["change 'let' to 'var' to make it mutable"])
                }
            }
            return try invoke(m.decl, of: type, self: &v, args: args, labels: labels, literals: literals, ranges: ranges,
                              callRange: callRange, rt)
        }
        if isStatic, name == "init" {
            return try construct(type, args: args, labels: labels, literals: literals, ranges: ranges, callRange: callRange, rt)
        }
        // A property holding a function, or an enum case with associated values.
        guard let member = try (isStatic ? staticGet(type, name, rt, at: nameRange) : get(v, name, rt, at: nameRange)) else {
            return nil
        }
        guard case .function(let fn) = member else {
            throw CellError.type("cannot call value of non-function type '\(member.typeName)'", at: nameRange)
        }
        return try fn.call(args, labels: labels, literals: literals, ranges: ranges, callRange: callRange, rt)
    }

    /// The overload whose parameter labels fit the call (the first one when none does).
    static func choose(_ ms: [UserType.Method], labels: [String?]) -> UserType.Method {
        if ms.count == 1 { return ms[0] }
        for m in ms {
            if case .success = ArgumentMatcher.match(m.decl.parameters, labels: labels) { return m }
        }
        return ms[0]
    }

    // MARK: Construction

    /// The stored properties' initial values (`.void` where there is none).
    static func initialFields(_ type: UserType, _ rt: Runtime, at range: SourceRange) throws -> [Value] {
        try Memory.charge(Memory.values(type.stored.count), "this value", at: range)
        var fields: [Value] = []
        fields.reserveCapacity(type.stored.count)
        for p in type.stored {
            if let l = p.literal {
                fields.append(l)
            } else if let d = p.initial {
                var nothing = Value.void
                let v = try invoke(d, of: type, self: &nothing, args: [], labels: [], callRange: range, rt)
                // `var values: [Double] = [0, 0]`: integer literals become Doubles, as in Swift.
                fields.append(p.type.flatMap { $0.coerce(v, literal: d.implicitResult?.isLiteral ?? false) } ?? v)
            } else {
                fields.append(.void)
            }
        }
        return fields
    }

    static func construct(_ type: UserType, args: [Value], labels: [String?], literals: [Bool], ranges: [SourceRange],
                          callRange: SourceRange, _ rt: Runtime) throws -> Value {
        switch type.kind {
        case .protocolType:
            throw CellError.type("'\(type.name)' is a protocol; it cannot be constructed", at: callRange,
                                 notes: ["construct a type that conforms to it"])
        case .builtin:
            throw CellError.type("'\(type.name)' cannot be constructed here", at: callRange)
        case .enumeration:
            if type.inits.isEmpty {
                guard labels == ["rawValue"], args.count == 1, type.rawType != nil else {
                    throw CellError.type("enum '\(type.name)' has no initializer taking (\(labels.map { ($0 ?? "_") + ":" }.joined()))",
                                         at: callRange,
                                         notes: type.rawType == nil ? ["write a case: \(type.name).\(type.cases.first?.name ?? "name")"]
                                             : ["use \(type.name)(rawValue: …), which gives nil for an unknown raw value"])
                }
                for (k, c) in type.cases.enumerated() where c.rawValue == args[0] {
                    return .optional(.instance(Instance(type: type, tag: k, fields: [])))
                }
                return .none
            }
            var me = Value.void
            let decl = chooseInit(type.inits, labels: labels)
            let r = try invoke(decl, of: type, self: &me, args: args, labels: labels, literals: literals, ranges: ranges,
                               callRange: callRange, rt)
            if decl.isFailable, case .optional(nil) = r { return .optional(nil) }
            if case .void = me {
                throw CellError.type("'self' was not set in the initializer of '\(type.name)'", at: callRange)
            }
            return decl.isFailable ? .optional(me) : me
        case .structure:
            let fields = try initialFields(type, rt, at: callRange)
            if type.inits.isEmpty {
                return .instance(Instance(type: type, tag: 0,
                                          fields: try memberwise(type, fields, args: args, labels: labels,
                                                                 literals: literals, ranges: ranges, callRange: callRange)))
            }
            var me = Value.instance(Instance(type: type, tag: 0, fields: fields))
            let decl = chooseInit(type.inits, labels: labels)
            let r = try invoke(decl, of: type, self: &me, args: args, labels: labels, literals: literals, ranges: ranges,
                               callRange: callRange, rt)
            if decl.isFailable, case .optional(nil) = r { return .optional(nil) }
            if case .instance(let i) = me { try checkInitialized(type, i.fields, at: callRange) }
            return decl.isFailable ? .optional(me) : me
        case .classType:
            let obj = ClassObject(type: type, fields: try initialFields(type, rt, at: callRange))
            var me = Value.object(obj)
            guard let owner = type.lineage.first(where: { !$0.inits.isEmpty }) else {
                if !args.isEmpty {
                    throw CellError.type("class '\(type.name)' has no initializer taking arguments", at: callRange,
                                         notes: ["write an init(…) in the class"])
                }
                try checkInitialized(type, obj.fields, at: callRange)
                return me
            }
            let decl = chooseInit(owner.inits, labels: labels)
            let r = try invoke(decl, of: owner, self: &me, args: args, labels: labels, literals: literals, ranges: ranges,
                               callRange: callRange, rt)
            if decl.isFailable, case .optional(nil) = r { return .optional(nil) }
            try checkInitialized(type, obj.fields, at: callRange)
            return decl.isFailable ? .optional(me) : me
        }
    }

    static func chooseInit(_ inits: [FunctionDecl], labels: [String?]) -> FunctionDecl {
        if inits.count == 1 { return inits[0] }
        for d in inits {
            if case .success = ArgumentMatcher.match(d.parameters, labels: labels) { return d }
        }
        return inits[0]
    }

    static func checkInitialized(_ type: UserType, _ fields: [Value], at range: SourceRange) throws {
        for (p, v) in zip(type.stored, fields) {
            if case .void = v {
                throw CellError.type("the initializer of '\(type.name)' did not set the property '\(p.name)'", at: range,
                                     notes: ["set every stored property in init, e.g. self.\(p.name) = \(p.name)"])
            }
        }
    }

    /// The parameters of a struct's memberwise initializer.
    static func memberwiseParameters(_ type: UserType) -> [Parameter] {
        type.stored.filter { !($0.isConstant && ($0.initial != nil || $0.literal != nil)) }.map { p in
            Parameter(label: p.name, name: p.name, type: p.typeText ?? "Any",
                      defaultText: p.initial != nil || p.literal != nil ? "…" : nil, isVariadic: false)
        }
    }

    static func memberwise(_ type: UserType, _ initial: [Value], args: [Value], labels: [String?], literals: [Bool],
                           ranges: [SourceRange], callRange: SourceRange) throws -> [Value] {
        // Every parameter given by its label, in order (`Fish(name: n, length: l)`): each
        // argument checked into its property, without matching or the signature's text.
        if type.memberwisePlan?.storedCount != type.stored.count {
            let params = memberwiseParameters(type)
            let indices = params.compactMap { type.storedIndex[$0.name] }
            type.memberwisePlan = (type.stored.count, params.map(\.label), indices.count == params.count ? indices : nil)
        }
        if let plan = type.memberwisePlan, let indices = plan.indices, plan.labels == labels, args.count == labels.count,
           let fields = given(type, initial, args, indices, literals) {
            return fields
        }
        let params = memberwiseParameters(type)
        let signature = "\(type.name)(" + params.map { "\($0.name): \($0.type)" }.joined(separator: ", ") + ")"
        let slots: [ArgumentMatcher.Slot]
        switch ArgumentMatcher.match(params, labels: labels) {
        case .success(let s): slots = s
        case .failure(var e):
            e.range = callRange
            e.notes = ["'\(type.name)' is initialized as \(signature)"]
            throw e
        }
        var fields = initial
        for (p, slot) in zip(params, slots) {
            guard case .argument(let k) = slot, let i = type.storedIndex[p.name] else { continue }
            let prop = type.stored[i]
            var v = args[k]
            if let t = prop.type {
                guard let c = t.coerce(v, literal: k < literals.count && literals[k]) else {
                    throw CellError.type(TypeRef.argumentMismatch(v, t),
                                         at: k < ranges.count ? ranges[k] : callRange,
                                         notes: ["'\(type.name)' is initialized as \(signature)"])
                }
                v = c
            }
            fields[i] = v
        }
        return fields
    }

    /// The fields with argument k in the property at `indices[k]`, each passing
    /// its property's type; nil when one does not (the full path reports it).
    private static func given(_ type: UserType, _ initial: [Value], _ args: [Value], _ indices: [Int],
                              _ literals: [Bool]) -> [Value]? {
        var fields = initial
        for (k, i) in indices.enumerated() {
            var v = args[k]
            if let t = type.stored[i].type {
                guard let c = t.coerce(v, literal: k < literals.count && literals[k]) else { return nil }
                v = c
            }
            fields[i] = v
        }
        return fields
    }
}

