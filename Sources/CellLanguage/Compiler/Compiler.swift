/// Turns a function's lowered body into register code (see `Code`).
///
/// The hot shapes become instructions: locals, constants, globals, integer
/// arithmetic and comparisons, conditions, `if`/`guard`/`while`/`repeat`,
/// `for` over ranges and arrays, calls, returns and assignments to locals,
/// and a `switch` whose cases only return, compute or declare.
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
struct NotCompiled: Error {}

struct CodeBuilder {
    var code: [Instruction] = []
    /// Whether the next `expr` is an expression statement's, whose value nothing reads.
    var discardsResult = false
    var next: Int
    var highWater: Int
    var constants: [Value] = []
    var globals: [GlobalSlot] = []
    var binaries: [BinaryExpr] = []
    var exprs: [Expr] = []
    var stmts: [Stmt] = []
    var types: [TypeRef] = []
    var returns: [ReturnCheck] = []
    var assigns: [AssignExpr] = []
    var compounds: [CompoundAssignExpr] = []
    var fors: [ForInStmt] = []
    var guards: [GuardStmt] = []
    var ranges: [SourceRange] = []
    var loops: [CompiledLoop] = []
    var callSites: [CallSite] = []
    var placeSites: [PlaceSite] = []
    var caseSites: [CaseSite] = []
    /// Compiled loops around the statement being compiled, innermost last.
    var loopStack: [Int] = []
    /// Jumps to patch when a loop's targets are known: (instruction, loop, isBreak).
    var pendingJumps: [(Int, Int, Bool)] = []

    init(locals: Int) {
        next = locals
        highWater = locals
    }

    func finish(_ decl: FunctionDecl) -> Code {
        Code(decl: decl, instructions: code, registerCount: highWater, constants: constants, globals: globals, binaries: binaries,
             exprs: exprs, stmts: stmts, types: types, returns: returns, assigns: assigns, compounds: compounds,
             fors: fors, guards: guards, ranges: ranges, loops: loops, callSites: callSites, placeSites: placeSites,
             caseSites: caseSites)
    }

    // MARK: Emitting

    @discardableResult
    mutating func emit(_ op: Op, sub: UInt8 = 0, a: Int = 0, b: Int = 0, c: Int = 0, k: Int = 0) -> Int {
        code.append(Instruction(op: op, sub: sub, a: Int32(a), b: Int32(b), c: Int32(c), k: k))
        return code.count - 1
    }

    var here: Int { code.count }

    mutating func patch(_ at: Int, b target: Int) { code[at].b = Int32(target) }
    mutating func patch(_ at: Int, a target: Int) { code[at].a = Int32(target) }
    mutating func patch(_ at: Int, c target: Int) { code[at].c = Int32(target) }

    mutating func temp() -> Int {
        let r = next
        next += 1
        highWater = max(highWater, next)
        return r
    }


    mutating func constant(_ v: Value) -> Int { appended(v, to: &constants) }
    mutating func returnCheck(_ c: ReturnCheck) -> Int { appended(c, to: &returns) }
    mutating func range(_ r: SourceRange) -> Int { appended(r, to: &ranges) }

    mutating func global(_ slot: GlobalSlot) -> Int {
        if let i = globals.firstIndex(where: { $0 === slot }) { return i }
        return appended(slot, to: &globals)
    }

    // MARK: Expressions

    /// Compiles `e`; its value ends in the returned register (`dst` when given;
    /// otherwise possibly a local's own register, which must not be written).
    mutating func expr(_ e: Expr, into dst: Int?) throws -> Int {
        // Set by an expression statement for its expression alone, not the ones inside it.
        let discarded = discardsResult
        discardsResult = false
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
        case let o as OuterGet:
            let d = dst ?? temp()
            emit(.loadOuter, a: d, b: o.depth, c: o.index)
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
            let otherwise = try conditionJumps(t.condition)
            next = mark
            try either(into: d, mark: mark, then: t.then, otherwise: t.otherwise, from: otherwise)
            return d
        case let c as CallExpr:
            return try call(c, into: dst)
        case let c as BuiltinCallExpr:
            let at = try values(c.args, op: .callBuiltin, node: c, into: dst)
            // `abs(x)`, `Double(x)` and `Int(x)` on a number are done by the machine itself (sub 1, 2, 3).
            if c.args.count == 1, c.labels == [nil], let sub = ["abs": 1, "Double": 2, "Int": 3][c.function.name] {
                code[code.count - 1].sub = UInt8(sub)
            }
            // `min(a, b)` and `max(a, b)` of two Ints or two Doubles (marked on the node: the
            // dispatch loop's code stays as it is).
            if c.args.count == 2, c.labels == [nil, nil], let pick = ["min": 4, "max": 5][c.function.name] {
                c.picksNumber = UInt8(pick)
            }
            return at
        case let l as ArrayLiteralExpr where !l.elements.contains(where: Self.mayHaveEffects):
            // The tree charges for the array before its elements, which here
            // cannot show that they ran first.
            return try values(l.elements, op: .arrayLiteral, node: l, into: dst)
        case let c as ConstructExpr where c.table.types[c.typeName] != nil:
            // `Fish(name: n, length: 2.5)`: the arguments compiled, the construction as on the tree.
            let d = dst ?? temp()
            let mark = next
            let first = try consecutive(c.args)
            emit(.evalExpr, a: d, b: appended(RegisterConstructExpr(c, first: first), to: &exprs))
            next = mark
            return d
        case let n as NilCoalesceExpr:
            // `ages[k] ?? 0`: the right side only when the left is nil, as on the tree.
            let d = dst ?? temp()
            let mark = next
            let v = try expr(n.lhs, into: nil)
            next = mark
            let whenNil = emit(.unwrapJump, sub: 1, a: v, c: d)
            try either(into: d, mark: mark, then: nil, otherwise: n.rhs, from: [whenNil])
            return d
        case let r as RangeExpr where r.lower != nil && r.upper != nil:
            // `0..<n`: an Int range made by the machine, without the tree.
            let at = try values([r.lower!, r.upper!], op: .makeRange, node: r, into: dst)
            code[code.count - 1].sub = r.closed ? 1 : 0
            return at
        case let s as InterpolationExpr:
            // The pieces are computed first, then joined (and charged) as the tree joins them.
            let d = dst ?? temp()
            let mark = next
            let exprs = s.parts.compactMap { p -> Expr? in if case .expr(let e) = p { return e } else { return nil } }
            let first = next
            for _ in exprs { _ = temp() }
            for (j, e) in exprs.enumerated() { _ = try expr(e, into: first + j) }
            // k: the node's address; `exprs` keeps it.
            self.exprs.append(s)
            emit(.interpolate, a: d, b: first, k: Int(bitPattern: Unmanaged.passUnretained(s).toOpaque()))
            next = mark
            return d
        case let s as SubscriptExpr where s.args.count == 1 && s.labels[0] == nil:
            return try subscriptGet(s, into: dst)
        case let m as MemberExpr where m.name == "count":
            let d = dst ?? temp()
            let mark = next
            let node = appended(m, to: &exprs)
            if let g = m.base as? GlobalGet {
                emit(.countGlobal, a: d, b: global(g.slot), k: node)
            } else {
                let base = try expr(m.base, into: nil)
                emit(.count, sub: base >= mark ? 1 : 0, a: d, b: base, k: node)
            }
            next = mark
            return d
        case let m as MemberExpr:
            return try memberGet(m, into: dst)
        case let c as ElementTypeCheck where c.code != 0:
            let d = try expr(c.value, into: dst)
            // k: the check's address; `exprs` keeps it.
            exprs.append(c)
            emit(.checkElement, sub: c.code, a: d, k: Int(bitPattern: Unmanaged.passUnretained(c).toOpaque()))
            return d
        case let m as MethodCallExpr where m.name == "append" && m.args.count == 1 && m.labels[0] == nil:
            guard let place = m.place, place.steps.isEmpty, !place.isConstant else { return escape(e, into: dst) }
            let root: Int, isGlobal: Bool
            switch place.root {
            case .local(let slot): root = slot; isGlobal = false
            case .global(let g): root = global(g); isGlobal = true
            case .outer: return escape(e, into: dst)
            }
            let d = dst ?? temp()
            let mark = next
            let v = try expr(m.args[0], into: temp())
            emit(.append, sub: isGlobal ? 1 : 0, a: d, b: v, c: root, k: appended(m, to: &exprs))
            next = mark
            return d
        case let m as MethodCallExpr where m.place.map { !$0.isConstant && PlaceSite.compiles($0) } == true
            && !(m.args + PlaceSite(place: m.place!, node: m).keys).contains(where: Self.mayHaveEffects):
            // Args and keys have no effects: a call that is not mutating runs whole on the tree.
            return try changePlace(m.place!, node: m, kind: 2, values: m.args, into: dst)
        // Places with a member, or two or more subscripts (`grid[i][j] += 1`); one subscript alone has its own instructions.
        case let a as AssignExpr where (PlaceSite.hasMember(a.place) || a.place.steps.count > 1) && PlaceSite.compiles(a.place):
            return try changePlace(a.place, node: a, kind: 0, values: [a.value], into: dst)
        case let a as CompoundAssignExpr where (PlaceSite.hasMember(a.place) || a.place.steps.count > 1) && PlaceSite.compiles(a.place):
            return try changePlace(a.place, node: a, kind: 1, values: [a.value], into: dst)
        case let a as AssignExpr where a.place.steps.count == 1:
            guard let (root, isGlobal, keys) = elementPlace(a.place), keys.count == 1 else { return escape(e, into: dst) }
            let mark = next
            let v = try operand(a.value, copy: keys.contains(where: Self.mayWriteLocals))
            let k = try keyRegisters(keys)
            emit(.setElement, sub: isGlobal ? 1 : 0, a: root, b: v, c: k, k: appended(a, to: &assigns))
            next = mark
            return voidResult(into: dst, discarded: discarded)
        case let a as CompoundAssignExpr where a.place.steps.count == 1:
            guard let (root, isGlobal, keys) = elementPlace(a.place) else { return escape(e, into: dst) }
            let mark = next
            let v = try operand(a.value, copy: keys.contains(where: Self.mayWriteLocals))
            let k = try keyRegisters(keys)
            emit(.compoundElement, sub: (isGlobal ? 1 : 0) | (keys.count == 2 ? 2 : 0) | a.op.code << 2, a: root, b: v, c: k,
                 k: appended(a, to: &compounds))
            next = mark
            return voidResult(into: dst, discarded: discarded)
        case let a as AssignExpr:
            if a.place.steps.isEmpty, case .global(let g) = a.place.root {
                let mark = next
                let v = try expr(a.value, into: nil)
                emit(.assignGlobal, a: global(g), b: v, c: appended(a, to: &assigns))
                next = mark
                return voidResult(into: dst, discarded: discarded)
            }
            guard a.place.steps.isEmpty, case .local(let slot) = a.place.root else { return escape(e, into: dst) }
            let mark = next
            let v = try expr(a.value, into: nil)
            emit(.assignLocal, a: slot, b: v, c: appended(a, to: &assigns))
            next = mark
            return voidResult(into: dst, discarded: discarded)
        case let a as CompoundAssignExpr:
            if a.place.steps.isEmpty, case .global(let g) = a.place.root {
                if let l = a.value as? LiteralExpr, case .int(let k) = l.value {
                    emit(.compoundGlobalConst, sub: a.op.code, a: global(g), c: appended(a, to: &compounds), k: k)
                    return voidResult(into: dst, discarded: discarded)
                }
                let mark = next
                let v = try expr(a.value, into: nil)
                emit(.compoundGlobal, sub: a.op.code, a: global(g), b: v, c: appended(a, to: &compounds))
                next = mark
                return voidResult(into: dst, discarded: discarded)
            }
            guard a.place.steps.isEmpty, case .local(let slot) = a.place.root else { return escape(e, into: dst) }
            if let l = a.value as? LiteralExpr, case .int(let k) = l.value {
                // `count += 1`: the constant in the instruction.
                emit(.compoundLocalConst, sub: a.op.code, a: slot, c: appended(a, to: &compounds), k: k)
                return voidResult(into: dst, discarded: discarded)
            }
            let mark = next
            let v = try expr(a.value, into: nil)
            emit(.compoundLocal, sub: a.op.code, a: slot, b: v, c: appended(a, to: &compounds))
            next = mark
            return voidResult(into: dst, discarded: discarded)
        default:
            return escape(e, into: dst)
        }
    }

    /// Two ways into `d`: `then` (when given) where the code is, and
    /// `otherwise` where the jumps `from` (conditions, or a nil optional)
    /// land; the temporaries from `mark` on are free after each.
    mutating func either(into d: Int, mark: Int, then: Expr?, otherwise: Expr, from jumps: [Int]) throws {
        if let then {
            _ = try expr(then, into: d)
            next = mark
        }
        let end = emit(.jump)
        patchConditions(jumps, to: here)
        _ = try expr(otherwise, into: d)
        next = mark
        patch(end, a: here)
    }

    /// `op` on the values of `items`, computed in order into fresh registers.
    mutating func values(_ items: [Expr], op: Op, node: Expr, into dst: Int?) throws -> Int {
        let d = dst ?? temp()
        let mark = next
        let first = try consecutive(items)
        emit(op, a: d, b: first, k: appended(node, to: &exprs))
        next = mark
        return d
    }

    /// `a[i]`: the base is read where it lives (a global is not copied into a register).
    mutating func subscriptGet(_ s: SubscriptExpr, into dst: Int?) throws -> Int {
        let d = dst ?? temp()
        let mark = next
        let node = appended(s, to: &exprs)
        if let g = s.base as? GlobalGet, !Self.mayHaveEffects(s.args[0]) {
            // Read after the index, which cannot change the global.
            let i = try expr(s.args[0], into: nil)
            emit(.indexGlobal, a: d, b: global(g.slot), c: i, k: node)
        } else {
            let base = try operand(s.base, copy: Self.mayWriteLocals(s.args[0]))
            let i = try expr(s.args[0], into: nil)
            emit(.index, sub: base >= mark ? 1 : 0, a: d, b: base, c: i, k: node)
        }
        next = mark
        return d
    }

    /// The root of `a[i]` or `d[k, default: x]` as a place (a register or a
    /// global's index) and its key expressions; nil for other places.
    mutating func elementPlace(_ place: Place) -> (Int, Bool, [Expr])? {
        // A 'let' whose root is checked when it runs (a class's subscript) goes to the tree.
        guard place.steps.count == 1, !place.checksConstantRoot,
              case .subscripted(let keys, let labels, _) = place.steps[0] else { return nil }
        guard (keys.count == 1 && labels[0] == nil) || (keys.count == 2 && labels[0] == nil && labels[1] == "default") else {
            return nil
        }
        switch place.root {
        case .local(let slot): return (slot, false, keys)
        case .global(let g): return (global(g), true, keys)
        case .outer: return nil
        }
    }

    /// The expressions' values in consecutive fresh registers, in order; the
    /// first's register is returned (the next free one when there are none).
    mutating func consecutive(_ items: [Expr]) throws -> Int {
        let first = next
        for _ in items { _ = temp() }
        for (j, e) in items.enumerated() { _ = try expr(e, into: first + j) }
        return first
    }

    /// The registers of an element's keys (evaluated after its value): one
    /// local key is read in its own register (`isPrime[m] = false`), which the
    /// element instructions only read; otherwise fresh consecutive ones.
    mutating func keyRegisters(_ keys: [Expr]) throws -> Int {
        if keys.count == 1, let l = keys[0] as? LocalGet { return l.index }
        return try consecutive(keys)
    }

    /// A value into a fresh register, or a local's own register when nothing
    /// evaluated after it can change that local (`copy: false`).
    mutating func operand(_ e: Expr, copy: Bool) throws -> Int {
        if copy, e is LocalGet { return try expr(e, into: temp()) }
        return try expr(e, into: nil)
    }

    /// The register of an assignment's value, `()`; nothing is written there
    /// when the expression is a statement of its own, whose value nothing reads.
    mutating func voidResult(into dst: Int?, discarded: Bool = false) -> Int {
        let d = dst ?? temp()
        if discarded && dst == nil { return d }
        emit(.loadConst, a: d, b: constant(.void))
        return d
    }

    mutating func escape(_ e: Expr, into dst: Int?) -> Int {
        let d = dst ?? temp()
        emit(.evalExpr, a: d, b: appended(e, to: &exprs))
        return d
    }

    /// `c ? 1 : 0.5`: the Int branch becomes a Double; left to the tree.
    func ternaryPromotes(_ t: TernaryExpr) -> Bool {
        func isDouble(_ e: Expr) -> Bool {
            if let l = e as? LiteralExpr, case .double = l.value { return true }
            return false
        }
        return (t.then.isIntegerLiteral && isDouble(t.otherwise)) || (t.otherwise.isIntegerLiteral && isDouble(t.then))
    }

    /// `op` applied to one operand, whose temporaries are free again after.
    mutating func unary(_ op: Op, _ operand: Expr, range r: SourceRange, into dst: Int?) throws -> Int {
        let d = dst ?? temp()
        let mark = next
        let o = try expr(operand, into: nil)
        emit(op, a: d, b: o, c: range(r))
        next = mark
        return d
    }

    mutating func binary(_ b: BinaryExpr, into dst: Int?) throws -> Int {
        let d = dst ?? temp()
        let mark = next
        let node = appended(b, to: &binaries)
        let l = try operand(b.lhs, copy: Self.mayWriteLocals(b.rhs))
        if let k = b.rhsConstant {
            emit(b.op.constantInstruction ?? .binaryConst, sub: b.op.code, a: d, b: l, c: node, k: k)
        } else if let literal = b.rhs as? LiteralExpr, case .double(let x) = literal.value {
            // `v * 0.01`: the Double in the instruction, no register loaded with it.
            emit(.doubleConst, sub: b.op.code, a: d, b: l, c: node, k: Int(Int64(bitPattern: x.bitPattern)))
        } else {
            let r = try expr(b.rhs, into: nil)
            emit(b.op.instruction ?? .binary, sub: b.op.code, a: d, b: l, c: r, k: node)
        }
        next = mark
        return d
    }

    mutating func call(_ c: CallExpr, into dst: Int?) throws -> Int {
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

    static func hasEffects(_ e: Expr, callsCount: Bool) -> Bool {
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
}
