import SwiftSyntax

extension Lowerer {
    func lowerExpr(_ e: ExprSyntax) throws -> Expr {
        let r = range(e)
        switch e.kind {
        case .integerLiteralExpr:
            let lit = e.cast(IntegerLiteralExprSyntax.self)
            guard let v = lit.representedLiteralValue else {
                throw CellError(.overflowError, "integer literal '\(lit.literal.text)' overflows when stored into 'Int'", at: r)
            }
            return LiteralExpr(.int(v), range: r)
        case .floatLiteralExpr:
            let lit = e.cast(FloatLiteralExprSyntax.self)
            guard let v = lit.representedLiteralValue ?? Double(lit.literal.text.filter { $0 != "_" }) else {
                throw CellError(.syntaxError, "'\(lit.literal.text)' is not a valid floating-point literal", at: r)
            }
            return LiteralExpr(.double(v), range: r)
        case .booleanLiteralExpr:
            return LiteralExpr(.bool(e.cast(BooleanLiteralExprSyntax.self).literal.tokenKind == .keyword(.true)), range: r)
        case .nilLiteralExpr:
            return LiteralExpr(.none, range: r)
        case .stringLiteralExpr:
            return try lowerString(e.cast(StringLiteralExprSyntax.self))
        case .arrayExpr:
            let a = e.cast(ArrayExprSyntax.self)
            return ArrayLiteralExpr(elements: try a.elements.map { try lowerExpr($0.expression) }, range: r)
        case .dictionaryExpr:
            let d = e.cast(DictionaryExprSyntax.self)
            switch d.content {
            case .colon: return DictionaryLiteralExpr(pairs: [], range: r)
            case .elements(let els):
                return DictionaryLiteralExpr(pairs: try els.map { (try lowerExpr($0.key), try lowerExpr($0.value)) },
                                             range: r)
            }
        case .tupleExpr:
            let t = e.cast(TupleExprSyntax.self)
            if t.elements.count == 1, let only = t.elements.first, only.label == nil {
                return try lowerExpr(only.expression)
            }
            return TupleExpr(elements: try t.elements.map { try lowerExpr($0.expression) },
                             labels: t.elements.map { $0.label?.text }, range: r)
        case .declReferenceExpr:
            let d = e.cast(DeclReferenceExprSyntax.self)
            if d.argumentNames != nil { throw unsupported("function references with argument labels", d) }
            return try lowerName(d.baseName.text, node: d)
        case .memberAccessExpr:
            return try lowerMemberAccess(e.cast(MemberAccessExprSyntax.self))
        case .functionCallExpr:
            return try wrapChain(e, try lowerCall(e.cast(FunctionCallExprSyntax.self)))
        case .subscriptCallExpr:
            let s = e.cast(SubscriptCallExprSyntax.self)
            if let tc = s.trailingClosure { throw unsupported("trailing closures on subscripts", tc) }
            let base = try lowerExpr(s.calledExpression)
            return try wrapChain(e, SubscriptExpr(base: base, args: try subscriptArguments(s, collection: base),
                                                  labels: s.arguments.map { $0.label?.text }, range: r))
        case .infixOperatorExpr:
            return try lowerInfix(e.cast(InfixOperatorExprSyntax.self))
        case .prefixOperatorExpr:
            let p = e.cast(PrefixOperatorExprSyntax.self)
            let op = p.operator.text
            switch op {
            case "-":
                if let lit = p.expression.as(IntegerLiteralExprSyntax.self) {
                    // `-9223372036854775808` is a valid literal.
                    if let v = Int("-" + lit.literal.text.filter { $0 != "_" }) { return LiteralExpr(.int(v), range: r) }
                }
                if let lit = p.expression.as(FloatLiteralExprSyntax.self), let v = lit.representedLiteralValue {
                    return LiteralExpr(.double(-v), range: r)
                }
                return NegateExpr(operand: try lowerExpr(p.expression), range: r)
            case "+": return try lowerExpr(p.expression)
            case "!": return NotExpr(operand: try lowerExpr(p.expression), range: r)
            case "~": return BitNotExpr(operand: try lowerExpr(p.expression), range: r)
            case "..<", "...":
                return RangeExpr(lower: nil, upper: try lowerExpr(p.expression), closed: op == "...", range: r)
            default: throw unsupported("the prefix operator '\(op)'", p.operator)
            }
        case .postfixOperatorExpr:
            let p = e.cast(PostfixOperatorExprSyntax.self)
            if p.operator.text == "..." {
                return RangeExpr(lower: try lowerExpr(p.expression), upper: nil, closed: false, range: r)
            }
            throw unsupported("the postfix operator '\(p.operator.text)'", p.operator)
        case .ternaryExpr:
            let t = e.cast(TernaryExprSyntax.self)
            return TernaryExpr(condition: try lowerExpr(t.condition), then: try lowerExpr(t.thenExpression),
                               otherwise: try lowerExpr(t.elseExpression), range: r)
        case .forceUnwrapExpr:
            let f = e.cast(ForceUnwrapExprSyntax.self)
            return try wrapChain(e, ForceUnwrapExpr(operand: try lowerExpr(f.expression), range: r))
        case .optionalChainingExpr:
            let o = e.cast(OptionalChainingExprSyntax.self)
            return try wrapChain(e, OptionalChainLink(operand: try lowerExpr(o.expression), range: r))
        case .closureExpr:
            return try lowerClosure(e.cast(ClosureExprSyntax.self))
        case .asExpr:
            let a = e.cast(AsExprSyntax.self)
            let kind: CastExpr.Kind
            switch a.questionOrExclamationMark?.tokenKind {
            case .postfixQuestionMark?, .infixQuestionMark?: kind = .conditional
            case .exclamationMark?: kind = .forced
            default: kind = .coerce
            }
            return CastExpr(kind: kind, operand: try lowerExpr(a.expression), type: try lowerType(a.type), range: r)
        case .isExpr:
            let i = e.cast(IsExprSyntax.self)
            return CastExpr(kind: .check, operand: try lowerExpr(i.expression), type: try lowerType(i.type), range: r)
        case .ifExpr:
            return try lowerIfExpression(e.cast(IfExprSyntax.self))
        case .typeExpr:
            let t = e.cast(TypeExprSyntax.self)
            return LiteralExpr(.type(text(of: t.type)), range: r)
        case .discardAssignmentExpr:
            throw CellError(.syntaxError, "'_' can only appear on the left of an assignment", at: r)
        case .sequenceExpr:
            throw CellError(.syntaxError, "cannot work out the order of these operators; add parentheses", at: r)
        case .tryExpr: return try lowerTry(e.cast(TryExprSyntax.self))
        case .awaitExpr: throw unsupported("'await' (concurrency)", e, use: Lowerer.concurrencyUse, plural: false)
        case .keyPathExpr: return try lowerKeyPath(e.cast(KeyPathExprSyntax.self))
        case .macroExpansionExpr: throw unsupported("macros", e)
        case .regexLiteralExpr: throw unsupported("regex literals", e)
        case .superExpr: throw unsupported("'super'", e)
        case .inOutExpr:
            return InOutArgumentExpr(operand: try lowerExpr(e.cast(InOutExprSyntax.self).expression), range: r)
        case .switchExpr: throw unsupported("'switch' as an expression", e, use: "assign inside each case")
        case .genericSpecializationExpr: throw unsupported("explicit generic arguments", e, use: "write [Int]() instead of Array<Int>()")
        case .editorPlaceholderExpr: throw CellError(.syntaxError, "editor placeholder in source file", at: r)
        case .packExpansionExpr, .packElementExpr: throw unsupported("parameter packs", e)
        case .consumeExpr, .copyExpr, .borrowExpr: throw unsupported("ownership operators", e)
        case .patternExpr: throw unsupported("a pattern here", e)
        case .unresolvedTernaryExpr, .unresolvedAsExpr, .unresolvedIsExpr:
            throw CellError(.syntaxError, "expected an expression", at: r)
        default:
            throw unsupported("this expression", e)
        }
    }

    /// The end of an optional chain (`a?.b.c`) turns nil into the chain's value.
    func wrapChain(_ e: ExprSyntax, _ lowered: Expr) throws -> Expr {
        guard containsOptionalChain(e) else { return lowered }
        if let parent = e.parent, isChainContinuation(parent, base: e) { return lowered }
        return OptionalChainEnd(chain: lowered, range: range(e))
    }

    func chainBase(_ e: ExprSyntax) -> ExprSyntax? {
        if let m = e.as(MemberAccessExprSyntax.self) { return m.base }
        if let c = e.as(FunctionCallExprSyntax.self) { return c.calledExpression }
        if let s = e.as(SubscriptCallExprSyntax.self) { return s.calledExpression }
        if let f = e.as(ForceUnwrapExprSyntax.self) { return f.expression }
        if let o = e.as(OptionalChainingExprSyntax.self) { return o.expression }
        return nil
    }

    func containsOptionalChain(_ e: ExprSyntax) -> Bool {
        var cur: ExprSyntax? = e
        while let c = cur {
            if c.is(OptionalChainingExprSyntax.self) { return true }
            cur = chainBase(c)
        }
        return false
    }

    func isChainContinuation(_ parent: Syntax, base: ExprSyntax) -> Bool {
        guard let pe = parent.as(ExprSyntax.self), let b = chainBase(pe) else { return false }
        return b.id == base.id
    }

    func lowerName(_ name: String, node: some SyntaxProtocol) throws -> Expr {
        let r = range(node)
        if name.hasPrefix("$"), let n = Int(name.dropFirst()) {
            guard let (depth, slot) = shorthandSlot(n) else {
                throw CellError(.syntaxError, "anonymous closure argument '\(name)' is not available here", at: r)
            }
            return depth == 0 ? LocalGet(index: slot, range: r) : OuterGet(depth: depth, index: slot, range: r)
        }
        if Lowerer.isOperatorName(name), let op = BinaryOp(rawValue: name) {
            return LiteralExpr(.function(OperatorFunction(op: op)), range: r)
        }
        if let implicit = try implicitMember(name, range: r) { return implicit }
        guard let res = resolve(name) else { throw unknownName(name, node) }
        if let error = readBeforeAssignment(name, res, at: r) { throw error }
        switch res {
        case .local(let depth, let info):
            return depth == 0 ? LocalGet(index: info.index, range: r) as Expr
                : OuterGet(depth: depth, index: info.index, range: r)
        case .global(let slot, _, _): return GlobalGet(slot: slot, range: r)
        case .builtin(let fn): return BuiltinRef(function: fn, range: r)
        case .type(let t): return LiteralExpr(.type(t), range: r)
        }
    }
}

extension Lowerer {
    /// A key path as a function argument (`map(\.length)`, `sorted(by:)`'s
    /// neighbours take closures instead): a function reading its members.
    /// Anywhere else, and with subscripts or optional chaining in it, a key
    /// path is refused.
    func lowerKeyPath(_ k: KeyPathExprSyntax) throws -> Expr {
        let use = "use a closure such as { $0.count }"
        let isArgument = k.parent?.is(LabeledExprSyntax.self) == true
            && k.parent?.parent?.parent?.is(FunctionCallExprSyntax.self) == true
        guard isArgument else {
            throw unsupported("key paths outside a function's argument", k,
                              use: "pass one to a function, as in map(\\.count), or \(use)", plural: true)
        }
        var path: [MemberExpr] = []
        for c in k.components {
            guard case .property(let p) = c.component, p.declName.argumentNames == nil else {
                throw unsupported("key paths with subscripts or optional chaining", c, use: use, plural: true)
            }
            path.append(MemberExpr(base: LiteralExpr(.void, range: range(k)), name: p.declName.baseName.text,
                                   range: range(p)))
        }
        guard !path.isEmpty else { throw unsupported("key paths without a member", k, use: use, plural: true) }
        return LiteralExpr(.function(KeyPathFunction(path: path, text: text(of: k))), range: range(k))
    }
}

