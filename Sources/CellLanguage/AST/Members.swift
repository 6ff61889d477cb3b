enum Members {
    /// `t.0` or `t.loss` on a tuple.
    static func tupleIndex(_ t: TupleValue, _ name: String) -> Int? {
        // `.0`, `.1` by position; a label otherwise (no number to parse).
        if let first = name.utf8.first, first >= UInt8(ascii: "0"), first <= UInt8(ascii: "9") {
            if let i = Int(name), i >= 0, i < t.elements.count { return i }
        }
        return t.labels.firstIndex(of: name)
    }

    /// `tupleIndex`, trying first `cached`, where a call site last found the label.
    @inline(__always)
    static func tupleIndex(_ t: TupleValue, _ name: String, cached k: Int) -> Int? {
        if k < t.labels.count, t.labels[k] == name { return k }
        return tupleIndex(t, name)
    }

    static func noMember(_ name: String, on v: Value, _ rt: Runtime, at range: SourceRange) -> CellError {
        var names = rt.registry.allMembers(of: v).map(\.name)
        if case .tuple(let t) = v { names += t.labels.compactMap { $0 } }
        var message = "value of type '\(v.typeName)' has no member '\(name)'"
        if case .type(let t) = v { message = "type '\(t)' has no member '\(name)'" }
        if case .optional(let w?) = v, !rt.registry.allMembers(of: w).filter({ $0.name == name }).isEmpty {
            return CellError.type("value of optional type '\(v.typeName)' must be unwrapped to refer to member '\(name)'",
                                  at: range, notes: ["use '?.' or '!' or 'if let' to unwrap it"])
        }
        // Swift's String.Index: characters are reached by position in Shoal cells.
        if case .string = v, ["startIndex", "endIndex", "index", "indices", "firstIndex", "distance"].contains(name) {
            return CellError(.unsupported, "String indices ('\(name)') are not supported in Shoal cells; use Array(text)[i] "
                             + "for the i-th character, or text.prefix(n), text.dropFirst(n) and text.suffix(n)", at: range)
        }
        if let close = Suggestions.closest(to: name, in: names) { message += "; did you mean '\(close)'?" }
        return CellError.type(message, at: range)
    }

    /// The value of `base.name` when it is not called.
    static func get(_ v: Value, _ name: String, _ rt: Runtime, at range: SourceRange) throws -> Value {
        if case .tuple(let t) = v, let i = tupleIndex(t, name) { return t.elements[i] }
        if let r = try UserTypes.get(v, name, rt, at: range) { return r }
        guard let ms = rt.registry.member(name, of: v) else { throw noMember(name, on: v, rt, at: range) }
        for m in ms {
            if case .property(let getter) = m.kind {
                do { return try getter(v, rt) } catch { throw ErrorBoundary.passing(error, at: range, rt.registry) }
            }
        }
        return .function(BoundMethod(receiver: v, overloads: ms))
    }
}

enum MemberCalls {
    static func callMember(_ overloads: [BuiltinMember], on receiver: inout Value, args: [Value], labels: [String?],
                           ranges: [SourceRange], callRange: SourceRange, _ rt: Runtime) throws -> Value {
        // Fast path: a method whose parameters the labels name exactly.
        for m in overloads {
            guard let sig = m.signature, ArgumentMatcher.exactLabels(sig.parameters, labels),
                  overloads.count == 1 || ArgumentMatcher.fitsRoughly(sig.parameters, args) else { continue }
            let a = Arguments(values: args, signature: sig, ranges: ranges, callRange: callRange)
            do {
                switch m.kind {
                case .method(let impl): return try UserTypes.checked(rt) { try impl(receiver, a, rt) }
                case .mutatingMethod(let impl): return try UserTypes.checked(rt) { try impl(&receiver, a, rt) }
                case .property: break
                }
            } catch {
                throw ErrorBoundary.passing(error, at: callRange, rt.registry)
            }
        }
        let methods = overloads.compactMap { m in m.signature.map { (member: m, signature: $0) } }
        if methods.isEmpty, let p = overloads.first, case .property(let getter) = p.kind {
            // Calling a property that holds a function.
            let fv = try getter(receiver, rt)
            guard case .function(let fn) = fv else {
                throw CellError.type("cannot call value of non-function type '\(fv.typeName)'", at: callRange)
            }
            return try fn.call(args, labels: labels, literals: [], ranges: ranges, callRange: callRange, rt)
        }
        let (k, matched) = try ArgumentMatcher.choose(methods.map { ($0.signature, $0.member.defaults) }, args: args,
                                                      labels: labels, ranges: ranges, callRange: callRange)
        let m = methods[k].member
        let a = Arguments(values: matched.values, signature: methods[k].signature, ranges: matched.ranges,
                          callRange: callRange)
        do {
            switch m.kind {
            case .method(let impl): return try UserTypes.checked(rt) { try impl(receiver, a, rt) }
            case .mutatingMethod(let impl): return try UserTypes.checked(rt) { try impl(&receiver, a, rt) }
            case .property: throw CellError.type("'\(m.name)' is a property, not a method", at: callRange)
            }
        } catch {
            throw ErrorBoundary.passing(error, at: callRange, rt.registry)
        }
    }
}

enum Subscripts {
    static func outOfRange(_ i: Int, _ count: Int) -> String {
        count == 0 ? "index \(i) is out of range: the array is empty"
            : "index \(i) is out of range for an array of \(count) element\(count == 1 ? "" : "s") (valid indices are 0..<\(count))"
    }

    static func get(_ v: Value, _ args: [Value], labels: [String?], _ rt: Runtime, at range: SourceRange) throws -> Value {
        switch v {
        case .array(let items):
            guard args.count == 1, labels[0] == nil else { break }
            switch args[0] {
            case .int(let i):
                guard i >= 0 && i < items.count else { throw CellError(.indexError, outOfRange(i, items.count), at: range) }
                return items[i]
            case .range(let lo, let hi, let closed):
                let upper = hi == Int.max ? items.count : (closed ? hi + 1 : hi)
                let lower = lo == Int.min ? 0 : lo
                guard lower >= 0, upper <= items.count, lower <= upper else {
                    throw CellError(.indexError, "range \(args[0].debugDescription) is out of bounds for an array of \(items.count) elements",
                                    at: range)
                }
                try Memory.charge(Memory.values(upper - lower), "this part of the array", at: range)
                return .array(Array(items[lower..<upper]))
            default: break
            }
        case .dictionary(let d):
            if args.count == 1, labels[0] == nil { return .optional(try UserTypes.comparing(args[0]) { d[args[0]] }) }
            if args.count == 2, labels[0] == nil, labels[1] == "default" {
                return try UserTypes.comparing(args[0]) { d[args[0]] } ?? args[1]
            }
        case .string(let s):
            if args.count == 1, case .int = args[0] {
                throw CellError.type("a String cannot be indexed with an Int; use Array(text)[i] to get the i-th character",
                                     at: range)
            }
            if args.count == 1, case .range(let lo, let hi, let closed) = args[0] {
                try Memory.charge(Memory.sum(Memory.values(s.utf8.count, each: 16), Memory.text(s.utf8.count)),
                                  "the characters of this string", at: range)
                let chars = Array(s)
                let upper = hi == Int.max ? chars.count : (closed ? hi + 1 : hi)
                let lower = lo == Int.min ? 0 : lo
                guard lower >= 0, upper <= chars.count, lower <= upper else {
                    throw CellError(.indexError, "range is out of bounds for a string of \(chars.count) characters", at: range)
                }
                return .string(String(chars[lower..<upper]))
            }
        case .tuple(let t):
            if args.count == 1, case .int(let i) = args[0] {
                guard i >= 0 && i < t.elements.count else {
                    throw CellError(.indexError, "index \(i) is out of range for a tuple of \(t.elements.count) elements", at: range)
                }
                return t.elements[i]
            }
        case .optional:
            throw Arithmetic.unwrapError(v, at: range)
        default:
            if let r = try UserSubscripts.get(v, args, labels: labels, rt, at: range) { return r }
            if let ms = rt.registry.member("subscript", of: v) {
                var r = v
                return try MemberCalls.callMember(ms, on: &r, args: args, labels: labels, ranges: [], callRange: range, rt)
            }
        }
        throw CellError.type("value of type '\(v.typeName)' has no subscript taking (\(args.map(\.typeName).joined(separator: ", ")))",
                             at: range)
    }
}

final class MemberExpr: Expr {
    let base: Expr
    let name: String
    let range: SourceRange
    init(base: Expr, name: String, range: SourceRange) {
        self.base = base
        self.name = name
        self.range = range
    }
    /// The last user type read here and its stored property's index.
    private var cachedType: UserType?
    private var cachedIndex = 0
    /// Where this member's label was last found in a tuple.
    private var cachedTupleIndex = 0

    func eval(_ rt: Runtime, _ f: Frame) throws -> Value {
        try value(of: base.eval(rt, f), rt)
    }

    /// This member of the tuple in `p` (a register) when its label is where
    /// this node last found it; nil otherwise (then `value(of:)`). The tuple
    /// is moved out and back, so that its arrays are not counted.
    @inline(__always)
    func tupleElement(in p: UnsafeMutablePointer<Value>) -> Value? {
        guard case .tuple = p.pointee else { return nil }
        var taken = Value.void
        swap(&taken, &p.pointee)
        guard case .tuple(let t) = consume taken else { return nil }
        let k = cachedTupleIndex
        let found: Value? = k < t.labels.count && t.labels[k] == name ? t.elements[k] : nil
        p.pointee = .tuple(t)
        return found
    }

    /// The member of `v` (the base's value): the rest of `eval`, and the compiled `member`.
    func value(of v: Value, _ rt: Runtime) throws -> Value {
        if case .tuple(let t) = v, let k = Members.tupleIndex(t, name, cached: cachedTupleIndex) {
            cachedTupleIndex = k
            return t.elements[k]
        }
        if case .instance(let i) = v {
            if i.type === cachedType, cachedIndex < i.fields.count { return i.fields[cachedIndex] }
            if let k = i.type.storedIndex[name], k < i.fields.count {
                cachedType = i.type
                cachedIndex = k
                return i.fields[k]
            }
        }
        return try Members.get(v, name, rt, at: range)
    }
}

final class SubscriptExpr: Expr {
    let base: Expr
    let args: [Expr]
    let labels: [String?]
    let range: SourceRange
    init(base: Expr, args: [Expr], labels: [String?], range: SourceRange) {
        self.base = base
        self.args = args
        self.labels = labels
        self.range = range
    }
    func eval(_ rt: Runtime, _ f: Frame) throws -> Value {
        let v = try base.eval(rt, f)
        if args.count == 1, case .array(let items) = v, case .int(let i) = try args[0].eval(rt, f) {
            guard i >= 0 && i < items.count else {
                throw CellError(.indexError, Subscripts.outOfRange(i, items.count), at: range)
            }
            return items[i]
        }
        return try Subscripts.get(v, args.map { try $0.eval(rt, f) }, labels: labels, rt, at: range)
    }
}

/// Evaluates argument expressions.
@inline(__always)
func evalArguments(_ args: [Expr], _ rt: Runtime, _ f: Frame) throws -> [Value] {
    var out: [Value] = []
    out.reserveCapacity(args.count)
    for a in args { out.append(try a.eval(rt, f)) }
    return out
}

/// `f(x, y: 2)` where `f` is any value holding a function.
final class CallExpr: Expr {
    let callee: Expr
    let args: [Expr]
    let labels: [String?]
    let literals: [Bool]
    let ranges: [SourceRange]
    let range: SourceRange
    /// `calleeName`: the name the call is written with (`increment` in
    /// `increment(7)`), nil when the callee is not a plain name.
    init(callee: Expr, args: [Expr], labels: [String?], range: SourceRange, calleeName: String? = nil) {
        self.callee = callee
        self.args = args
        self.labels = labels
        self.literals = args.map(\.isLiteral)
        self.ranges = args.map(\.range)
        self.range = range
        self.labelKey = labels.map { ($0 ?? "_") + ":" }.joined()
        self.globalCallee = (callee as? GlobalGet)?.slot
        self.calleeName = calleeName
        self.unlabelled = !labels.isEmpty && labels.allSatisfy { $0 == nil }
    }
    let labelKey: String
    /// Calls of a notebook-level function skip evaluating the callee node.
    let globalCallee: GlobalSlot?
    let calleeName: String?
    /// Every argument is written without a label.
    private let unlabelled: Bool
    func eval(_ rt: Runtime, _ f: Frame) throws -> Value {
        if let slot = globalCallee, slot.isDefined, case .function(let fn) = slot.value {
            if let (l, key) = labels(calling: fn) {
                return try fn.callDirect(args, labels: l, labelKey: key, literals: literals, callRange: range, rt, f)
            }
            return try fn.callDirect(args, labels: labels, labelKey: labelKey, literals: literals, callRange: range, rt, f)
        }
        let c = try callee.eval(rt, f)
        guard case .function(let fn) = c else { throw CallExpr.calleeError(c, self) }
        if let (l, key) = labels(calling: fn) {
            return try fn.callDirect(args, labels: l, labelKey: key, literals: literals, callRange: range, rt, f)
        }
        return try fn.callDirect(args, labels: labels, labelKey: labelKey, literals: literals, callRange: range, rt, f)
    }

    /// A function called through a value (a variable, a parameter, a call's
    /// result) rather than by its own name has no argument labels in Swift:
    /// `increment(7)` calls `addOne(number:)` held in `increment`, and
    /// `condition(item)` the `lessThanTen(number:)` passed as `condition`.
    /// The function's own labels then, with their key; nil when the call
    /// goes as written (by the function's name, with labels, or to a
    /// function without labels).
    @inline(__always)
    func labels(calling fn: Callable) -> ([String?], String)? {
        guard unlabelled, fn.name != calleeName, let user = fn as? UserFunction,
              user.decl.labels.count == labels.count, user.decl.labels.contains(where: { $0 != nil }) else { return nil }
        return (user.decl.labels, user.decl.labelKey)
    }

    /// Why `callee` (nil: a global used before it is declared) cannot be called.
    static func calleeError(_ callee: Value?, _ node: CallExpr) -> CellError {
        guard let c = callee else {
            let name = node.globalCallee?.name ?? "function"
            return CellError.usedBeforeDeclared(name, at: node.callee.range)
        }
        if case .optional(.function?) = c { return Arithmetic.unwrapError(c, at: node.callee.range) }
        return CellError.type("cannot call value of non-function type '\(c.typeName)'", at: node.callee.range)
    }
}

/// `x.name(args)`: a builtin or host member call; mutating members change
/// the variable in place.
final class MethodCallExpr: Expr {
    let receiver: Expr
    let place: Place?
    let name: String
    let args: [Expr]
    let labels: [String?]
    let ranges: [SourceRange]
    let nameRange: SourceRange
    let range: SourceRange
    /// Nil when a `try` covers the call; else the call as the learner wrote
    /// it (`tank.fill`): a user method that `throws` is refused without `try`.
    var missingTry: String?

    init(receiver: Expr, place: Place?, name: String, args: [Expr], labels: [String?], nameRange: SourceRange,
         range: SourceRange) {
        self.receiver = receiver
        self.place = place
        self.name = name
        self.args = args
        self.labels = labels
        self.ranges = args.map(\.range)
        self.nameRange = nameRange
        self.range = range
    }

    /// Which arguments are literals (an Int literal may become a Double parameter).
    private lazy var literals = args.map(\.isLiteral)

    /// The members found for the last receiver type (a call site usually sees one type).
    private var cachedType = ""
    private var cachedMembers: [BuiltinMember]?
    private var mutating: Bool?
    /// The user method `call(on:)` found for the last struct or enum type it saw.
    private var cachedOwner: UserType?
    private var cachedMethod: FunctionDecl?
    private var cachedGeneration = -1
    /// Whether the call's labels are the cached method's own, one argument
    /// per parameter (no defaults or variadics to match).
    private var cachedLabelsMatch = false

    @inline(__always)
    private func members(of v: Value, _ rt: Runtime) -> [BuiltinMember]? {
        let type = v.registryTypeName
        if type == cachedType, let m = cachedMembers { return m }
        let m = rt.registry.member(name, of: v)
        cachedType = type
        cachedMembers = m
        return m
    }

    func eval(_ rt: Runtime, _ f: Frame) throws -> Value {
        if place != nil, isMutating(rt) { return try callMutating(evalArguments(args, rt, f), rt, f) }
        var v = try receiver.eval(rt, f)
        let argv = try evalArguments(args, rt, f)
        if let r = try UserTypes.call(&v, name, args: argv, labels: labels, literals: literals, ranges: ranges, place: nil,
                                      nameRange: nameRange, callRange: range, missingTry: missingTry, rt) {
            return r
        }
        if case .tuple(let t) = v, let i = Members.tupleIndex(t, name), case .function(let fn) = t.elements[i] {
            return try fn.call(argv, labels: labels, literals: [], ranges: ranges, callRange: range, rt)
        }
        guard let ms = members(of: v, rt) else {
            throw Members.noMember(name, on: v, rt, at: nameRange)
        }
        if ms.contains(where: \.isMutating) && !ms.contains(where: { !$0.isMutating }) {
            throw CellError.type("cannot use mutating member on immutable value", at: nameRange)
        }
        return try MemberCalls.callMember(ms, on: &v, args: argv, labels: labels, ranges: ranges, callRange: range, rt)
    }

    /// Whether the call goes through its place (a mutating member of that
    /// name exists), decided at its first run.
    func isMutating(_ rt: Runtime) -> Bool {
        if let mutating { return mutating }
        let m = rt.registry.mutatingNames.contains(name) || rt.userTypes.mutatingNames.contains(name)
        mutating = m
        return m
    }

    /// The call of a mutating member on `place` (which must be set) with its
    /// arguments evaluated: the rest of `eval`, and the compiled `append`'s slow path.
    func callMutating(_ argv: [Value], _ rt: Runtime, _ f: Frame) throws -> Value {
        guard let place else { throw CellError.type("cannot use mutating member on immutable value", at: nameRange) }
        let constant = place.isConstant && !place.holdsObject(f)
        return try place.modify(rt, f, checkingRoot: false) { v in try call(on: &v, argv, constant: constant, rt) }
    }

    /// `call(on:)` from compiled code, with the arguments in registers
    /// (`args`, each taken when bound): the user method this site chose
    /// before, its body compiled, bound straight into its registers. Nil
    /// (arguments untouched) when the call needs the general path.
    func callTaking(on v: inout Value, _ args: UnsafeMutablePointer<Value>, _ rt: Runtime) throws -> Value? {
        guard let type = v.instanceType, let (decl, code) = try compiledMethod(for: type, rt) else { return nil }
        return try UserTypes.withMethod(decl, of: type, self: &v) { fn in
            try fn.callCompiled(code, taking: args, literals: literals, ranges: ranges, callRange: range, rt)
        }
    }

    /// The user method this site chose before for an instance of `type`, with
    /// its body compiled, when the call's labels are its own (nil otherwise).
    @inline(__always)
    func compiledMethod(for type: UserType, _ rt: Runtime) throws -> (FunctionDecl, Code)? {
        guard cachedLabelsMatch, let decl = try chosenMethod(for: type, rt), let code = decl.compiled(rt) else { return nil }
        return (decl, code)
    }

    /// Bit j: argument j is a literal (an Int literal may become a Double parameter).
    private(set) lazy var literalBits = literalMask(literals)

    /// The method this site chose for `type`, the struct or enum type it last
    /// saw, while no member was added since; nil when it must choose again.
    /// A throwing method called without `try` is an error.
    @inline(__always)
    private func chosenMethod(for type: UserType, _ rt: Runtime) throws -> FunctionDecl? {
        guard type === cachedOwner, rt.userTypes.generation == cachedGeneration, let decl = cachedMethod else { return nil }
        if let missingTry, decl.isThrowing { throw CellError.missingTry(missingTry, at: range) }
        return decl
    }

    /// The call on the value in its place (`v`), which `callMutating` or
    /// compiled code reached; `constant`: the place is a 'let' holding no class instance.
    func call(on v: inout Value, _ argv: [Value], constant: Bool, _ rt: Runtime) throws -> Value {
        guard let place else { throw CellError.type("cannot use mutating member on immutable value", at: nameRange) }
        if !constant, let type = v.instanceType {
            if let decl = try chosenMethod(for: type, rt) {
                return try UserTypes.invoke(decl, of: type, self: &v, args: argv, labels: labels, literals: literals,
                                            ranges: ranges, callRange: range, rt)
            }
            if let (_, ms) = type.findMethods(name) {
                cachedOwner = type
                cachedGeneration = rt.userTypes.generation
                let decl = UserTypes.choose(ms, labels: labels).decl
                cachedMethod = decl
                cachedLabelsMatch = labels == decl.labels && !decl.hasVariadic
            }
        }
        if let r = try UserTypes.call(&v, name, args: argv, labels: labels, literals: literals, ranges: ranges,
                                      place: (place, constant), nameRange: nameRange, callRange: range,
                                      missingTry: missingTry, rt) {
            return r
        }
        guard let ms = members(of: v, rt) else {
            throw Members.noMember(name, on: v, rt, at: nameRange)
        }
        if ms.contains(where: \.isMutating) && constant {
            throw CellError.type("cannot use mutating member on immutable value: '\(place.name)' is a 'let' constant",
                                 at: nameRange, notes: ["change 'let' to 'var' to make it mutable"])
        }
        return try MemberCalls.callMember(ms, on: &v, args: argv, labels: labels, ranges: ranges,
                                          callRange: range, rt)
    }
}

/// A direct call of a builtin function by name, e.g. `print(x)`.
final class BuiltinCallExpr: Expr {
    let function: BuiltinFunctionValue
    let args: [Expr]
    let labels: [String?]
    let ranges: [SourceRange]
    let range: SourceRange
    /// Set by the compiler for `min(a, b)` (4) and `max(a, b)` (5), which the
    /// machine picks itself between two Ints or two Doubles.
    var picksNumber: UInt8 = 0
    init(function: BuiltinFunctionValue, args: [Expr], labels: [String?], range: SourceRange) {
        self.function = function
        self.args = args
        self.labels = labels
        self.ranges = args.map(\.range)
        self.range = range
    }
    var isLiteral: Bool { false }
    func eval(_ rt: Runtime, _ f: Frame) throws -> Value {
        try call(evalArguments(args, rt, f), rt)
    }

    /// The call with its arguments evaluated (here or by compiled code).
    func call(_ argv: [Value], _ rt: Runtime) throws -> Value {
        try function.call(argv, labels: labels, literals: [], ranges: ranges, callRange: range, rt)
    }
}
