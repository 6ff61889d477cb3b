/// Turns a function's lowered body into register code (see `Code`).
///
/// The hot shapes become instructions: locals, constants, globals, integer
/// arithmetic and comparisons, conditions, `if`/`guard`/`while`/`repeat`,
/// `for` over ranges and arrays, calls, returns and assignments to locals.
/// Every other node is kept and run by the tree against the registers.
enum FunctionCompiler {
    /// The function's code, or nil when it must run on the tree: a closure
    /// or nested function defined in it may keep its frame alive.
    static func compile(_ decl: FunctionDecl) -> Code? {
        guard !decl.capturesItsFrame else { return nil }
        var b = CodeBuilder(locals: decl.frameSize)
        do {
            if let e = decl.implicitResult {
                let r = try b.expr(e, into: nil)
                b.emit(.ret, a: r, b: b.returnCheck(ReturnCheck(implicitResult: e, of: decl)))
            } else {
                try b.block(decl.body)
                b.emit(.end)
            }
        } catch {
            return nil
        }
        return b.finish(decl)
    }

    /// A cell's body as code, run on the cell's heap frame (so closures may
    /// capture it); nil when some part cannot be compiled.
    static func compileCell(_ body: [Stmt], frameSize: Int) -> (Code, FunctionDecl)? {
        let decl = FunctionDecl(name: "cell", parameters: [], parameterTypes: [], defaults: [], parameterSlots: [],
                                returnType: nil, isClosure: false, range: .unknown)
        decl.body = body
        decl.frameSize = frameSize
        var b = CodeBuilder(locals: frameSize)
        do {
            try b.block(body)
            b.emit(.end)
        } catch {
            return nil
        }
        return (b.finish(decl), decl)
    }
}

/// A construct the compiler leaves to the tree walker as a whole function.
private struct NotCompiled: Error {}

struct CodeBuilder {
    private var code: [Instruction] = []
    private var next: Int
    private var highWater: Int
    private var constants: [Value] = []
    private var globals: [GlobalSlot] = []
    private var binaries: [BinaryExpr] = []
    private var exprs: [Expr] = []
    private var stmts: [Stmt] = []
    private var types: [TypeRef] = []
    private var returns: [ReturnCheck] = []
    private var assigns: [AssignExpr] = []
    private var compounds: [CompoundAssignExpr] = []
    private var fors: [ForInStmt] = []
    private var guards: [GuardStmt] = []
    private var ranges: [SourceRange] = []
    private var loops: [CompiledLoop] = []
    private var callSites: [CallSite] = []
    /// Compiled loops around the statement being compiled, innermost last.
    private var loopStack: [Int] = []
    /// Jumps to patch when a loop's targets are known: (instruction, loop, isBreak).
    private var pendingJumps: [(Int, Int, Bool)] = []

    init(locals: Int) {
        next = locals
        highWater = locals
    }

    func finish(_ decl: FunctionDecl) -> Code {
        Code(decl: decl, instructions: code, registerCount: highWater, constants: constants, globals: globals, binaries: binaries,
             exprs: exprs, stmts: stmts, types: types, returns: returns, assigns: assigns, compounds: compounds,
             fors: fors, guards: guards, ranges: ranges, loops: loops, callSites: callSites)
    }

    // MARK: Emitting

    @discardableResult
    mutating func emit(_ op: Op, sub: UInt8 = 0, a: Int = 0, b: Int = 0, c: Int = 0, k: Int = 0) -> Int {
        code.append(Instruction(op: op, sub: sub, a: Int32(a), b: Int32(b), c: Int32(c), k: k))
        return code.count - 1
    }

    private var here: Int { code.count }

    private mutating func patch(_ at: Int, b target: Int) { code[at].b = Int32(target) }
    private mutating func patch(_ at: Int, a target: Int) { code[at].a = Int32(target) }
    private mutating func patch(_ at: Int, c target: Int) { code[at].c = Int32(target) }

    private mutating func temp() -> Int {
        let r = next
        next += 1
        highWater = max(highWater, next)
        return r
    }


    private mutating func constant(_ v: Value) -> Int { appended(v, to: &constants) }
    mutating func returnCheck(_ c: ReturnCheck) -> Int { appended(c, to: &returns) }
    private mutating func range(_ r: SourceRange) -> Int { appended(r, to: &ranges) }

    private mutating func global(_ slot: GlobalSlot) -> Int {
        if let i = globals.firstIndex(where: { $0 === slot }) { return i }
        return appended(slot, to: &globals)
    }

    // MARK: Expressions

    /// Compiles `e`; its value ends in the returned register (`dst` when given;
    /// otherwise possibly a local's own register, which must not be written).
    mutating func expr(_ e: Expr, into dst: Int?) throws -> Int {
        switch e {
        case let l as LocalGet:
            guard let dst, dst != l.index else { return l.index }
            emit(.move, a: dst, b: l.index)
            return dst
        case let l as LiteralExpr:
            let d = dst ?? temp()
            emit(.loadConst, a: d, b: constant(l.value))
            return d
        case let g as GlobalGet:
            let d = dst ?? temp()
            emit(.loadGlobal, a: d, b: global(g.slot), c: range(g.range))
            return d
        case let b as BinaryExpr:
            return try binary(b, into: dst)
        case let n as NotExpr:
            return try unary(.not, n.operand, range: n.operand.range, into: dst)
        case let n as NegateExpr:
            return try unary(.negate, n.operand, range: n.range, into: dst)
        case let l as LogicalExpr:
            let d = dst ?? temp()
            let mark = next
            let a = try expr(l.lhs, into: nil)
            emit(.toBool, a: d, b: a, c: range(l.lhs.range))
            next = mark
            let skip = emit(l.isAnd ? .jumpIfFalse : .jumpIfTrue, a: d)
            let b = try expr(l.rhs, into: nil)
            emit(.toBool, a: d, b: b, c: range(l.rhs.range))
            next = mark
            patch(skip, b: here)
            return d
        case let t as TernaryExpr where !ternaryPromotes(t):
            let d = dst ?? temp()
            let mark = next
            let otherwise = try conditionJump(t.condition)
            next = mark
            _ = try expr(t.then, into: d)
            next = mark
            let end = emit(.jump)
            patchCondition(otherwise, to: here)
            _ = try expr(t.otherwise, into: d)
            next = mark
            patch(end, a: here)
            return d
        case let c as CallExpr:
            return try call(c, into: dst)
        case let a as AssignExpr:
            if a.place.steps.isEmpty, case .global(let g) = a.place.root {
                let mark = next
                let v = try expr(a.value, into: nil)
                emit(.assignGlobal, a: global(g), b: v, c: appended(a, to: &assigns))
                next = mark
                return voidResult(into: dst)
            }
            guard a.place.steps.isEmpty, case .local(let slot) = a.place.root else { return escape(e, into: dst) }
            let mark = next
            let v = try expr(a.value, into: nil)
            emit(.assignLocal, a: slot, b: v, c: appended(a, to: &assigns))
            next = mark
            return voidResult(into: dst)
        case let a as CompoundAssignExpr:
            if a.place.steps.isEmpty, case .global(let g) = a.place.root {
                let mark = next
                let v = try expr(a.value, into: nil)
                emit(.compoundGlobal, sub: a.op.code, a: global(g), b: v, c: appended(a, to: &compounds))
                next = mark
                return voidResult(into: dst)
            }
            guard a.place.steps.isEmpty, case .local(let slot) = a.place.root else { return escape(e, into: dst) }
            let mark = next
            let v = try expr(a.value, into: nil)
            emit(.compoundLocal, sub: a.op.code, a: slot, b: v, c: appended(a, to: &compounds))
            next = mark
            return voidResult(into: dst)
        default:
            return escape(e, into: dst)
        }
    }

    /// A value into a fresh register, or a local's own register when nothing
    /// evaluated after it can change that local (`copy: false`).
    private mutating func operand(_ e: Expr, copy: Bool) throws -> Int {
        if copy, e is LocalGet { return try expr(e, into: temp()) }
        return try expr(e, into: nil)
    }

    private mutating func voidResult(into dst: Int?) -> Int {
        let d = dst ?? temp()
        emit(.loadConst, a: d, b: constant(.void))
        return d
    }

    private mutating func escape(_ e: Expr, into dst: Int?) -> Int {
        let d = dst ?? temp()
        emit(.evalExpr, a: d, b: appended(e, to: &exprs))
        return d
    }

    /// `c ? 1 : 0.5`: the Int branch becomes a Double; left to the tree.
    private func ternaryPromotes(_ t: TernaryExpr) -> Bool {
        func isDouble(_ e: Expr) -> Bool {
            if let l = e as? LiteralExpr, case .double = l.value { return true }
            return false
        }
        return (t.then.isIntegerLiteral && isDouble(t.otherwise)) || (t.otherwise.isIntegerLiteral && isDouble(t.then))
    }

    /// `op` applied to one operand, whose temporaries are free again after.
    private mutating func unary(_ op: Op, _ operand: Expr, range r: SourceRange, into dst: Int?) throws -> Int {
        let d = dst ?? temp()
        let mark = next
        let o = try expr(operand, into: nil)
        emit(op, a: d, b: o, c: range(r))
        next = mark
        return d
    }

    private mutating func binary(_ b: BinaryExpr, into dst: Int?) throws -> Int {
        let d = dst ?? temp()
        let mark = next
        let node = appended(b, to: &binaries)
        let l = try operand(b.lhs, copy: Self.mayWriteLocals(b.rhs))
        if let k = b.rhsConstant {
            emit(b.op.constantInstruction ?? .binaryConst, sub: b.op.code, a: d, b: l, c: node, k: k)
        } else {
            let r = try expr(b.rhs, into: nil)
            emit(b.op.instruction ?? .binary, sub: b.op.code, a: d, b: l, c: r, k: node)
        }
        next = mark
        return d
    }

    private mutating func call(_ c: CallExpr, into dst: Int?) throws -> Int {
        let d = dst ?? temp()
        let mark = next
        var callee = -1
        if c.globalCallee == nil { callee = try expr(c.callee, into: temp()) }
        let base = next
        for _ in c.args { _ = temp() }
        let site = appended(CallSite(node: c, argumentBase: base, calleeRegister: callee), to: &callSites)
        // The tree checks the callee before it evaluates the arguments. The
        // check is an instruction of its own only when an argument could
        // show that it ran first (by output or a change of state); otherwise
        // `call` checks, which differs only in which error a call reports
        // when its callee and an argument both fail.
        if c.globalCallee == nil || c.args.contains(where: Self.mayHaveEffects) { emit(.callPrepare, b: site) }
        for (i, arg) in c.args.enumerated() { _ = try expr(arg, into: base + i) }
        emit(.call, a: d, b: site)
        next = mark
        return d
    }

    /// Whether evaluating `e` could do anything but compute a value or fail.
    static func mayHaveEffects(_ e: Expr) -> Bool { hasEffects(e, callsCount: true) }

    /// Whether evaluating `e` might assign a local of this function (so an
    /// operand read before it must be copied first). A called function cannot
    /// reach this one's locals: compiled functions define no closures.
    static func mayWriteLocals(_ e: Expr) -> Bool { hasEffects(e, callsCount: false) }

    private static func hasEffects(_ e: Expr, callsCount: Bool) -> Bool {
        let inner = { (x: Expr) in hasEffects(x, callsCount: callsCount) }
        switch e {
        case is LiteralExpr, is LocalGet, is GlobalGet, is OuterGet: return false
        case let b as BinaryExpr: return inner(b.lhs) || inner(b.rhs)
        case let l as LogicalExpr: return inner(l.lhs) || inner(l.rhs)
        case let n as NotExpr: return inner(n.operand)
        case let n as NegateExpr: return inner(n.operand)
        case let t as TernaryExpr: return inner(t.condition) || inner(t.then) || inner(t.otherwise)
        case let c as CallExpr where !callsCount: return inner(c.callee) || c.args.contains(where: inner)
        default: return true
        }
    }

    // MARK: Conditions

    /// Jumps away when `e` is false; returns the jump to patch.
    private mutating func conditionJump(_ e: Expr) throws -> Int {
        if let b = e as? BinaryExpr, b.op.isComparison {
            let mark = next
            let node = appended(b, to: &binaries)
            let l = try operand(b.lhs, copy: Self.mayWriteLocals(b.rhs))
            defer { next = mark }
            if let k = b.rhsConstant {
                return emit(b.op.constantJump ?? .compareConstJump, sub: b.op.code, a: l, c: node, k: k)
            }
            let r = try expr(b.rhs, into: nil)
            return emit(b.op.jump ?? .compareJump, sub: b.op.code, a: l, b: r, k: node)
        }
        let mark = next
        let r = try expr(e, into: nil)
        next = mark
        return emit(.jumpIfFalse, a: r, c: range(e.range))
    }

    private mutating func patchCondition(_ jump: Int, to target: Int) {
        switch code[jump].op {
        case .compareJump, .jumpUnlessLess, .jumpUnlessLessEqual, .jumpUnlessGreater, .jumpUnlessGreaterEqual,
             .jumpUnlessEqual, .jumpUnlessNotEqual:
            patch(jump, c: target)
        default: patch(jump, b: target)
        }
    }

    /// All plain-expression conditions, or nil (`if let` runs on the tree).
    private func plainConditions(_ conds: [Condition]) -> [Expr]? {
        var out: [Expr] = []
        for c in conds {
            guard case .expr(let e) = c else { return nil }
            out.append(e)
        }
        return out
    }

    // MARK: Statements

    mutating func block(_ body: [Stmt]) throws {
        for s in body { try stmt(s) }
    }

    private mutating func stmt(_ s: Stmt) throws {
        switch s {
        case let e as ExprStmt:
            let mark = next
            _ = try expr(e.expr, into: nil)
            next = mark
        case let v as VarDeclStmt:
            guard case .local(let slot) = v.target else { return escape(s) }
            if let value = v.value {
                _ = try expr(value, into: slot)
                if let type = v.type {
                    emit(.coerce, sub: value.isLiteral ? 1 : 0, a: slot, b: appended(type, to: &types), c: range(value.range))
                }
            } else {
                emit(.loadConst, a: slot, b: constant(v.type?.isOptional == true ? .none : .void))
            }
        case let i as IfStmt:
            guard let conds = plainConditions(i.conditions) else { return escape(s) }
            var exits: [Int] = []
            for c in conds { exits.append(try conditionJump(c)) }
            try block(i.then)
            if let otherwise = i.otherwise {
                let end = emit(.jump)
                for j in exits { patchCondition(j, to: here) }
                try block(otherwise)
                patch(end, a: here)
            } else {
                for j in exits { patchCondition(j, to: here) }
            }
        case let g as GuardStmt:
            guard let conds = plainConditions(g.conditions) else { return escape(s) }
            var exits: [Int] = []
            for c in conds { exits.append(try conditionJump(c)) }
            let pass = emit(.jump)
            for j in exits { patchCondition(j, to: here) }
            try block(g.otherwise)
            emit(.guardFellThrough, a: appended(g, to: &guards))
            patch(pass, a: here)
        case let w as WhileStmt:
            guard let conds = plainConditions(w.conditions) else { return escape(s) }
            let top = here
            let loop = beginLoop(w.label, continueTarget: top)
            var exits: [Int] = []
            for c in conds { exits.append(try conditionJump(c)) }
            emit(.tick, a: range(w.range))
            try block(w.body)
            emit(.jump, a: top)
            for j in exits { patchCondition(j, to: here) }
            endLoop(loop, breakTarget: here)
        case let r as RepeatStmt:
            let top = here
            let loop = beginLoop(r.label, continueTarget: -1)
            emit(.tick, a: range(r.range))
            try block(r.body)
            loops[loop].continueTarget = here
            let mark = next
            let c = try expr(r.condition, into: nil)
            next = mark
            emit(.jumpIfTrue, a: c, b: top, c: range(r.condition.range))
            endLoop(loop, breakTarget: here)
        case let f as ForInStmt:
            try forIn(f)
        case let r as ReturnStmt:
            let mark = next
            let v = r.hasValue ? try expr(r.value, into: nil) : 0
            next = mark
            emit(.ret, a: v, b: returnCheck(ReturnCheck(r)))
        case let b as BreakStmt:
            try jump(label: b.label, isBreak: true)
        case let c as ContinueStmt:
            try jump(label: c.label, isBreak: false)
        case let b as BlockStmt:
            try block(b.body)
        default:
            escape(s)
        }
    }

    private mutating func escape(_ s: Stmt) {
        emit(.execStmt, b: appended(s, to: &stmts), c: loopStack.last ?? -1)
    }

    private mutating func forIn(_ f: ForInStmt) throws {
        let targetSlot: Int
        switch f.target {
        case .local(let slot): targetSlot = slot
        case .discard: targetSlot = -1
        default: return escape(f)
        }
        let info = appended(f, to: &fors)
        let mark = next
        let sequence = try expr(f.sequence, into: nil)
        next = mark
        let state = temp()
        _ = temp()
        _ = temp()
        let prepare = emit(.forPrepare, a: sequence, b: state, k: info)
        let top = here
        emit(.forBind, a: state, b: targetSlot, c: info)
        let loop = beginLoop(f.label, continueTarget: -1)
        var skip: Int?
        if let filter = f.filter { skip = try conditionJump(filter) }
        try block(f.body)
        let step = here
        if let skip { patchCondition(skip, to: step) }
        loops[loop].continueTarget = step
        emit(.forStep, a: state, b: top)
        patch(prepare, c: here)
        endLoop(loop, breakTarget: here)
        next = mark
    }

    private mutating func beginLoop(_ label: String?, continueTarget: Int) -> Int {
        let i = appended(CompiledLoop(label: label, breakTarget: -1, continueTarget: continueTarget,
                                 parent: loopStack.last ?? -1), to: &loops)
        loopStack.append(i)
        return i
    }

    private mutating func endLoop(_ loop: Int, breakTarget: Int) {
        loops[loop].breakTarget = breakTarget
        loopStack.removeLast()
        for (at, l, isBreak) in pendingJumps where l == loop {
            patch(at, a: isBreak ? breakTarget : loops[loop].continueTarget)
        }
        pendingJumps.removeAll { $0.1 == loop }
    }

    /// `break`/`continue` to a compiled loop; anything else runs on the tree.
    private mutating func jump(label: String?, isBreak: Bool) throws {
        guard let loop = loopStack.last(where: { label == nil || loops[$0].label == label }) else {
            throw NotCompiled()
        }
        pendingJumps.append((emit(.jump), loop, isBreak))
    }
}

/// Appends `item` and returns its index.
private func appended<T>(_ item: T, to list: inout [T]) -> Int {
    list.append(item)
    return list.count - 1
}

extension BinaryOp {
    /// A small number for instructions.
    var code: UInt8 {
        switch self {
        case .add: return 0
        case .sub: return 1
        case .mul: return 2
        case .div: return 3
        case .rem: return 4
        case .bitAnd: return 5
        case .bitOr: return 6
        case .bitXor: return 7
        case .shl: return 8
        case .shr: return 9
        case .eq: return 10
        case .ne: return 11
        case .lt: return 12
        case .le: return 13
        case .gt: return 14
        case .ge: return 15
        }
    }

    init(code: UInt8) {
        switch code {
        case 0: self = .add
        case 1: self = .sub
        case 2: self = .mul
        case 3: self = .div
        case 4: self = .rem
        case 5: self = .bitAnd
        case 6: self = .bitOr
        case 7: self = .bitXor
        case 8: self = .shl
        case 9: self = .shr
        case 10: self = .eq
        case 11: self = .ne
        case 12: self = .lt
        case 13: self = .le
        case 14: self = .gt
        default: self = .ge
        }
    }

    var isComparison: Bool { code >= 10 }

    var instruction: Op? {
        switch self {
        case .add: return .add
        case .sub: return .subtract
        case .mul: return .multiply
        default: return nil
        }
    }

    var constantInstruction: Op? {
        switch self {
        case .add: return .addConst
        case .sub: return .subtractConst
        case .mul: return .multiplyConst
        default: return nil
        }
    }

    var jump: Op? {
        switch self {
        case .lt: return .jumpUnlessLess
        case .le: return .jumpUnlessLessEqual
        case .gt: return .jumpUnlessGreater
        case .ge: return .jumpUnlessGreaterEqual
        case .eq: return .jumpUnlessEqual
        case .ne: return .jumpUnlessNotEqual
        default: return nil
        }
    }

    var constantJump: Op? {
        switch self {
        case .lt: return .jumpUnlessLessConst
        case .le: return .jumpUnlessLessEqualConst
        case .gt: return .jumpUnlessGreaterConst
        case .ge: return .jumpUnlessGreaterEqualConst
        case .eq: return .jumpUnlessEqualConst
        case .ne: return .jumpUnlessNotEqualConst
        default: return nil
        }
    }
}
