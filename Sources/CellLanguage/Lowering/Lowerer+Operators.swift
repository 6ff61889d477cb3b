import SwiftSyntax

extension Lowerer {
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
            if place.steps.isEmpty, let name = infix.leftOperand.as(DeclReferenceExprSyntax.self)?.baseName.text,
               let res = resolve(name), let error = readBeforeAssignment(name, res, at: range(infix.leftOperand)) {
                throw error
            }
            var value = try lowerExpr(infix.rightOperand)
            if cop == .add { value = try elementsValue(value, into: infix.leftOperand) }
            return CompoundAssignExpr(place: place, op: cop, value: value, range: opRange)
        }
        var lhs = try lowerExpr(infix.leftOperand)
        var rhs = try lowerExpr(infix.rightOperand)
        if op == "+" {
            // `xs + [3]`: the literal's Ints are Doubles when xs holds Doubles.
            rhs = try elementsValue(rhs, into: infix.leftOperand, lowered: lhs)
            lhs = try elementsValue(lhs, into: infix.rightOperand, lowered: rhs)
        }
        switch op {
        case "&&": return LogicalExpr(isAnd: true, lhs: lhs, rhs: rhs, range: r)
        case "||": return LogicalExpr(isAnd: false, lhs: lhs, rhs: rhs, range: r)
        case "??": return NilCoalesceExpr(lhs: lhs, rhs: rhs, range: r)
        case "..<": return RangeExpr(lower: lhs, upper: rhs, closed: false, range: r)
        case "...": return RangeExpr(lower: lhs, upper: rhs, closed: true, range: r)
        case "===", "!==": return IdentityExpr(lhs: lhs, rhs: rhs, negated: op == "!==", range: r)
        default:
            guard let bop = BinaryOp(rawValue: op) else {
                throw unsupported("the operator '\(op)'", opToken)
            }
            if bop.meetsDoubles {
                // Swift types integer literals by what they meet: in `0.5 + 1 / 2`
                // and `x * (1 / 3)` (x a Double) the division is of Doubles.
                // Only literal arithmetic changes, so the names are looked up only beside it.
                if let d = Self.asDoubleLiterals(rhs), Self.isDoubleValued(lhs) || Self.isDouble(declaredType(of: infix.leftOperand)) {
                    rhs = d
                }
                if let d = Self.asDoubleLiterals(lhs), Self.isDoubleValued(rhs) || Self.isDouble(declaredType(of: infix.rightOperand)) {
                    lhs = d
                }
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
            let value = try lowerExpr(rhs)
            for place in places.compactMap({ $0 }) { noteAssigned(place) }
            return TupleAssignExpr(places: places, value: value, range: r)
        }
        let place = try assignablePlace(lhs, for: "=")
        var value = try lowerExpr(rhs)
        if let s = lhs.as(SubscriptCallExprSyntax.self) {
            value = try elementValue(value, into: s.calledExpression)
            value = try checkedSubscriptElement(value, into: s.calledExpression)
        }
        noteAssigned(place)
        return AssignExpr(place: place, value: value, range: r)
    }

    func assignablePlace(_ e: ExprSyntax, for op: String) throws -> Place {
        guard let place = try placeFor(e) else {
            throw CellError(.syntaxError, "cannot assign to this expression; the left side of '\(op)' must be a variable",
                            at: range(e))
        }
        if place.isConstant, case .member? = place.steps.first {
            // Allowed on a class instance (a reference); checked when it runs.
            place.checksConstantRoot = true
        } else if place.isConstant, case .subscripted? = place.steps.first,
                  globals.userTypes.types.values.contains(where: { $0.isClass && !$0.subscripts.isEmpty }) {
            // So is a class's own subscript (`shelf[0] = x` on a 'let' shelf).
            place.checksConstantRoot = true
        } else if place.isConstant, !(op == "=" && assignsDeferredConstant(place)) {
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
            if name.hasPrefix("$"), let n = Int(name.dropFirst()), let (depth, slot) = shorthandSlot(n) {
                // `$0` may change in place, as `reduce(into:)`'s result does.
                return Place(root: depth == 0 ? .local(slot) : .outer(depth, slot), steps: [], name: name, isConstant: false,
                             declaredType: nil, range: r)
            }
            if name.hasPrefix("$") || Lowerer.isOperatorName(name) { return nil }
            if let implicit = try implicitMemberPlace(name, range: r) { return implicit }
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
            let step = Place.Step.subscripted(try subscriptArguments(s),
                                              labels: s.arguments.map { $0.label?.text }, range(s))
            return Place(root: base.root, steps: base.steps + [step], name: base.name, isConstant: base.isConstant,
                         declaredType: base.declaredType, range: r)
        }
        if let m = e.as(MemberAccessExprSyntax.self), let b = m.base, let s = try staticPlace(b, m.declName.baseName.text, range: r) {
            return s
        }
        if let m = e.as(MemberAccessExprSyntax.self), let b = m.base, let base = try placeFor(b) {
            return Place(root: base.root, steps: base.steps + [.member(m.declName.baseName.text, range(m.declName))],
                         name: base.name, isConstant: base.isConstant, declaredType: base.declaredType, range: r)
        }
        if let t = e.as(TupleExprSyntax.self), t.elements.count == 1, let only = t.elements.first, only.label == nil {
            return try placeFor(only.expression)
        }
        // `groups[k]!.append(x)`, `o! += 1`, `tanks["reef"]?.count += 1`: the value inside the optional changes.
        if let u = e.as(ForceUnwrapExprSyntax.self), let base = try placeFor(u.expression) {
            return Place(root: base.root, steps: base.steps + [.unwrap(forced: true, range(u.exclamationMark))], name: base.name,
                         isConstant: base.isConstant, declaredType: base.declaredType, range: r)
        }
        if let o = e.as(OptionalChainingExprSyntax.self), let base = try placeFor(o.expression) {
            return Place(root: base.root, steps: base.steps + [.unwrap(forced: false, range(o.questionMark))], name: base.name,
                         isConstant: base.isConstant, declaredType: base.declaredType, range: r)
        }
        return nil
    }
}

extension BinaryOp {
    /// Arithmetic and comparisons: where an integer literal meeting a Double
    /// is a Double in Swift.
    var meetsDoubles: Bool {
        switch self {
        case .add, .sub, .mul, .div, .eq, .ne, .lt, .le, .gt, .ge: return true
        case .rem, .bitAnd, .bitOr, .bitXor, .shl, .shr: return false
        }
    }
}

extension Lowerer {
    static func isDouble(_ type: TypeRef?) -> Bool {
        if case .named("Double")? = type { return true }
        return false
    }

    /// A Double literal, or arithmetic with one in it (`0.5 * 2`).
    static func isDoubleValued(_ e: Expr) -> Bool {
        if let l = e as? LiteralExpr, case .double = l.value { return true }
        if let n = e as? NegateExpr { return isDoubleValued(n.operand) }
        if let b = e as? BinaryExpr, [.add, .sub, .mul, .div].contains(b.op) {
            return isDoubleValued(b.lhs) || isDoubleValued(b.rhs)
        }
        return false
    }

    /// `e` with its integer literals as Doubles, when `e` is arithmetic on
    /// integer literals alone (`1 / 3`, `(1 + 2) * 4`), as Swift types it
    /// where a Double is expected; nil otherwise (a lone literal is already
    /// turned into a Double where it meets one).
    static func asDoubleLiterals(_ e: Expr) -> Expr? {
        guard e is BinaryExpr || e is NegateExpr, literalArithmetic(e) else { return nil }
        return doubled(e)
    }

    private static func literalArithmetic(_ e: Expr) -> Bool {
        if let l = e as? LiteralExpr {
            switch l.value {
            case .int, .double: return true
            default: return false
            }
        }
        if let n = e as? NegateExpr { return literalArithmetic(n.operand) }
        if let b = e as? BinaryExpr, [.add, .sub, .mul, .div].contains(b.op) {
            return literalArithmetic(b.lhs) && literalArithmetic(b.rhs)
        }
        return false
    }

    private static func doubled(_ e: Expr) -> Expr {
        if let l = e as? LiteralExpr, case .int(let k) = l.value { return LiteralExpr(.double(Double(k)), range: l.range) }
        if let n = e as? NegateExpr { return NegateExpr(operand: doubled(n.operand), range: n.range) }
        if let b = e as? BinaryExpr { return BinaryExpr(op: b.op, lhs: doubled(b.lhs), rhs: doubled(b.rhs), range: b.range) }
        return e
    }
}

