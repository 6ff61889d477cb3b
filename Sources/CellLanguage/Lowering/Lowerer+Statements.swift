import SwiftSyntax

extension Lowerer {
    // MARK: Declarations

    func lowerDecl(_ d: DeclSyntax) throws -> Stmt? {
        if let v = d.as(VariableDeclSyntax.self) { return try lowerVariable(v) }
        if let t = try lowerTypeDecl(d) { return t }
        if d.is(FunctionDeclSyntax.self) { return nil }  // hoisted
        if let i = d.as(ImportDeclSyntax.self) {
            let module = text(of: i.path)
            if ["Foundation", "Swift", "Glibc", "Darwin"].contains(module) { return nil }
            throw unsupported("importing modules", i, use: "everything Shoal offers is already available", plural: false)
        }
        throw unsupportedDecl(d)
    }

    func unsupportedDecl(_ d: DeclSyntax) -> CellError {
        switch d.kind {
        case .classDecl: return unsupported("classes", d, use: "use functions, tuples and dictionaries")
        case .structDecl: return unsupported("structs", d, use: "use tuples such as (name: String, count: Int)")
        case .enumDecl: return unsupported("enums", d, use: "use strings or implicit members such as .adam")
        case .protocolDecl: return unsupported("protocols", d)
        case .extensionDecl: return unsupported("extensions", d, use: "write a function that takes the value")
        case .actorDecl: return unsupported("actors (concurrency)", d, use: Lowerer.concurrencyUse, plural: true)
        case .typeAliasDecl: return unsupported("type aliases", d, use: "write the type itself")
        case .macroDecl, .macroExpansionDecl: return unsupported("macros", d)
        case .operatorDecl, .precedenceGroupDecl: return unsupported("custom operators", d, use: "write a function")
        case .subscriptDecl: return unsupported("subscript declarations", d)
        case .initializerDecl, .deinitializerDecl: return unsupported("initializers", d)
        case .associatedTypeDecl: return unsupported("associated types", d)
        case .ifConfigDecl: return unsupported("#if blocks", d)
        case .poundSourceLocation: return unsupported("#sourceLocation", d)
        default: return unsupported("this declaration", d)
        }
    }

    func checkModifiers(_ modifiers: DeclModifierListSyntax, _ attributes: AttributeListSyntax, onVariable: Bool = false) throws {
        if let a = attributes.first { throw unsupportedAttribute(a, onVariable: onVariable) }
        for m in modifiers {
            switch m.name.text {
            case "private", "fileprivate", "public", "internal", "open": continue
            case "static", "class": throw unsupported("'\(m.name.text)' members", m)
            case "lazy": throw unsupported("lazy variables", m)
            default: throw unsupportedModifier(m)
            }
        }
    }

    func lowerVariable(_ v: VariableDeclSyntax) throws -> Stmt {
        try checkModifiers(v.modifiers, v.attributes, onVariable: true)
        let constant = v.bindingSpecifier.tokenKind == .keyword(.let)
        var stmts: [Stmt] = []
        for binding in v.bindings {
            if let accessor = binding.accessorBlock {
                throw unsupported("computed properties", accessor, use: "write a function")
            }
            let type = try binding.typeAnnotation.map { try lowerType($0.type) }
                ?? binding.initializer.flatMap { Self.inferredType($0.value) }
            var value = try binding.initializer.map { try lowerExpr($0.value) }
            // `let ratio: Double = 80 / 100` divides Doubles, as in Swift.
            if Self.isDouble(type), let v = value, let d = Self.asDoubleLiterals(v) { value = d }
            // `let grid: [[Double]] = Array(repeating: Array(repeating: 0, count: 3), count: 2)`.
            if case .array(let element)? = type, let v = value { value = repeatingRetyped(v, element: element) }
            if case .array(.any)? = type { (value as? ArrayLiteralExpr)?.keepsInts = true }
            if value == nil && constant && scope.declaresGlobals {
                throw CellError(.syntaxError, "'let' declarations need a value in a cell", at: range(binding))
            }
            let target = try bindTarget(binding.pattern, constant: constant, type: type)
            if value == nil { noteDeclaredWithoutValue(target, type: type, constant: constant) }
            noteReceiverType(binding)
            stmts.append(VarDeclStmt(target: target, value: value, type: type, range: range(binding)))
        }
        return stmts.count == 1 ? stmts[0] : BlockStmt(body: stmts)
    }

    /// Declares the names a pattern binds.
    func bindTarget(_ p: PatternSyntax, constant: Bool, type: TypeRef?) throws -> BindTarget {
        if let id = p.as(IdentifierPatternSyntax.self) {
            return declare(id.identifier.text, constant: constant, type: type)
        }
        if p.is(WildcardPatternSyntax.self) { return .discard }
        if let t = p.as(TuplePatternSyntax.self) {
            var types: [TypeRef?] = Array(repeating: nil, count: t.elements.count)
            if case .tuple(let ts, _)? = type, ts.count == t.elements.count { types = ts }
            return .tuple(try zip(t.elements, types).map { try bindTarget($0.pattern, constant: constant, type: $1) })
        }
        if let vb = p.as(ValueBindingPatternSyntax.self) {
            return try bindTarget(vb.pattern, constant: vb.bindingSpecifier.tokenKind == .keyword(.let), type: type)
        }
        throw unsupported("this pattern", p)
    }

    func lowerFunction(_ fd: FunctionDeclSyntax) throws -> FunctionDecl {
        if loweringMember {
            loweringMember = false
        } else {
            try checkModifiers(fd.modifiers, fd.attributes)
        }
        let generics = genericNames.count
        genericNames += fd.genericParameterClause?.parameters.map(\.name.text) ?? []
        defer { genericNames.removeLast(genericNames.count - generics) }
        if let e = fd.signature.effectSpecifiers {
            if let a = e.asyncSpecifier { throw unsupported("async functions (concurrency)", a, use: Lowerer.concurrencyUse, plural: true) }
            if let t = e.throwsClause?.type { throw unsupported("typed throws", t, use: "write just 'throws'", plural: true) }
        }
        guard let bodySyntax = fd.body else {
            throw CellError(.syntaxError, "expected '{' in body of function declaration", at: range(fd))
        }
        let returnType = try fd.signature.returnClause.map { try lowerType($0.type) }
        var params: [Parameter] = []
        var types: [TypeRef?] = []
        var defaults: [Expr?] = []
        var inoutParameters: [Int] = []
        for (i, p) in fd.signature.parameterClause.parameters.enumerated() {
            let first = p.firstName.text
            let second = p.secondName?.text
            let type = try lowerType(inoutBase(p.type, at: i, into: &inoutParameters))
            let variadic = p.ellipsis != nil
            types.append(variadic ? .array(type) : type)
            defaults.append(try p.defaultValue.map { try lowerExpr($0.value) })
            params.append(Parameter(label: first == "_" ? nil : first, name: second ?? first,
                                    type: text(of: p.type) + (variadic ? "..." : ""),
                                    defaultText: p.defaultValue.map { text(of: $0.value) }, isVariadic: variadic))
        }
        let outer = scope
        outer.hasInnerFunctions = true
        if outer.blocks.count > 1 { outer.hasFunctionsInBlocks = true }
        scope = FunctionScope(parent: outer, isTopLevel: false, returnType: returnType, name: fd.name.text)
        let outerTry = tryDepth
        tryDepth = 0
        defer {
            scope = outer
            tryDepth = outerTry
        }
        // A parameter's type is known where it is read (`v * (1 / 2)` on a `v: Double`).
        let slots = params.indices.map {
            scope.declare(params[$0].name, constant: !inoutParameters.contains($0), type: params[$0].isVariadic ? nil : types[$0])
        }
        // A parameter of a user type: its throwing methods and enum cases are known before the cell runs.
        for (k, slot) in slots.enumerated() where !params[k].isVariadic {
            if case .user(let u) = types[k] { scope.receiverTypes[slot] = u }
        }
        let decl = FunctionDecl(name: fd.name.text, parameters: params, parameterTypes: types, defaults: defaults,
                                parameterSlots: slots, returnType: returnType, isClosure: false, range: range(fd.name))
        let items = Array(bodySyntax.statements)
        if items.count == 1, case .expr(let e) = items[0].item, let rt = returnType, !rt.isVoid,
           !e.is(IfExprSyntax.self), !e.is(SwitchExprSyntax.self) {
            decl.implicitResult = try lowerExpr(e)
        } else {
            decl.body = try lowerBlock(bodySyntax.statements)
        }
        decl.frameSize = scope.slotCount
        decl.capturesItsFrame = scope.hasInnerFunctions
        decl.isThrowing = fd.signature.effectSpecifiers?.throwsClause != nil
        markInout(decl, inoutParameters)
        return decl
    }

    // MARK: Statements

    func lowerStmt(_ s: StmtSyntax) throws -> Stmt {
        if let e = s.as(ExpressionStmtSyntax.self) { return try lowerExprStatement(e.expression) }
        if let f = s.as(ForStmtSyntax.self) { return try lowerFor(f, label: nil) }
        if let w = s.as(WhileStmtSyntax.self) { return try lowerWhile(w, label: nil) }
        if let r = s.as(RepeatStmtSyntax.self) { return try lowerRepeat(r, label: nil) }
        if let g = s.as(GuardStmtSyntax.self) { return try lowerGuard(g) }
        if let r = s.as(ReturnStmtSyntax.self) {
            if scope.isTopLevel { throw CellError(.syntaxError, "return invalid outside of a func", at: range(r)) }
            try checkInitializerReturn(r)
            return ReturnStmt(value: try r.expression.map { try lowerExpr($0) }, returnType: scope.returnType,
                              range: range(r))
        }
        if let b = s.as(BreakStmtSyntax.self) {
            let label = b.label?.text
            try checkJump(label, isContinue: false, node: b)
            return BreakStmt(label: label)
        }
        if let c = s.as(ContinueStmtSyntax.self) {
            let label = c.label?.text
            try checkJump(label, isContinue: true, node: c)
            return ContinueStmt(label: label)
        }
        if let l = s.as(LabeledStmtSyntax.self) {
            let label = l.label.text
            let inner = l.statement
            if let f = inner.as(ForStmtSyntax.self) { return try lowerFor(f, label: label) }
            if let w = inner.as(WhileStmtSyntax.self) { return try lowerWhile(w, label: label) }
            if let r = inner.as(RepeatStmtSyntax.self) { return try lowerRepeat(r, label: label) }
            if let e = inner.as(ExpressionStmtSyntax.self), let sw = e.expression.as(SwitchExprSyntax.self) {
                return try lowerSwitch(sw, label: label)
            }
            throw unsupported("labels on this statement", l, use: "label a for, while or repeat loop", plural: true)
        }
        if let d = s.as(DoStmtSyntax.self) { return try lowerDo(d) }
        if let t = s.as(ThrowStmtSyntax.self) { return try lowerThrow(t) }
        if let d = s.as(DeferStmtSyntax.self) { return try lowerDefer(d) }
        switch s.kind {
        case .fallThroughStmt: return try { throw unsupported("fallthrough", s, use: "list several values in one case: case 1, 2:") }()
        case .yieldStmt, .discardStmt: return try { throw unsupported("this statement", s) }()
        default: throw unsupported("this statement", s)
        }
    }

    func checkJump(_ label: String?, isContinue: Bool, node: some SyntaxProtocol) throws {
        let targets = scope.breakTargets
        if let label {
            guard let t = targets.last(where: { $0.label == label }) else {
                throw CellError(.syntaxError, "cannot find label '\(label)' in scope", at: range(node))
            }
            if isContinue && !t.isLoop {
                throw CellError(.syntaxError, "'continue' cannot be used with a switch label", at: range(node))
            }
            return
        }
        if isContinue ? !targets.contains(where: \.isLoop) : targets.isEmpty {
            let word = isContinue ? "continue" : "break"
            throw CellError(.syntaxError, "'\(word)' is only allowed inside a loop\(isContinue ? "" : ", if, do, or switch")",
                            at: range(node))
        }
    }

    func withBreakTarget<T>(_ label: String?, isLoop: Bool, _ body: () throws -> T) rethrows -> T {
        scope.breakTargets.append((label, isLoop))
        defer { scope.breakTargets.removeLast() }
        return try body()
    }

    func lowerConditions(_ list: ConditionElementListSyntax) throws -> [Condition] {
        try list.map { element -> Condition in
            switch element.condition {
            case .expression(let e):
                // `if x = 5`: an assignment where a comparison was meant.
                if let infix = e.as(InfixOperatorExprSyntax.self), infix.operator.is(AssignmentExprSyntax.self) {
                    throw CellError(.syntaxError, "use of '=' in a condition; did you mean '=='?", at: range(infix.operator))
                }
                return .expr(try lowerExpr(e))
            case .optionalBinding(let b):
                let type = try b.typeAnnotation.map { try lowerType($0.type) }
                let valueExpr: Expr
                if let initializer = b.initializer {
                    valueExpr = try lowerExpr(initializer.value)
                } else if let id = b.pattern.as(IdentifierPatternSyntax.self) {
                    // `if let x` is `if let x = x`.
                    valueExpr = try lowerName(id.identifier.text, node: id)
                } else {
                    throw unsupported("this binding", b)
                }
                let target = try bindTarget(b.pattern, constant: b.bindingSpecifier.tokenKind == .keyword(.let), type: type)
                return .bind(target, valueExpr, type)
            case .matchingPattern(let m):
                if let t = m.typeAnnotation { throw unsupported("a type annotation in a 'case' condition", t) }
                // The value first: the pattern's names are declared after it, as Swift scopes them.
                let value = try lowerExpr(m.initializer.value)
                try checkCaseNames([m.pattern], subject: m.initializer.value)
                return .match(try lowerPattern(m.pattern), value)
            case .availability(let a):
                throw unsupported("availability conditions", a)
            }
        }
    }

    func lowerIf(_ ifx: IfExprSyntax) throws -> Stmt {
        try withBlock {
            let conds = try lowerConditions(ifx.conditions)
            let then = try lowerBlock(ifx.body.statements)
            var otherwise: [Stmt]?
            switch ifx.elseBody {
            case .ifExpr(let nested)?:
                otherwise = try withBlock { [try lowerIf(nested)] }
            case .codeBlock(let block)?:
                otherwise = try lowerBlock(block.statements)
            case nil: break
            }
            return IfStmt(conditions: conds, then: then, otherwise: otherwise)
        }
    }

    func lowerGuard(_ g: GuardStmtSyntax) throws -> Stmt {
        // Names bound by guard stay visible after it, so no new block here.
        let conds = try lowerConditions(g.conditions)
        let body = try lowerBlock(g.body.statements)
        // At the top of a cell, as in a Swift script, the body ends the cell: `fatalError(…)` or `throw`.
        let topLevel = scope.isTopLevel && scope.blocks.count == 1 && scope.breakTargets.isEmpty
        return GuardStmt(conditions: conds, otherwise: body, range: range(g.guardKeyword), topLevel: topLevel)
    }

    func lowerFor(_ f: ForStmtSyntax, label: String?) throws -> Stmt {
        if let t = f.tryKeyword { throw unsupported("'for try' loops", t) }
        if let a = f.awaitKeyword { throw unsupported("'for await' loops", a) }
        let sequence = try lowerExpr(f.sequence)
        return try withBlock {
            let type = try f.typeAnnotation.map { try lowerType($0.type) }
            let target: BindTarget
            var caseFilter: [Condition] = []
            if f.caseKeyword != nil {
                // `for case let x? in …`: each element goes to a hidden slot and is matched there.
                if let t = f.typeAnnotation { throw unsupported("a type annotation in a 'for case' loop", t) }
                let element = scope.newSlot()
                target = .local(element)
                try checkCaseNames([f.pattern], in: knownElementType(f.sequence))
                caseFilter = [.match(try lowerPattern(f.pattern), LocalGet(index: element, range: range(f.pattern)))]
            } else if let id = f.pattern.as(IdentifierPatternSyntax.self) {
                let slot = scope.declare(id.identifier.text, constant: true, type: type)
                target = .local(slot)
                if let u = knownElementType(f.sequence) { scope.receiverTypes[slot] = u }
            } else {
                target = try localBindTarget(f.pattern)
            }
            var filter = try f.whereClause.map { try lowerExpr($0.condition) }
            if !caseFilter.isEmpty {
                filter = CaseFilterExpr(conditions: caseFilter + (filter.map { [.expr($0)] } ?? []), range: range(f.pattern))
            }
            let body = try withBreakTarget(label, isLoop: true) { try lowerLoopBody(f.body, header: boundNames(f.pattern)) }
            return ForInStmt(target: target, sequence: sequence, filter: filter, body: body, label: label,
                             range: range(f.forKeyword))
        }
    }

    /// Like `bindTarget`, but always local (loop variables, switch bindings).
    func localBindTarget(_ p: PatternSyntax) throws -> BindTarget {
        if let id = p.as(IdentifierPatternSyntax.self) {
            if id.identifier.text == "_" { return .discard }
            return .local(scope.declare(id.identifier.text, constant: true, type: nil))
        }
        if p.is(WildcardPatternSyntax.self) { return .discard }
        if let t = p.as(TuplePatternSyntax.self) { return .tuple(try t.elements.map { try localBindTarget($0.pattern) }) }
        if let vb = p.as(ValueBindingPatternSyntax.self) { return try localBindTarget(vb.pattern) }
        throw unsupported("this pattern", p)
    }

    func lowerWhile(_ w: WhileStmtSyntax, label: String?) throws -> Stmt {
        try withBlock {
            let conds = try lowerConditions(w.conditions)
            let body = try withBreakTarget(label, isLoop: true) { try lowerLoopBody(w.body, header: boundNames(w.conditions)) }
            return WhileStmt(conditions: conds, body: body, label: label, range: range(w.whileKeyword))
        }
    }

    func lowerRepeat(_ r: RepeatStmtSyntax, label: String?) throws -> Stmt {
        let body = try withBreakTarget(label, isLoop: true) { try lowerLoopBody(r.body, header: []) }
        return RepeatStmt(body: body, condition: try lowerExpr(r.condition), label: label, range: range(r.repeatKeyword))
    }

    func lowerSwitch(_ sw: SwitchExprSyntax, label: String?) throws -> Stmt {
        let subject = try lowerExpr(sw.subject)
        try checkCaseNames(sw.cases.flatMap { element -> [PatternSyntax] in
            guard case .switchCase(let c) = element, case .case(let l) = c.label else { return [] }
            return l.caseItems.map(\.pattern)
        }, subject: sw.subject)
        var cases: [SwitchStmt.Case] = []
        var exhaustive = false
        for element in sw.cases {
            guard case .switchCase(let c) = element else { throw unsupported("#if inside switch", element) }
            let lowered: SwitchStmt.Case = try withBlock {
                var patterns: [(Pattern, Expr?)] = []
                switch c.label {
                case .default:
                    patterns.append((.wildcard, nil))
                    exhaustive = true
                case .case(let l):
                    scope.patternsShareNames = true
                    defer { scope.patternsShareNames = false }
                    for item in l.caseItems {
                        let p = try lowerPattern(item.pattern)
                        let w = try item.whereClause.map { try lowerExpr($0.condition) }
                        if w == nil, p.isIrrefutable { exhaustive = true }
                        patterns.append((p, w))
                    }
                }
                if c.statements.isEmpty {
                    throw CellError(.syntaxError, "'\(text(of: c.label))' label in a 'switch' must have at least one executable statement; use 'break' to do nothing",
                                    at: range(c.label))
                }
                let body = try withBreakTarget(label, isLoop: false) { try lowerBlock(c.statements) }
                return SwitchStmt.Case(patterns: patterns, body: body)
            }
            cases.append(lowered)
        }
        if !exhaustive { exhaustive = try enumSwitchIsExhaustive(sw) }
        if !exhaustive {
            throw CellError(.syntaxError, "switch must be exhaustive; add a 'default:' case", at: range(sw.switchKeyword))
        }
        return SwitchStmt(subject: subject, cases: cases, label: label, range: range(sw))
    }

    func lowerPattern(_ p: PatternSyntax) throws -> Pattern {
        if p.is(WildcardPatternSyntax.self) { return .wildcard }
        if let i = p.as(IsTypePatternSyntax.self) { return .cast(.wildcard, try lowerType(i.type)) }
        // `let e as PumpError` (in a catch or a case): the pattern left of `as`, the type right of it.
        if let e = p.as(ExpressionPatternSyntax.self), let a = e.expression.as(AsExprSyntax.self), a.questionOrExclamationMark == nil {
            let inner = try lowerPattern(PatternSyntax(ExpressionPatternSyntax(expression: a.expression)))
            return .cast(inner, try lowerType(a.type))
        }
        if let e = p.as(ExpressionPatternSyntax.self), let c = try lowerCasePattern(e.expression, binding: false) { return c }
        if let e = p.as(ExpressionPatternSyntax.self) {
            if let d = e.expression.as(DiscardAssignmentExprSyntax.self) {
                _ = d
                return .wildcard
            }
            if let t = e.expression.as(TupleExprSyntax.self), t.elements.count > 1 {
                return .tuple(try t.elements.map { el in
                    try lowerPattern(PatternSyntax(ExpressionPatternSyntax(expression: el.expression)))
                })
            }
            if let pe = e.expression.as(PatternExprSyntax.self) { return try lowerPattern(pe.pattern) }
            if let opt = e.expression.as(OptionalChainingExprSyntax.self),
               let pe = opt.expression.as(PatternExprSyntax.self) {
                return .some(try lowerPattern(pe.pattern))
            }
            return .expr(try lowerExpr(e.expression))
        }
        if let vb = p.as(ValueBindingPatternSyntax.self) { return try lowerBindingPattern(vb.pattern) }
        if let t = p.as(TuplePatternSyntax.self) { return .tuple(try t.elements.map { try lowerPattern($0.pattern) }) }
        if let id = p.as(IdentifierPatternSyntax.self) {
            return .bind(.local(scope.declare(id.identifier.text, constant: true, type: nil)))
        }
        throw unsupported("this pattern", p)
    }

    private func lowerBindingPattern(_ p: PatternSyntax) throws -> Pattern {
        if let id = p.as(IdentifierPatternSyntax.self) {
            return .bind(.local(scope.declare(id.identifier.text, constant: true, type: nil)))
        }
        if let t = p.as(TuplePatternSyntax.self) { return .tuple(try t.elements.map { try lowerBindingPattern($0.pattern) }) }
        if p.is(WildcardPatternSyntax.self) { return .wildcard }
        if let e = p.as(ExpressionPatternSyntax.self), let a = e.expression.as(AsExprSyntax.self), a.questionOrExclamationMark == nil {
            let inner = try lowerBindingPattern(PatternSyntax(ExpressionPatternSyntax(expression: a.expression)))
            return .cast(inner, try lowerType(a.type))
        }
        if let e = p.as(ExpressionPatternSyntax.self), let c = try lowerCasePattern(e.expression, binding: true) { return c }
        if let e = p.as(ExpressionPatternSyntax.self), let opt = e.expression.as(OptionalChainingExprSyntax.self),
           let pe = opt.expression.as(PatternExprSyntax.self) {
            return .some(try lowerBindingPattern(pe.pattern))
        }
        return try lowerPattern(p)
    }
}

extension Pattern {
    var isIrrefutable: Bool {
        switch self {
        case .wildcard, .bind: return true
        case .tuple(let ps): return ps.allSatisfy(\.isIrrefutable)
        case .expr, .some, .enumCase, .cast: return false
        }
    }
}
