/// A `func` declaration or closure, lowered once and called many times.
final class FunctionDecl {
    let name: String
    let parameters: [Parameter]
    let parameterTypes: [TypeRef?]
    /// Default values, evaluated in the defining scope at call time.
    var defaults: [Expr?]
    /// Slot of each parameter in the callee's frame.
    var parameterSlots: [Int]
    var frameSize = 0
    var body: [Stmt] = []
    /// Set when the body is a single expression whose value is returned.
    var implicitResult: Expr?
    let returnType: TypeRef?
    let isClosure: Bool
    let range: SourceRange
    let labels: [String?]
    /// Declared `throws`: a later cell's call to it needs `try`.
    var isThrowing = false
    /// An `init?`: it may `return nil`, and its type's construction gives an optional.
    var isFailable = false

    init(name: String, parameters: [Parameter], parameterTypes: [TypeRef?], defaults: [Expr?],
         parameterSlots: [Int], returnType: TypeRef?, isClosure: Bool, range: SourceRange) {
        self.name = name
        self.parameters = parameters
        self.parameterTypes = parameterTypes
        self.defaults = defaults
        self.parameterSlots = parameterSlots
        self.returnType = returnType
        self.isClosure = isClosure
        self.range = range
        self.labels = parameters.map(\.label)
        self.hasVariadic = parameters.contains(where: \.isVariadic)
        self.parameterFast = parameterTypes.map { $0?.fast ?? .any }
        self.parameterElementFast = parameterTypes.map { t -> FastType? in
            if case .array(let element)? = t { return element.fast }
            return nil
        }
        self.labelKey = parameters.map { ($0.label ?? "_") + ":" }.joined()
        self.returnFast = returnType.map { $0.isVoid ? FastType.any : $0.fast }
    }

    let parameterFast: [FastType]
    /// For an array parameter (`[Int]`, `[String]`, `[Any]`…), its element's
    /// cheap check: an array whose elements all pass it is bound as it is.
    let parameterElementFast: [FastType?]
    /// `_:epochs:`, compared with a call site's key to take the fast path.
    let labelKey: String
    /// Frames of finished calls that no closure captured, ready for reuse.
    var freeFrames: Frame?
    /// A user type's member: the function and its one-slot `self` frame
    /// kept for the next call (see `UserTypes.withMethod`), moved out and
    /// back so that no reference is counted; and the type's frame it was
    /// made under (alive while it is kept, so its identity is not reused).
    var memberCache: UserFunction?
    var memberCacheScope: ObjectIdentifier?
    var freeCount = 0

    @inline(__always)
    func makeFrame(parent: Frame?) -> Frame {
        if let f = freeFrames {
            freeFrames = f.nextFree
            f.nextFree = nil
            freeCount -= 1
            f.parent = parent
            return f
        }
        return Frame(size: frameSize, parent: parent)
    }

    /// Returns a frame to the pool when nothing else holds it.
    @inline(__always)
    func recycle(_ frame: inout Frame) {
        guard freeCount < 64, isKnownUniquelyReferenced(&frame) else { return }
        frame.clear()
        frame.nextFree = freeFrames
        freeFrames = frame
        freeCount += 1
    }
    let returnFast: FastType?

    /// `{ $0 * 2 }`, `{ $0 % 3 == 0 }`: a closure whose body is one
    /// expression of its parameters, literals and operators, which calls,
    /// captures and changes nothing. `map` and `filter` evaluate it on the
    /// tree in one frame kept for every element: for so small a body, entering
    /// the machine once per element cost more than the expression.
    lazy var isPureExpression: Bool = {
        guard isClosure, returnType == nil, inoutParameters.isEmpty, !hasVariadic, let e = implicitResult else { return false }
        return FunctionDecl.pure(e, Set(parameterSlots))
    }()

    /// A pure expression of Int parameters as an `IntFormula`, or nil.
    lazy var intFormula: IntFormula? = {
        guard isPureExpression, let e = implicitResult else { return nil }
        return IntFormula.make(e, parameters: parameterSlots, fast: parameterFast)
    }()

    private static func pure(_ e: Expr, _ parameters: Set<Int>) -> Bool {
        switch e {
        case let g as LocalGet: return parameters.contains(g.index)
        case is LiteralExpr: return true
        case let b as BinaryExpr: return pure(b.lhs, parameters) && pure(b.rhs, parameters)
        case let l as LogicalExpr: return pure(l.lhs, parameters) && pure(l.rhs, parameters)
        case let n as NotExpr: return pure(n.operand, parameters)
        case let n as NegateExpr: return pure(n.operand, parameters)
        default: return false
        }
    }

    let hasVariadic: Bool
    /// The parameters declared `inout` (see AST/InOut.swift).
    var inoutParameters: [Int] = []
    /// Set by an inout call (`f(&x)`) just before the body runs.
    var inoutCallPending = false
    /// Set by the lowerer when a closure or nested function is defined in
    /// the body (it may keep the frame alive, so the body runs on the tree).
    var capturesItsFrame = false
    private var compiledCode: Code?
    private var triedCompiling = false

    /// The body as register code, compiled on first use; nil when it runs on the tree.
    func compiled(_ rt: Runtime) -> Code? {
        guard rt.compilesFunctions else { return nil }
        if !triedCompiling {
            triedCompiling = true
            compiledCode = FunctionCompiler.compile(self)
        }
        return compiledCode
    }

    var signature: Signature {
        Signature(name: name, parameters: parameters, returns: returnType?.description ?? "Void")
    }
}

/// A user function or closure value: its declaration plus the frame it was defined in.
final class UserFunction: Callable {
    let decl: FunctionDecl
    let captured: Frame?

    init(decl: FunctionDecl, captured: Frame?) {
        self.decl = decl
        self.captured = captured
        super.init(name: decl.name)
    }

    override var typeDescription: String {
        "(" + decl.parameterTypes.map { $0?.description ?? "Any" }.joined(separator: ", ") + ") -> "
            + (decl.returnType?.description ?? (decl.isClosure ? "Any" : "Void"))
    }

    override var signatures: [Signature] { [decl.signature] }

    override func call(_ args: [Value], labels: [String?], literals: [Bool], ranges: [SourceRange],
                       callRange: SourceRange, _ rt: Runtime) throws -> Value {
        if let code = decl.compiled(rt) {
            return try runCompiled(code, rt, at: callRange) { base in
                try bindArguments(args, labels: labels, literals: literals, ranges: ranges, callRange: callRange, rt,
                                  into: base, defaultsScope: captured ?? Frame(viewing: base, count: code.registerCount, parent: nil))
            }
        }
        let frame = Frame(size: decl.frameSize, parent: captured)
        try bindArguments(args, labels: labels, literals: literals, ranges: ranges, callRange: callRange, rt,
                          into: frame.slots, defaultsScope: captured ?? frame)
        return try run(frame, rt, callRange: callRange)
    }

    /// Binds call-site arguments to parameters, matching labels and filling defaults.
    func bindArguments(_ args: [Value], labels: [String?], literals: [Bool], ranges: [SourceRange],
                               callRange: SourceRange, _ rt: Runtime, into slots: UnsafeMutablePointer<Value>,
                               defaultsScope: @autoclosure () -> Frame) throws {
        if labels.count == decl.labels.count && labels == decl.labels && !decl.hasVariadic {
            for i in 0..<args.count {
                try bind(i, args[i], literal: i < literals.count && literals[i],
                         at: i < ranges.count ? ranges[i] : callRange, into: slots)
            }
            return
        }
        let matched: [ArgumentMatcher.Slot]
        switch ArgumentMatcher.match(decl.parameters, labels: labels) {
        case .success(let s): matched = s
        case .failure(var e):
            e.range = callRange
            e.notes = ["'\(decl.name)' is declared as \(decl.signature.declaration)"]
            throw e
        }
        try bindMatched(matched, args, literals: literals, ranges: ranges, callRange: callRange, rt, into: slots,
                        defaultsScope: defaultsScope())
    }

    func bindMatched(_ matched: [ArgumentMatcher.Slot], _ args: [Value], literals: [Bool], ranges: [SourceRange],
                     callRange: SourceRange, _ rt: Runtime, into slots: UnsafeMutablePointer<Value>,
                     defaultsScope: @autoclosure () -> Frame) throws {
        for (i, slot) in matched.enumerated() {
            switch slot {
            case .argument(let k):
                try bind(i, args[k], literal: k < literals.count && literals[k],
                         at: k < ranges.count ? ranges[k] : callRange, into: slots)
            case .variadic(let ks):
                try bind(i, .array(ks.map { args[$0] }), literal: false, at: callRange, into: slots)
            case .defaulted:
                guard let d = decl.defaults[i] else {
                    throw CellError.type("missing argument for parameter '\(decl.parameters[i].name)'", at: callRange)
                }
                try bind(i, d.eval(rt, defaultsScope()), literal: d.isLiteral, at: d.range, into: slots)
            }
        }
    }

    override func invoke(_ args: [Value], _ rt: Runtime) throws -> Value {
        var args = args
        let n = decl.parameters.count
        // A closure of n parameters given one n-tuple (a dictionary element) destructures it.
        if args.count == 1, n > 1, case .tuple(let t) = args[0], t.elements.count == n {
            args = t.elements
        }
        if args.count != n {
            throw CellError.type("\(decl.isClosure ? "closure" : "'\(decl.name)'") takes \(n) argument\(n == 1 ? "" : "s") but was called with \(args.count)")
        }
        if let code = decl.compiled(rt) {
            return try runCompiled(code, rt, at: decl.range) { base in
                for i in 0..<n { try bind(i, args[i], literal: false, at: decl.range, into: base) }
            }
        }
        var frame = decl.makeFrame(parent: captured)
        defer { decl.recycle(&frame) }
        for i in 0..<n { try bind(i, args[i], literal: false, at: decl.range, into: frame.slots) }
        return try run(frame, rt, callRange: decl.range)
    }

    override func invoke(_ x: Value, _ rt: Runtime) throws -> Value {
        guard decl.parameters.count == 1, let code = decl.compiled(rt) else { return try invoke([x], rt) }
        return try runCompiled(code, rt, at: decl.range) { base in try bind(0, x, literal: false, at: decl.range, into: base) }
    }

    override func invoke(_ x: Value, _ y: Value, _ rt: Runtime) throws -> Value {
        guard decl.parameters.count == 2, let code = decl.compiled(rt) else { return try invoke([x, y], rt) }
        return try runCompiled(code, rt, at: decl.range) { base in
            try bind(0, x, literal: false, at: decl.range, into: base)
            try bind(1, y, literal: false, at: decl.range, into: base)
        }
    }

    /// `rt.tick(at:)` for the one-expression paths below, written here
    /// because another file's function is not inlined into this one.
    @inline(__always)
    private func tick(_ rt: Runtime, at range: SourceRange) throws {
        rt.ticks &+= 1
        if rt.ticks & 1023 == 0 {
            do { try rt.slowTick() } catch let e as CellError { throw e.located(range) }
        }
    }

    override func withPairCalls<R>(_ rt: Runtime, _ body: ((Value, Value) throws -> Value) throws -> R) throws -> R {
        guard decl.parameters.count == 2, decl.isPureExpression, let e = decl.implicitResult else {
            return try super.withPairCalls(rt, body)
        }
        // `{ $0 > $1 }`: evaluated on the tree in one frame kept for every call.
        var frame = decl.makeFrame(parent: captured)
        defer { decl.recycle(&frame) }
        let slots = frame.slots
        let range = decl.range
        if let formula = decl.intFormula {
            // `{ $0 > $1 }` on Ints: the formula, or the tree where it has no value.
            return try body { x, y in
                try tick(rt, at: range)
                if case .int(let a) = x, case .int(let b) = y, let v = formula.value(a, b) { return v }
                try self.bind(0, x, literal: false, at: range, into: slots)
                try self.bind(1, y, literal: false, at: range, into: slots)
                return try e.eval(rt, frame)
            }
        }
        if case .any = decl.parameterFast[0], case .any = decl.parameterFast[1] {
            // Untyped parameters take the values as they are.
            let first = slots + decl.parameterSlots[0], second = slots + decl.parameterSlots[1]
            return try body { x, y in
                try tick(rt, at: range)
                first.pointee = x
                second.pointee = y
                return try e.eval(rt, frame)
            }
        }
        return try body { x, y in
            try tick(rt, at: range)
            try self.bind(0, x, literal: false, at: range, into: slots)
            try self.bind(1, y, literal: false, at: range, into: slots)
            return try e.eval(rt, frame)
        }
    }

    override func invokeEach(_ items: [Value], _ rt: Runtime, _ body: (Value, Value) throws -> Void) throws {
        if decl.parameters.count == 1, decl.isPureExpression, let e = decl.implicitResult {
            var frame = decl.makeFrame(parent: captured)
            defer { decl.recycle(&frame) }
            if let formula = decl.intFormula {
                // On Ints the formula, elsewhere (or where it has no value) the tree.
                for x in items {
                    try tick(rt, at: decl.range)
                    if case .int(let a) = x, let v = formula.value(a, 0) {
                        try body(x, v)
                        continue
                    }
                    try bind(0, x, literal: false, at: decl.range, into: frame.slots)
                    try body(x, try e.eval(rt, frame))
                }
                return
            }
            for x in items {
                try tick(rt, at: decl.range)
                try bind(0, x, literal: false, at: decl.range, into: frame.slots)
                try body(x, try e.eval(rt, frame))
            }
            return
        }
        guard decl.parameters.count == 1, let code = decl.compiled(rt) else { return try super.invokeEach(items, rt, body) }
        // What `invoke(x, rt)` does per element, with the registers taken once.
        let (base, mark) = rt.registers.take(code.registerCount)
        defer { Machine.leave(base, code.registerCount, mark, rt) }
        let me = Unmanaged.passUnretained(self)
        for x in items {
            try bind(0, x, literal: false, at: decl.range, into: base)
            try body(x, try Machine.enter(code, me, base, rt, at: decl.range))
        }
    }

    /// Whether a call site with these labels takes the direct path.
    func acceptsDirectly(labelKey: String) -> Bool { labelKey == decl.labelKey && !decl.hasVariadic }

    /// The fast path for a call site whose labels match the parameters
    /// exactly: arguments are evaluated straight into the callee's frame.
    override func callDirect(_ args: [Expr], labels: [String?], labelKey: String, literals: [Bool],
                             callRange: SourceRange, _ rt: Runtime, _ caller: Frame) throws -> Value {
        guard acceptsDirectly(labelKey: labelKey) else {
            return try super.callDirect(args, labels: labels, labelKey: labelKey, literals: literals,
                                        callRange: callRange, rt, caller)
        }
        if let code = decl.compiled(rt) {
            return try runCompiled(code, rt, at: callRange) { base in
                try evaluate(args, literals: literals, rt, caller, into: base)
            }
        }
        var frame = decl.makeFrame(parent: captured)
        defer { decl.recycle(&frame) }
        try evaluate(args, literals: literals, rt, caller, into: frame.slots)
        return try run(frame, rt, callRange: callRange)
    }

    /// Evaluates the arguments of a direct call into the parameters' slots.
    @inline(__always)
    private func evaluate(_ args: [Expr], literals: [Bool], _ rt: Runtime, _ caller: Frame,
                          into slots: UnsafeMutablePointer<Value>) throws {
        for i in 0..<args.count {
            let v = try args[i].eval(rt, caller)
            if case .any = decl.parameterFast[i] {
                slots[decl.parameterSlots[i]] = v
            } else {
                try bind(i, v, literal: literals[i], at: args[i].range, into: slots)
            }
        }
    }

    /// `call` of the compiled body `code` with one argument per parameter,
    /// labels already matched, taken from `args` (the caller's registers).
    func callCompiled(_ code: Code, taking args: UnsafeMutablePointer<Value>, literals: [Bool], ranges: [SourceRange],
                      callRange: SourceRange, _ rt: Runtime) throws -> Value {
        try runCompiled(code, rt, at: callRange) { base in
            for i in 0..<decl.parameters.count {
                var a = Value.void
                swap(&a, &args[i])
                try bind(i, a, literal: i < literals.count && literals[i], at: i < ranges.count ? ranges[i] : callRange,
                         into: base)
            }
        }
    }

    /// Runs the compiled body on registers of its own, once `bind` has put
    /// the arguments in them.
    @inline(__always)
    private func runCompiled(_ code: Code, _ rt: Runtime, at range: SourceRange,
                             binding bind: (UnsafeMutablePointer<Value>) throws -> Void) throws -> Value {
        let (base, mark) = rt.registers.take(code.registerCount)
        defer { Machine.leave(base, code.registerCount, mark, rt) }
        try bind(base)
        return try Machine.enter(code, Unmanaged.passUnretained(self), base, rt, at: range)
    }

    override public func collectBuilderValues(_ rt: Runtime) throws -> [Value] {
        guard decl.parameters.isEmpty else {
            throw CellError.type("a builder block takes no parameters", at: decl.range)
        }
        let frame = Frame(size: decl.frameSize, parent: captured)
        if let e = decl.implicitResult {
            let v = try e.eval(rt, frame)
            if case .void = v { return [] }
            return [v]
        }
        var values: [Value] = []
        for s in decl.body {
            if let e = s as? ExprStmt {
                let v = try e.expr.eval(rt, frame)
                if case .void = v { continue }
                values.append(v)
                continue
            }
            switch try s.exec(rt, frame) {
            case .normal: continue
            case .returned, .breakLoop, .continueLoop: return values
            }
        }
        return values
    }

    /// Puts argument `i` in its parameter's slot, checked against the parameter's type.
    @inline(__always)
    func bind(_ i: Int, _ value: Value, literal: Bool, at range: SourceRange, into slots: UnsafeMutablePointer<Value>) throws {
        let fast = decl.parameterFast[i]
        // An untyped parameter (`$0`, `{ a, b in … }`) takes the value as it is, without the check's call.
        if case .any = fast {
            slots[decl.parameterSlots[i]] = value
            return
        }
        if let c = fast.coerce(value, literal: literal) {
            slots[decl.parameterSlots[i]] = c
            return
        }
        // `[Int]`: every element an Int, nothing to copy (the full check's first step, without its type's copy).
        if let element = decl.parameterElementFast[i], case .array(let items) = value, TypeRef.allPass(items, element) {
            slots[decl.parameterSlots[i]] = value
            return
        }
        var v = value
        if let t = decl.parameterTypes[i] {
            guard let c = t.coerce(value, literal: literal) else {
                throw CellError.type(TypeRef.argumentMismatch(value, t),
                                     at: range, notes: ["'\(decl.name)' is declared as \(decl.signature.declaration)"])
            }
            v = c
        }
        slots[decl.parameterSlots[i]] = v
    }

    func run(_ frame: Frame, _ rt: Runtime, callRange: SourceRange) throws -> Value {
        if !decl.inoutParameters.isEmpty { try decl.takeInoutCall(at: callRange) }
        rt.callDepth += 1
        defer { rt.callDepth -= 1 }
        if rt.callDepth > rt.limits.maxCallDepth {
            throw CellError(.resourceLimit,
                            "recursion went deeper than \(rt.limits.maxCallDepth) calls in '\(decl.name)'; is a base case missing?",
                            at: callRange)
        }
        try rt.tick(at: callRange)
        var result: Value = .void
        if let e = decl.implicitResult {
            result = try e.eval(rt, frame)
            if let t = decl.returnType {
                if let f = decl.returnFast, let c = f.coerce(result, literal: e.isLiteral) { return c }
                return try checkReturn(result, t, literal: e.isLiteral, at: e.range)
            }
            return result
        }
        for s in decl.body {
            switch try s.exec(rt, frame) {
            case .normal: continue
            case .returned:
                let v = rt.returnValue
                rt.returnValue = .void
                return v
            case .breakLoop, .continueLoop:
                return .void
            }
        }
        if let t = decl.returnType, !t.isVoid {
            throw CellError.type("missing return in \(decl.isClosure ? "closure" : "function '\(decl.name)'") expected to return '\(t.description)'",
                                 at: decl.range)
        }
        return result
    }

    private func checkReturn(_ v: Value, _ t: TypeRef, literal: Bool, at range: SourceRange) throws -> Value {
        if let c = t.coerce(v, literal: literal) { return c }
        throw CellError.type("cannot convert return expression of type '\(v.typeName)' to return type '\(t.description)'",
                             at: range)
    }
}

/// A closure expression: evaluating it captures the current frame.
final class ClosureExpr: Expr {
    let decl: FunctionDecl
    let range: SourceRange
    init(decl: FunctionDecl, range: SourceRange) {
        self.decl = decl
        self.range = range
    }
    func eval(_ rt: Runtime, _ f: Frame) throws -> Value {
        .function(UserFunction(decl: decl, captured: f))
    }
}

/// `return` with its value checked against the function's declared type.
final class ReturnStmt: Stmt {
    let optionalValue: Expr?
    /// `optionalValue` without the optional (a `Void` literal when absent).
    let value: Expr
    let hasValue: Bool
    let returnType: TypeRef?
    let range: SourceRange
    let fast: FastType?
    init(value: Expr?, returnType: TypeRef?, range: SourceRange) {
        self.optionalValue = value
        self.value = value ?? LiteralExpr(.void, range: range)
        self.hasValue = value != nil
        self.returnType = returnType
        self.range = range
        self.fast = returnType.map { $0.isVoid ? FastType.any : $0.fast }
    }
    func exec(_ rt: Runtime, _ f: Frame) throws -> Flow {
        let v = try value.eval(rt, f)
        if !hasValue {
            rt.returnValue = .void
            return .returned
        }
        if let fast, let c = fast.coerce(v, literal: value.isLiteral) {
            rt.returnValue = c
            return .returned
        }
        if let t = returnType, !t.isVoid {
            guard let c = t.coerce(v, literal: value.isLiteral) else {
                throw CellError.type("cannot convert return expression of type '\(v.typeName)' to return type '\(t.description)'",
                                     at: value.range)
            }
            rt.returnValue = c
            return .returned
        }
        rt.returnValue = v
        return .returned
    }
}

/// `func` at cell or block level: binds the function value to its slot.
final class FunctionDeclStmt: Stmt {
    let decl: FunctionDecl
    let target: BindTarget
    init(decl: FunctionDecl, target: BindTarget) {
        self.decl = decl
        self.target = target
    }
    func exec(_ rt: Runtime, _ f: Frame) throws -> Flow {
        try target.bind(.function(UserFunction(decl: decl, captured: f)), rt, f, at: decl.range)
        return .normal
    }
}
