/// How values of user types behave: members, calls, construction, printing,
/// equality and ordering.
enum UserTypes {
    // MARK: Running members

    /// Runs a method, initializer or accessor `decl` of `type` with `receiver`
    /// as `self`; the receiver is moved into the call (so a mutating method
    /// changes it without a copy) and the final `self` put back.
    static func invoke(_ decl: FunctionDecl, of type: UserType, self receiver: inout Value, args: [Value],
                       labels: [String?], literals: [Bool] = [], ranges: [SourceRange] = [],
                       callRange: SourceRange, _ rt: Runtime) throws -> Value {
        // The function and its self frame are reused by the next call when
        // nothing (a closure, a recursive call still running) kept them.
        var fn: UserFunction
        if let cached = decl.memberCache, cached.captured?.parent === type.captured {
            fn = cached
            decl.memberCache = nil
        } else {
            fn = UserFunction(decl: decl, captured: Frame(size: 1, parent: type.captured))
        }
        guard let frame = fn.captured else { return .void }
        swap(&frame.slots[0], &receiver)
        defer {
            swap(&frame.slots[0], &receiver)
            frame.slots[0] = .void
            if isKnownUniquelyReferenced(&fn) { decl.memberCache = fn }
        }
        return try fn.call(args, labels: labels, literals: literals, ranges: ranges, callRange: callRange, rt)
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
                     place: (Place, constant: Bool)?, nameRange: SourceRange, callRange: SourceRange, _ rt: Runtime) throws -> Value? {
        guard let (type, isStatic) = owner(of: v, rt) else { return nil }
        if let (_, ms) = type.findMethods(name, isStatic: isStatic) {
            let m = choose(ms, labels: labels)
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
                    throw CellError.type("cannot convert value of type '\(v.typeName)' to expected argument type '\(t.description)'",
                                         at: k < ranges.count ? ranges[k] : callRange,
                                         notes: ["'\(type.name)' is initialized as \(signature)"])
                }
                v = c
            }
            fields[i] = v
        }
        return fields
    }

    // MARK: Text

    /// The user's own `description`, or nil when it fails.
    static func describe(_ v: Value, _ type: UserType) -> String? {
        guard let rt = type.runtime, let c = type.findComputed("description") else { return nil }
        var receiver = v
        guard let d = try? invoke(c.getter, of: type, self: &receiver, args: [], labels: [], callRange: .unknown, rt),
              case .string(let s) = d else { return nil }
        return s
    }

    static func writeText<S: TextSink>(_ i: Instance, debug: Bool, to sink: inout S) {
        if i.type.describesItself, let text = describe(.instance(i), i.type) { return sink.append(text) }
        switch i.type.kind {
        case .enumeration:
            if debug { sink.append(i.type.name + ".") }
            sink.append(i.caseName)
            guard !i.fields.isEmpty else { return }
            let labels = i.tag < i.type.cases.count ? (i.type.cases[i.tag].labels ?? []) : []
            sink.append("(")
            for (k, f) in i.fields.enumerated() {
                if sink.isFull { return }
                if k > 0 { sink.append(", ") }
                if k < labels.count, let l = labels[k] { sink.append(l + ": ") }
                f.writeText(debug: true, to: &sink)
            }
            sink.append(")")
        default:
            sink.append(i.type.name + "(")
            for (k, f) in i.fields.enumerated() {
                if sink.isFull { return }
                if k > 0 { sink.append(", ") }
                if k < i.type.stored.count { sink.append(i.type.stored[k].name + ": ") }
                f.writeText(debug: true, to: &sink)
            }
            sink.append(")")
        }
    }

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

/// `Shape.circle` used as a function: makes the case from its associated values.
final class EnumCaseConstructor: Callable {
    let type: UserType
    let tag: Int

    init(type: UserType, tag: Int) {
        self.type = type
        self.tag = tag
        super.init(name: type.cases[tag].name)
    }

    var parameters: [Parameter] {
        let c = type.cases[tag]
        return (c.labels ?? []).enumerated().map { k, label in
            Parameter(label: label, name: label ?? "_\(k)", type: c.types[k]?.description ?? "Any", defaultText: nil,
                      isVariadic: false)
        }
    }

    override var typeDescription: String {
        "(" + type.cases[tag].types.map { $0?.description ?? "Any" }.joined(separator: ", ") + ") -> \(type.name)"
    }

    override func call(_ args: [Value], labels: [String?], literals: [Bool], ranges: [SourceRange],
                       callRange: SourceRange, _ rt: Runtime) throws -> Value {
        let c = type.cases[tag]
        let params = parameters
        let shown = "\(type.name).\(c.name)(" + params.map { ($0.label.map { $0 + ": " } ?? "") + $0.type }.joined(separator: ", ") + ")"
        let slots: [ArgumentMatcher.Slot]
        switch ArgumentMatcher.match(params, labels: labels) {
        case .success(let s): slots = s
        case .failure(var e):
            e.range = callRange
            e.notes = ["the case is declared as \(shown)"]
            throw e
        }
        var fields: [Value] = []
        for (k, slot) in slots.enumerated() {
            guard case .argument(let a) = slot else { continue }
            var v = args[a]
            if let t = c.types[k] {
                guard let cv = t.coerce(v, literal: a < literals.count && literals[a]) else {
                    throw CellError.type("cannot convert value of type '\(v.typeName)' to expected argument type '\(t.description)'",
                                         at: a < ranges.count ? ranges[a] : callRange, notes: ["the case is declared as \(shown)"])
                }
                v = cv
            }
            fields.append(v)
        }
        try Memory.charge(Memory.values(fields.count), "this value", at: callRange)
        return .instance(Instance(type: type, tag: tag, fields: fields))
    }

    override func invoke(_ args: [Value], _ rt: Runtime) throws -> Value {
        try call(args, labels: parameters.map(\.label), literals: [], ranges: [], callRange: .unknown, rt)
    }
}

/// `fish.describe` used as a value: the method with its receiver.
final class BoundUserMethod: Callable {
    let receiver: Value
    let type: UserType

    init(receiver: Value, type: UserType, name: String) {
        self.receiver = receiver
        self.type = type
        super.init(name: name)
    }

    override var typeDescription: String { "(\(type.name).\(name))" }

    override func call(_ args: [Value], labels: [String?], literals: [Bool], ranges: [SourceRange],
                       callRange: SourceRange, _ rt: Runtime) throws -> Value {
        var me = receiver
        guard let r = try UserTypes.call(&me, name, args: args, labels: labels, ranges: ranges, place: nil,
                                         nameRange: callRange, callRange: callRange, rt) else {
            throw CellError.type("'\(name)' cannot be called", at: callRange)
        }
        return r
    }

    override func invoke(_ args: [Value], _ rt: Runtime) throws -> Value {
        guard let (_, ms) = type.findMethods(name) else { return .void }
        return try call(args, labels: ms[0].decl.labels, literals: [], ranges: [], callRange: .unknown, rt)
    }
}

// MARK: - Completion and inspection

extension UserTypes {
    /// `value.name` when it is a stored property or an enum case (nothing of the learner's code runs).
    static func storedValue(_ value: Value, _ name: String, _ rt: Runtime) -> Value? {
        guard let (type, isStatic) = owner(of: value, rt) else { return nil }
        if isStatic {
            if let k = type.caseIndex[name], type.cases[k].labels == nil {
                return .instance(Instance(type: type, tag: k, fields: []))
            }
            if let slot = type.findStatic(name), slot.isDefined { return slot.value }
            return nil
        }
        guard let k = type.storedIndex[name] else { return nil }
        switch value {
        case .instance(let i): return k < i.fields.count ? i.fields[k] : nil
        case .object(let o as ClassObject): return k < o.fields.count ? o.fields[k] : nil
        default: return nil
        }
    }

    static func signature(_ d: FunctionDecl, name: String) -> Signature {
        Signature(name: name, parameters: d.parameters, returns: d.returnType?.description ?? "Void")
    }

    /// The signatures of method `name` of a user value, for argument-label completion.
    static func signatures(of name: String, on value: Value, _ rt: Runtime) -> [Signature]? {
        guard let (type, isStatic) = owner(of: value, rt) else { return nil }
        if let (_, ms) = type.findMethods(name, isStatic: isStatic) {
            return ms.map { signature($0.decl, name: name) }
        }
        if isStatic, let k = type.caseIndex[name] {
            let c = EnumCaseConstructor(type: type, tag: k)
            return [Signature(name: name, parameters: c.parameters, returns: type.name)]
        }
        return type.kind == .builtin ? nil : []
    }

    static func initializerSignatures(_ type: UserType) -> [Signature] {
        if type.kind == .structure && type.inits.isEmpty {
            return [Signature(name: type.name, parameters: memberwiseParameters(type), returns: type.name)]
        }
        let owner = type.lineage.first { !$0.inits.isEmpty }
        return (owner?.inits ?? []).map { Signature(name: type.name, parameters: $0.parameters, returns: type.name) }
    }

    /// What Shift-Tab shows for a user type: its declaration as written.
    static func declarationText(_ type: UserType) -> String {
        var text = type.declaration
        if text.count > 2_000 { text = String(text.prefix(2_000)) + "\n…" }
        return text
    }

    /// What Shift-Tab shows for `value.member` of a user type; nil for builtin members.
    static func describeMember(_ member: String, of value: Value, _ rt: Runtime) -> String? {
        guard let (type, isStatic) = owner(of: value, rt) else { return nil }
        if let (_, ms) = type.findMethods(member, isStatic: isStatic) {
            return ms.map { ($0.isMutating ? "mutating func " : "func ") + signature($0.decl, name: member).declaration }
                .joined(separator: "\n")
        }
        if !isStatic, let k = type.storedIndex[member] {
            let p = type.stored[k]
            var text = "\(p.isConstant ? "let" : "var") \(member): \(p.typeText ?? "Any")  (stored property of \(type.name))"
            if let v = storedValue(value, member, rt) { text += "\n= " + String(v.debugDescription.prefix(200)) }
            return text
        }
        if let c = type.findComputed(member, isStatic: isStatic) {
            return "var \(member): \(c.typeText) { \(c.setter == nil ? "get" : "get set") }  (computed property of \(type.name))"
        }
        if isStatic, let k = type.caseIndex[member] {
            return "case \(type.name).\(member)" + (type.cases[k].rawValue.map { " = \($0.debugDescription)" } ?? "")
        }
        return type.kind == .builtin ? nil : "\(type.name) has no member '\(member)'"
    }
}
