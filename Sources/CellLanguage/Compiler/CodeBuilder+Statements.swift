
extension CodeBuilder {
    // MARK: Conditions

    /// Jumps away when `e` is false; returns the jumps to patch. `a && b` and
    /// `a || b` become jumps on their operands (checked as `LogicalExpr` checks
    /// them), with no Bool made in a register.
    mutating func conditionJumps(_ e: Expr) throws -> [Int] {
        guard let l = e as? LogicalExpr else { return [try conditionJump(e)] }
        if l.isAnd { return try conditionJumps(l.lhs) + conditionJumps(l.rhs) }
        let lhsFalse = try conditionJumps(l.lhs)
        let lhsTrue = emit(.jump)
        patchConditions(lhsFalse, to: here)
        let exits = try conditionJumps(l.rhs)
        patch(lhsTrue, a: here)
        return exits
    }

    mutating func patchConditions(_ jumps: [Int], to target: Int) {
        for j in jumps { patchCondition(j, to: target) }
    }

    /// Jumps away when `e` is false; returns the jump to patch.
    mutating func conditionJump(_ e: Expr) throws -> Int {
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

    mutating func patchCondition(_ jump: Int, to target: Int) {
        switch code[jump].op {
        case .compareJump, .jumpUnlessLess, .jumpUnlessLessEqual, .jumpUnlessGreater, .jumpUnlessGreaterEqual,
             .jumpUnlessEqual, .jumpUnlessNotEqual:
            patch(jump, c: target)
        default: patch(jump, b: target)
        }
    }

    /// Conditions the compiler takes: plain expressions, and `let name =
    /// optional` into a local without a type (`if let n = ages[k]`); nil
    /// otherwise (the statement runs on the tree).
    func compilableConditions(_ conds: [Condition]) -> [Condition]? {
        for c in conds {
            switch c {
            case .expr: continue
            case .bind(.local, _, nil): continue
            default: return nil
            }
        }
        return conds
    }

    /// Jumps away when a condition is false (or its optional nil, after
    /// which nothing is bound); returns the jumps to patch.
    mutating func conditionsJumps(_ conds: [Condition]) throws -> [Int] {
        var exits: [Int] = []
        for c in conds {
            switch c {
            case .expr(let e): exits += try conditionJumps(e)
            case .bind(.local(let slot), let e, nil):
                let mark = next
                let v = try expr(e, into: nil)
                next = mark
                exits.append(emit(.unwrapJump, a: v, c: slot, k: appended(e, to: &exprs)))
            default: throw NotCompiled()
            }
        }
        return exits
    }

    // MARK: Statements

    mutating func block(_ body: [Stmt]) throws {
        for s in body { try stmt(s) }
    }

    mutating func stmt(_ s: Stmt) throws {
        switch s {
        case let e as ExprStmt:
            let mark = next
            discardsResult = true
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
            guard let conds = compilableConditions(i.conditions) else { return escape(s) }
            let exits = try conditionsJumps(conds)
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
            guard let conds = compilableConditions(g.conditions) else { return escape(s) }
            let exits = try conditionsJumps(conds)
            let pass = emit(.jump)
            for j in exits { patchCondition(j, to: here) }
            try block(g.otherwise)
            emit(.guardFellThrough, a: appended(g, to: &guards))
            patch(pass, a: here)
        case let w as WhileStmt:
            guard let conds = compilableConditions(w.conditions) else { return escape(s) }
            let top = here
            let loop = beginLoop(w.label, continueTarget: -1)
            let exits = try conditionsJumps(conds)
            try block(w.body)
            // The back edge counts the step (and `continue` comes here, so that it counts too).
            loops[loop].continueTarget = here
            emit(.tickJump, a: top, b: range(w.range))
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
        case let sw as SwitchStmt where Self.compilesSwitch(sw):
            try switchStmt(sw)
        default:
            escape(s)
        }
    }

    /// A `switch` whose case bodies hold no statement that could `break` or
    /// `continue` (only returns, expressions and declarations): its patterns
    /// are tried one by one by the tree's own matching, its guards and bodies compiled.
    static func compilesSwitch(_ sw: SwitchStmt) -> Bool {
        sw.label == nil && sw.cases.count < 0xFFFF && sw.cases.allSatisfy { c in
            c.patterns.count < 0xFFFF && c.body.allSatisfy { $0 is ReturnStmt || $0 is ExprStmt || $0 is VarDeclStmt }
        }
    }

    mutating func switchStmt(_ sw: SwitchStmt) throws {
        let mark = next
        let subject = try expr(sw.subject, into: temp())
        let node = appended(sw as Stmt, to: &stmts)
        var ends: [Int] = []
        for (ci, c) in sw.cases.enumerated() {
            var toBody: [Int] = []
            for (pi, (pattern, guardExpr)) in c.patterns.enumerated() {
                let miss: Int
                if let site = CaseSite(pattern) {
                    miss = emit(.matchCase, a: subject, b: node, c: -1, k: appended(site, to: &caseSites) << 32 | ci << 16 | pi)
                } else {
                    miss = emit(.matchPattern, a: subject, b: node, c: -1, k: ci << 16 | pi)
                }
                var guardMiss: [Int] = []
                if let guardExpr { guardMiss = try conditionJumps(guardExpr) }
                toBody.append(emit(.jump))
                patch(miss, c: here)
                patchConditions(guardMiss, to: here)
            }
            let nextCase = emit(.jump)
            for j in toBody { patch(j, a: here) }
            try block(c.body)
            ends.append(emit(.jump))
            patch(nextCase, a: here)
        }
        emit(.matchPattern, sub: 1, a: subject, b: node)
        for j in ends { patch(j, a: here) }
        next = mark
    }

    mutating func escape(_ s: Stmt) {
        emit(.execStmt, b: appended(s, to: &stmts), c: loopStack.last ?? -1)
    }

    mutating func forIn(_ f: ForInStmt) throws {
        if try enumeratedLoop(f) { return }
        let info = appended(f, to: &fors)
        let mark = next
        // `for i in a..<b` (or `a...b`) into a local: the bounds counted in
        // place (sub 3, 4), with no range value made.
        var countedBounds: (Int, Bool)?
        if let r = f.sequence as? RangeExpr, let lower = r.lower, let upper = r.upper {
            switch f.target {
            case .local, .discard: countedBounds = (try consecutive([lower, upper]), r.closed)
            default: break
            }
        }
        let sequence = try countedBounds?.0 ?? expr(f.sequence, into: nil)
        next = mark
        let state = temp()
        _ = temp()
        _ = temp()
        // A tuple (or global) target takes each element in a temporary and binds it as the tree does.
        let targetSlot: Int
        var bindsTarget = false
        switch f.target {
        case .local(let slot): targetSlot = slot
        case .discard: targetSlot = -1
        default:
            targetSlot = temp()
            bindsTarget = true
        }
        let kind: UInt8 = countedBounds.map { $0.1 ? 4 : 3 } ?? (bindsTarget ? 1 : 0)
        let prepare = emit(.forPrepare, sub: kind, a: sequence, b: state, k: info)
        let top = here
        emit(.forBind, sub: bindsTarget ? 1 : 0, a: state, b: targetSlot, c: info)
        try loopBody(f, state: state, prepare: prepare, top: top)
        next = mark
    }

    /// `for (i, x) in xs.enumerated()` over a local with two local (or `_`)
    /// targets: the offsets are counted and the elements read from the array
    /// itself, with no array of tuples. When `xs` holds no array at run time
    /// (or an extension of Array may define `enumerated`), the loop takes the
    /// tree's value and binds each tuple as the tree does. False when `f` is not such a loop.
    mutating func enumeratedLoop(_ f: ForInStmt) throws -> Bool {
        guard let call = f.sequence as? MethodCallExpr, call.name == "enumerated", call.args.isEmpty,
              let receiver = call.receiver as? LocalGet,
              case .tuple(let targets) = f.target, targets.count == 2 else { return false }
        var slots: [Int] = []
        for t in targets {
            switch t {
            case .local(let slot): slots.append(slot)
            case .discard: slots.append(-1)
            default: return false
            }
        }
        let info = appended(f, to: &fors)
        let mark = next
        // state[0..<3] as for any loop, state[3]: void while counting, true
        // when binding the tree's tuples; state[4]: the element being bound then.
        let state = temp()
        for _ in 0..<4 { _ = temp() }
        let prepare = emit(.forPrepare, sub: 2, a: receiver.index, b: state, k: info)
        let top = here
        emit(.forBind, sub: 2, a: state, b: slots[0], c: info, k: slots[1])
        try loopBody(f, state: state, prepare: prepare, top: top)
        next = mark
        return true
    }

    /// A `for` loop's filter, body and step, after its `forBind` at `top`.
    mutating func loopBody(_ f: ForInStmt, state: Int, prepare: Int, top: Int) throws {
        let loop = beginLoop(f.label, continueTarget: -1)
        var skip: [Int] = []
        if let filter = f.filter { skip = try conditionJumps(filter) }
        try block(f.body)
        let step = here
        patchConditions(skip, to: step)
        loops[loop].continueTarget = step
        emit(.forStep, a: state, b: top)
        patch(prepare, c: here)
        endLoop(loop, breakTarget: here)
    }

    mutating func beginLoop(_ label: String?, continueTarget: Int) -> Int {
        let i = appended(CompiledLoop(label: label, breakTarget: -1, continueTarget: continueTarget,
                                 parent: loopStack.last ?? -1), to: &loops)
        loopStack.append(i)
        return i
    }

    mutating func endLoop(_ loop: Int, breakTarget: Int) {
        loops[loop].breakTarget = breakTarget
        loopStack.removeLast()
        for (at, l, isBreak) in pendingJumps where l == loop {
            patch(at, a: isBreak ? breakTarget : loops[loop].continueTarget)
        }
        pendingJumps.removeAll { $0.1 == loop }
    }

    /// `break`/`continue` to a compiled loop; anything else runs on the tree.
    mutating func jump(label: String?, isBreak: Bool) throws {
        guard let loop = loopStack.last(where: { label == nil || loops[$0].label == label }) else {
            throw NotCompiled()
        }
        pendingJumps.append((emit(.jump), loop, isBreak))
    }
}

/// Appends `item` and returns its index.
func appended<T>(_ item: T, to list: inout [T]) -> Int {
    list.append(item)
    return list.count - 1
}
