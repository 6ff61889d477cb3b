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
            return try wrapChain(e, SubscriptExpr(base: base, args: try s.arguments.map { try lowerExpr($0.expression) },
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
            return LiteralExpr(.type(t.type.trimmedDescription), range: r)
        case .discardAssignmentExpr:
            throw CellError(.syntaxError, "'_' can only appear on the left of an assignment", at: r)
        case .sequenceExpr:
            throw CellError(.syntaxError, "cannot work out the order of these operators; add parentheses", at: r)
        case .tryExpr: throw unsupported("'try'", e, use: "Shoal cells do not throw errors")
        case .awaitExpr: throw unsupported("'await'", e, use: "cells run synchronously")
        case .keyPathExpr: throw unsupported("key paths", e, use: "use a closure such as { $0.count }")
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

    private func chainBase(_ e: ExprSyntax) -> ExprSyntax? {
        if let m = e.as(MemberAccessExprSyntax.self) { return m.base }
        if let c = e.as(FunctionCallExprSyntax.self) { return c.calledExpression }
        if let s = e.as(SubscriptCallExprSyntax.self) { return s.calledExpression }
        if let f = e.as(ForceUnwrapExprSyntax.self) { return f.expression }
        if let o = e.as(OptionalChainingExprSyntax.self) { return o.expression }
        return nil
    }

    private func containsOptionalChain(_ e: ExprSyntax) -> Bool {
        var cur: ExprSyntax? = e
        while let c = cur {
            if c.is(OptionalChainingExprSyntax.self) { return true }
            cur = chainBase(c)
        }
        return false
    }

    private func isChainContinuation(_ parent: Syntax, base: ExprSyntax) -> Bool {
        guard let pe = parent.as(ExprSyntax.self), let b = chainBase(pe) else { return false }
        return b.id == base.id
    }

    func lowerName(_ name: String, node: some SyntaxProtocol) throws -> Expr {
        let r = range(node)
        if name.hasPrefix("$"), let n = Int(name.dropFirst()) {
            guard n < scope.shorthandSlots.count else {
                throw CellError(.syntaxError, "anonymous closure argument '\(name)' is not available here", at: r)
            }
            return LocalGet(index: scope.shorthandSlots[n], range: r)
        }
        if Lowerer.isOperatorName(name), let op = BinaryOp(rawValue: name) {
            return LiteralExpr(.function(OperatorFunction(op: op)), range: r)
        }
        guard let res = resolve(name) else { throw unknownName(name, node) }
        switch res {
        case .local(let depth, let info):
            return depth == 0 ? LocalGet(index: info.index, range: r) as Expr
                : OuterGet(depth: depth, index: info.index, range: r)
        case .global(let slot, _, _): return GlobalGet(slot: slot, range: r)
        case .builtin(let fn): return BuiltinRef(function: fn, range: r)
        case .type(let t): return LiteralExpr(.type(t), range: r)
        }
    }

    // MARK: Strings

    func lowerString(_ s: StringLiteralExprSyntax) throws -> Expr {
        let r = range(s)
        if let raw = s.openingPounds { throw unsupported("raw strings (#\"…\"#)", raw) }
        var parts: [InterpolationExpr.Part] = []
        for seg in s.segments {
            switch seg {
            case .stringSegment(let text):
                parts.append(.text(try unescape(text.content.text, at: range(text))))
            case .expressionSegment(let es):
                guard es.expressions.count == 1, let first = es.expressions.first, first.label == nil else {
                    throw unsupported("interpolations with labels or several values", es)
                }
                parts.append(.expr(try lowerExpr(first.expression)))
            }
        }
        if parts.allSatisfy({ if case .text = $0 { return true } else { return false } }) {
            let text = parts.map { if case .text(let t) = $0 { return t } else { return "" } }.joined()
            return LiteralExpr(.string(text), range: r)
        }
        return InterpolationExpr(parts: parts, range: r)
    }

    func unescape(_ raw: String, at r: SourceRange) throws -> String {
        guard raw.contains("\\") else { return raw }
        var out = ""
        var it = Array(raw.unicodeScalars)[...]
        while let c = it.popFirst() {
            guard c == "\\" else { out.unicodeScalars.append(c); continue }
            guard let e = it.popFirst() else { break }
            switch e {
            case "n": out += "\n"
            case "t": out += "\t"
            case "r": out += "\r"
            case "0": out += "\0"
            case "\\": out += "\\"
            case "\"": out += "\""
            case "'": out += "'"
            case "\n": continue  // line continuation in multi-line strings
            case "u":
                guard it.first == "{", let close = it.firstIndex(of: "}") else {
                    throw CellError(.syntaxError, "expected '{' in \\u{...} escape sequence", at: r)
                }
                let hex = String(String.UnicodeScalarView(it[it.index(after: it.startIndex)..<close]))
                guard let v = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(v) else {
                    throw CellError(.syntaxError, "invalid unicode scalar \\u{\(hex)}", at: r)
                }
                out.unicodeScalars.append(scalar)
                it = it[it.index(after: close)...]
            default:
                throw CellError(.syntaxError, "invalid escape sequence in literal", at: r)
            }
        }
        return out
    }

    // MARK: Operators

    func lowerInfix(_ infix: InfixOperatorExprSyntax) throws -> Expr {
        let r = range(infix)
        if infix.operator.is(AssignmentExprSyntax.self) {
            return try lowerAssignment(infix.leftOperand, infix.rightOperand, r)
        }
        guard let opToken = infix.operator.as(BinaryOperatorExprSyntax.self)?.operator else {
            throw unsupported("this operator", infix.operator)
        }
        let op = opToken.text
        let opRange = range(opToken)
        let compound: [String: BinaryOp] = [
            "+=": .add, "-=": .sub, "*=": .mul, "/=": .div, "%=": .rem,
            "&=": .bitAnd, "|=": .bitOr, "^=": .bitXor, "<<=": .shl, ">>=": .shr,
        ]
        if let cop = compound[op] {
            let place = try assignablePlace(infix.leftOperand, for: op)
            return CompoundAssignExpr(place: place, op: cop, value: try lowerExpr(infix.rightOperand), range: opRange)
        }
        let lhs = try lowerExpr(infix.leftOperand)
        let rhs = try lowerExpr(infix.rightOperand)
        switch op {
        case "&&": return LogicalExpr(isAnd: true, lhs: lhs, rhs: rhs, range: r)
        case "||": return LogicalExpr(isAnd: false, lhs: lhs, rhs: rhs, range: r)
        case "??": return NilCoalesceExpr(lhs: lhs, rhs: rhs, range: r)
        case "..<": return RangeExpr(lower: lhs, upper: rhs, closed: false, range: r)
        case "...": return RangeExpr(lower: lhs, upper: rhs, closed: true, range: r)
        case "===", "!==": throw unsupported("identity operators", opToken, use: "use == or !=")
        default:
            guard let bop = BinaryOp(rawValue: op) else {
                throw unsupported("the operator '\(op)'", opToken)
            }
            return BinaryExpr(op: bop, lhs: lhs, rhs: rhs, range: opRange)
        }
    }

    func lowerAssignment(_ lhs: ExprSyntax, _ rhs: ExprSyntax, _ r: SourceRange) throws -> Expr {
        if lhs.is(DiscardAssignmentExprSyntax.self) {
            return DiscardExpr(value: try lowerExpr(rhs), range: r)
        }
        if let t = lhs.as(TupleExprSyntax.self), t.elements.count > 1 {
            let places = try t.elements.map { el -> Place? in
                if el.expression.is(DiscardAssignmentExprSyntax.self) { return nil }
                return try assignablePlace(el.expression, for: "=")
            }
            return TupleAssignExpr(places: places, value: try lowerExpr(rhs), range: r)
        }
        let place = try assignablePlace(lhs, for: "=")
        return AssignExpr(place: place, value: try lowerExpr(rhs), range: r)
    }

    func assignablePlace(_ e: ExprSyntax, for op: String) throws -> Place {
        guard let place = try placeFor(e) else {
            throw CellError(.syntaxError, "cannot assign to this expression; the left side of '\(op)' must be a variable",
                            at: range(e))
        }
        if place.isConstant {
            throw CellError(.typeError, "cannot assign to value: '\(place.name)' is a 'let' constant", at: range(e),
                            notes: ["change 'let' to 'var' to make it mutable"])
        }
        return place
    }

    /// The assignable place an expression names, or nil when it names none.
    func placeFor(_ e: ExprSyntax) throws -> Place? {
        let r = range(e)
        if let d = e.as(DeclReferenceExprSyntax.self) {
            let name = d.baseName.text
            if name.hasPrefix("$") || Lowerer.isOperatorName(name) { return nil }
            guard let res = resolve(name) else { throw unknownName(name, d) }
            switch res {
            case .local(let depth, let info):
                return Place(root: depth == 0 ? .local(info.index) : .outer(depth, info.index), steps: [], name: name,
                             isConstant: info.isConstant, declaredType: info.type, range: r)
            case .global(let slot, let constant, let type):
                return Place(root: .global(slot), steps: [], name: name, isConstant: constant, declaredType: type, range: r)
            case .builtin, .type: return nil
            }
        }
        if let s = e.as(SubscriptCallExprSyntax.self), let base = try placeFor(s.calledExpression) {
            let step = Place.Step.subscripted(try s.arguments.map { try lowerExpr($0.expression) },
                                              labels: s.arguments.map { $0.label?.text }, range(s))
            return Place(root: base.root, steps: base.steps + [step], name: base.name, isConstant: base.isConstant,
                         declaredType: nil, range: r)
        }
        if let m = e.as(MemberAccessExprSyntax.self), let b = m.base, let base = try placeFor(b) {
            return Place(root: base.root, steps: base.steps + [.member(m.declName.baseName.text, range(m.declName))],
                         name: base.name, isConstant: base.isConstant, declaredType: nil, range: r)
        }
        if let t = e.as(TupleExprSyntax.self), t.elements.count == 1, let only = t.elements.first, only.label == nil {
            return try placeFor(only.expression)
        }
        return nil
    }

    // MARK: Members and calls

    func lowerMemberAccess(_ m: MemberAccessExprSyntax) throws -> Expr {
        let name = m.declName.baseName.text
        if m.declName.argumentNames != nil { throw unsupported("method references with argument labels", m) }
        guard let base = m.base else { return SymbolExpr(name: name, range: range(m)) }
        let lowered = MemberExpr(base: try lowerExpr(base), name: name, range: range(m.declName))
        return try wrapChain(ExprSyntax(m), lowered)
    }

    func lowerCall(_ call: FunctionCallExprSyntax) throws -> Expr {
        let r = range(call)
        var argSyntax = call.arguments.map { ($0.label?.text, $0.expression) }
        if let tc = call.trailingClosure { argSyntax.append(("$trailing", ExprSyntax(tc))) }
        for extra in call.additionalTrailingClosures {
            argSyntax.append((extra.label.text, ExprSyntax(extra.closure)))
        }
        let args = try argSyntax.map { try lowerExpr($0.1) }
        let labels = argSyntax.map(\.0)
        let callee = call.calledExpression

        if let d = callee.as(DeclReferenceExprSyntax.self), d.argumentNames == nil, !d.baseName.text.hasPrefix("$") {
            let name = d.baseName.text
            switch resolve(name) {
            case .builtin(let fn)?:
                return BuiltinCallExpr(function: fn, args: args, labels: labels, range: r)
            case .type(let t)?:
                if let fn = builtinFunction(t) { return BuiltinCallExpr(function: fn, args: args, labels: labels, range: r) }
                throw CellError(.typeError, "'\(t)' cannot be constructed here", at: range(d))
            case nil:
                throw unknownName(name, d)
            default:
                return CallExpr(callee: try lowerName(name, node: d), args: args, labels: labels, range: r)
            }
        }
        if let m = callee.as(MemberAccessExprSyntax.self) {
            let name = m.declName.baseName.text
            guard let base = m.base else {
                throw unsupported("calling an implicit member", m, use: "write the full name, e.g. Optimizer.adam(…)")
            }
            let receiver = try lowerExpr(base)
            let place = receiver is LiteralExpr ? nil : try placeFor(base)
            return MethodCallExpr(receiver: receiver, place: place, name: name, args: args, labels: labels,
                                  nameRange: range(m.declName), range: r)
        }
        // `[Int]()` and `[String: Int]()`: empty collections.
        if let a = callee.as(ArrayExprSyntax.self), a.elements.count == 1, args.isEmpty {
            return ArrayLiteralExpr(elements: [], range: r)
        }
        if callee.is(DictionaryExprSyntax.self), args.isEmpty {
            return DictionaryLiteralExpr(pairs: [], range: r)
        }
        if let g = callee.as(GenericSpecializationExprSyntax.self),
           let d = g.expression.as(DeclReferenceExprSyntax.self), args.isEmpty {
            if d.baseName.text == "Array" { return ArrayLiteralExpr(elements: [], range: r) }
            if d.baseName.text == "Dictionary" { return DictionaryLiteralExpr(pairs: [], range: r) }
        }
        return CallExpr(callee: try lowerExpr(callee), args: args, labels: labels, range: r)
    }

    // MARK: Closures

    func lowerClosure(_ c: ClosureExprSyntax) throws -> Expr {
        let r = range(c)
        var params: [Parameter] = []
        var types: [TypeRef?] = []
        var returnType: TypeRef?
        if let sig = c.signature {
            if let cap = sig.capture { throw unsupported("capture lists", cap) }
            if let e = sig.effectSpecifiers, e.asyncSpecifier != nil || e.throwsClause != nil {
                throw unsupported("async or throwing closures", e)
            }
            returnType = try sig.returnClause.map { try lowerType($0.type) }
            switch sig.parameterClause {
            case .simpleInput(let list)?:
                for p in list {
                    params.append(Parameter(label: nil, name: p.name.text, type: "Any", defaultText: nil, isVariadic: false))
                    types.append(nil)
                }
            case .parameterClause(let clause)?:
                for p in clause.parameters {
                    let name = p.secondName?.text ?? p.firstName.text
                    params.append(Parameter(label: nil, name: name, type: p.type?.trimmedDescription ?? "Any",
                                            defaultText: nil, isVariadic: false))
                    types.append(try p.type.map { try lowerType($0) })
                }
            case nil: break
            }
        }
        let outer = scope
        outer.hasInnerFunctions = true
        scope = FunctionScope(parent: outer, isTopLevel: false, returnType: returnType, name: "closure")
        defer { scope = outer }
        var slots: [Int] = []
        if c.signature?.parameterClause == nil {
            let n = ShorthandCounter.count(in: c.statements)
            for i in 0..<n {
                slots.append(scope.newSlot())
                params.append(Parameter(label: nil, name: "$\(i)", type: "Any", defaultText: nil, isVariadic: false))
                types.append(nil)
            }
            scope.shorthandSlots = slots
        } else {
            slots = params.map { scope.declare($0.name, constant: true, type: nil) }
        }
        let decl = FunctionDecl(name: "closure", parameters: params, parameterTypes: types,
                                defaults: Array(repeating: nil, count: params.count), parameterSlots: slots,
                                returnType: returnType, isClosure: true, range: r)
        let items = Array(c.statements)
        if items.count == 1, case .expr(let e) = items[0].item, !e.is(IfExprSyntax.self), !e.is(SwitchExprSyntax.self) {
            decl.implicitResult = try lowerExpr(e)
        } else {
            decl.body = try lowerBlock(c.statements)
        }
        decl.frameSize = scope.slotCount
        decl.capturesItsFrame = scope.hasInnerFunctions
        return ClosureExpr(decl: decl, range: r)
    }

    /// `let x = if c { 1 } else { 2 }`: each branch must be a single expression.
    func lowerIfExpression(_ ifx: IfExprSyntax) throws -> Expr {
        func single(_ block: CodeBlockSyntax) throws -> Expr {
            guard block.statements.count == 1, case .expr(let e)? = block.statements.first?.item else {
                throw unsupported("'if' expressions with several statements per branch", block,
                                  use: "use an 'if' statement that assigns a variable")
            }
            return try lowerExpr(e)
        }
        guard ifx.conditions.count == 1, case .expression(let cond)? = ifx.conditions.first?.condition else {
            throw unsupported("'if let' as an expression", ifx)
        }
        let otherwise: Expr
        switch ifx.elseBody {
        case .ifExpr(let nested)?: otherwise = try lowerIfExpression(nested)
        case .codeBlock(let b)?: otherwise = try single(b)
        case nil: throw CellError(.syntaxError, "'if' must have an unconditional 'else' to be used as an expression",
                                  at: range(ifx))
        }
        return TernaryExpr(condition: try lowerExpr(cond), then: try single(ifx.body), otherwise: otherwise,
                           range: range(ifx))
    }
}

extension Lowerer {
    static func isOperatorName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first else { return false }
        return "+-*/%<>=!&|^~".unicodeScalars.contains(first)
    }
}

/// An operator used as a function value: `xs.reduce(0, +)`, `sorted(by: >)`.
final class OperatorFunction: Callable {
    let op: BinaryOp
    init(op: BinaryOp) {
        self.op = op
        super.init(name: op.rawValue)
    }
    override var typeDescription: String { "(Any, Any) -> Any" }
    override func invoke(_ args: [Value], _ rt: Runtime) throws -> Value {
        guard args.count == 2 else {
            throw CellError.type("operator '\(op.rawValue)' takes 2 arguments but was called with \(args.count)")
        }
        return try Arithmetic.apply(op, args[0], args[1], promoteLeft: true, promoteRight: true, at: .unknown)
    }
    override func call(_ args: [Value], labels: [String?], literals: [Bool], ranges: [SourceRange],
                       callRange: SourceRange, _ rt: Runtime) throws -> Value {
        do { return try invoke(args, rt) } catch let e as CellError { throw e.located(callRange) }
    }
}

/// Counts the `$n` parameters a closure body uses (not those of nested closures).
final class ShorthandCounter: SyntaxVisitor {
    var highest = -1

    static func count(in statements: CodeBlockItemListSyntax) -> Int {
        let v = ShorthandCounter(viewMode: .sourceAccurate)
        v.walk(statements)
        return v.highest + 1
    }

    override func visit(_ node: ClosureExprSyntax) -> SyntaxVisitorContinueKind { .skipChildren }

    override func visit(_ node: DeclReferenceExprSyntax) -> SyntaxVisitorContinueKind {
        let t = node.baseName.text
        if t.hasPrefix("$"), let n = Int(t.dropFirst()), n < 64 { highest = max(highest, n) }
        return .visitChildren
    }
}

/// `_ = value`.
final class DiscardExpr: Expr {
    let value: Expr
    let range: SourceRange
    init(value: Expr, range: SourceRange) {
        self.value = value
        self.range = range
    }
    func eval(_ rt: Runtime, _ f: Frame) throws -> Value {
        _ = try value.eval(rt, f)
        return .void
    }
}

/// `(a, b) = (b, a)`.
final class TupleAssignExpr: Expr {
    let places: [Place?]
    let value: Expr
    let range: SourceRange
    init(places: [Place?], value: Expr, range: SourceRange) {
        self.places = places
        self.value = value
        self.range = range
    }
    func eval(_ rt: Runtime, _ f: Frame) throws -> Value {
        let v = try value.eval(rt, f)
        guard case .tuple(let t) = v, t.elements.count == places.count else {
            throw CellError.type("cannot assign a value of type '\(v.typeName)' to a tuple of \(places.count) elements",
                                 at: value.range)
        }
        for (place, new) in zip(places, t.elements) {
            guard let place else { continue }
            try place.modify(rt, f) { old in
                guard let c = Place.fit(new, replacing: old, literal: false) else {
                    throw CellError.type("cannot assign value of type '\(new.typeName)' to type '\(old.typeName)'",
                                         at: self.range)
                }
                old = c
            }
        }
        return .void
    }
}

/// `&rng`: only objects (random generators) can be passed this way; they
/// are references, so the callee's changes are seen by the caller.
final class InOutArgumentExpr: Expr {
    let operand: Expr
    let range: SourceRange
    init(operand: Expr, range: SourceRange) {
        self.operand = operand
        self.range = range
    }
    func eval(_ rt: Runtime, _ f: Frame) throws -> Value {
        let v = try operand.eval(rt, f)
        if case .object = v { return v }
        throw CellError(.unsupported, "inout arguments (&) are supported only for random generators; return the new value instead",
                        at: range)
    }
}
