import SwiftSyntax

extension Lowerer {
    /// The enum `subject` holds, when the lowerer knows it: `self` in an
    /// enum's own members, a variable annotated or made with the enum's type.
    private func knownEnum(_ subject: ExprSyntax) -> UserType? {
        guard let d = subject.as(DeclReferenceExprSyntax.self) else { return nil }
        if d.baseName.text == "self" {
            guard let ctx = typeContext, !ctx.isStatic, ctx.type.kind == .enumeration else { return nil }
            return ctx.type
        }
        guard let u = knownType(d.baseName.text), u.kind == .enumeration else { return nil }
        return u
    }

    /// The case a pattern names, `.fish` in `case .fish`, `case let .fish(n)`
    /// or `case Catch.fish(let n)`, with where it is written.
    private func namedCase(_ p: PatternSyntax, of type: UserType) -> (String, SourceRange)? {
        var p = p
        if let vb = p.as(ValueBindingPatternSyntax.self) { p = vb.pattern }
        guard var x = p.as(ExpressionPatternSyntax.self)?.expression else { return nil }
        if let call = x.as(FunctionCallExprSyntax.self) { x = call.calledExpression }
        guard let m = x.as(MemberAccessExprSyntax.self) else { return nil }
        if let base = m.base, text(of: base) != type.name { return nil }
        return (m.declName.baseName.text, range(m))
    }

    /// `case .fsh` in a `switch` or `if case` over a value whose enum is
    /// known: Swift refuses a case the enum does not have before anything
    /// runs, and so does Shoal. Inside the enum's own members the check waits
    /// until all its cases are declared (`checkCaseNames(of:)`).
    func checkCaseNames(_ patterns: [PatternSyntax], subject: ExprSyntax) throws {
        try checkCaseNames(patterns, in: knownEnum(subject))
    }

    /// `checkCaseNames` when the enum is known otherwise (`for case .x in catches`).
    func checkCaseNames(_ patterns: [PatternSyntax], in type: UserType?) throws {
        guard let type, type.kind == .enumeration else { return }
        for p in patterns {
            // `.some` and `.none` match an optional holding the enum (the lowerer may not know it is one).
            guard let (name, at) = namedCase(p, of: type), name != "some", name != "none" else { continue }
            if let ctx = typeContext, ctx.type === type {
                pendingCaseNames.append((type, name, at))
            } else if type.caseIndex[name] == nil {
                throw UserTypeRefs.unknownCase(name, of: type, at: at)
            }
        }
    }

    /// The case names used inside `type`'s own members, once its cases are all declared.
    func checkCaseNames(of type: UserType) throws {
        let mine = pendingCaseNames.filter { $0.type === type }
        pendingCaseNames.removeAll { $0.type === type }
        for (_, name, at) in mine where type.caseIndex[name] == nil {
            throw UserTypeRefs.unknownCase(name, of: type, at: at)
        }
    }

    // MARK: Patterns

    /// `.measured(let length, let weight)` or `Shape.circle(let r)` in a case pattern.
    func lowerCasePattern(_ e: ExprSyntax, binding: Bool) throws -> Pattern? {
        guard let call = e.as(FunctionCallExprSyntax.self), let m = call.calledExpression.as(MemberAccessExprSyntax.self) else {
            return nil
        }
        if let base = m.base {
            guard let d = base.as(DeclReferenceExprSyntax.self), globals.userTypes.types[d.baseName.text] != nil else { return nil }
        }
        let subpatterns = try call.arguments.map { arg -> Pattern in
            let x = arg.expression
            if x.is(DiscardAssignmentExprSyntax.self) { return .wildcard }
            if let pe = x.as(PatternExprSyntax.self) { return try lowerPattern(pe.pattern) }
            if binding, let d = x.as(DeclReferenceExprSyntax.self) {
                return .bind(.local(scope.declare(d.baseName.text, constant: true, type: nil)))
            }
            if let inner = try lowerCasePattern(x, binding: binding) { return inner }
            if let t = x.as(TupleExprSyntax.self), t.elements.count > 1, binding {
                return .tuple(try t.elements.map { el in
                    if let d = el.expression.as(DeclReferenceExprSyntax.self) {
                        return .bind(.local(scope.declare(d.baseName.text, constant: true, type: nil)))
                    }
                    return .expr(try lowerExpr(el.expression))
                })
            }
            return .expr(try lowerExpr(x))
        }
        return .enumCase(m.declName.baseName.text, subpatterns)
    }

    /// The enum case a case item covers whole (no `where`, every associated value bound), if any.
    private func coveredCase(_ p: PatternSyntax) -> (type: String?, name: String)? {
        var p = p
        if let vb = p.as(ValueBindingPatternSyntax.self) { p = vb.pattern }
        guard let e = p.as(ExpressionPatternSyntax.self) else { return nil }
        var x = e.expression
        if let call = x.as(FunctionCallExprSyntax.self) {
            for arg in call.arguments {
                let a = arg.expression
                let whole = a.is(DiscardAssignmentExprSyntax.self) || a.is(DeclReferenceExprSyntax.self)
                    || (a.as(PatternExprSyntax.self).map { pe in
                        let inner = pe.pattern.as(ValueBindingPatternSyntax.self)?.pattern ?? pe.pattern
                        return inner.is(IdentifierPatternSyntax.self) || inner.is(WildcardPatternSyntax.self)
                    } ?? false)
                if !whole { return nil }
            }
            x = call.calledExpression
        }
        guard let m = x.as(MemberAccessExprSyntax.self) else { return nil }
        return (m.base.map { text(of: $0) }, m.declName.baseName.text)
    }

    /// For a switch without `default`: true when its cases cover every case
    /// of the enum they name; an error naming the missing cases when they do
    /// not; false when the switch is not over an enum.
    func enumSwitchIsExhaustive(_ sw: SwitchExprSyntax) throws -> Bool {
        var covered = Set<String>()
        var named: [String] = []
        var typeName: String?
        for element in sw.cases {
            guard case .switchCase(let c) = element, case .case(let l) = c.label else { continue }
            for item in l.caseItems {
                var p = item.pattern
                if let vb = p.as(ValueBindingPatternSyntax.self) { p = vb.pattern }
                if let e = p.as(ExpressionPatternSyntax.self) {
                    var x = e.expression
                    if let call = x.as(FunctionCallExprSyntax.self) { x = call.calledExpression }
                    if let m = x.as(MemberAccessExprSyntax.self) {
                        named.append(m.declName.baseName.text)
                        if let b = m.base { typeName = text(of: b) }
                    }
                }
                if item.whereClause == nil, let (t, n) = coveredCase(item.pattern) {
                    covered.insert(n)
                    if let t { typeName = t }
                }
            }
        }
        guard !named.isEmpty else { return false }
        if covered.isSuperset(of: ["some", "none"]) { return true }  // an optional, matched whole
        let candidates: [UserType]
        if let typeName, let t = globals.userTypes.types[typeName], t.kind == .enumeration {
            candidates = [t]
        } else {
            candidates = globals.userTypes.types.values.filter { t in
                t.kind == .enumeration && named.allSatisfy { t.caseIndex[$0] != nil }
            }.sorted { $0.name < $1.name }
        }
        guard let first = candidates.first else { return false }
        if candidates.contains(where: { t in t.cases.allSatisfy { covered.contains($0.name) } }) { return true }
        let missing = first.cases.map(\.name).filter { !covered.contains($0) }
        let list = missing.map { "'.\($0)'" }.joined(separator: ", ")
        throw CellError(.syntaxError, "switch must be exhaustive; missing case\(missing.count == 1 ? "" : "s") \(list) of '\(first.name)'",
                        at: range(sw.switchKeyword), notes: ["add the missing case\(missing.count == 1 ? "" : "s"), or a 'default:' case"])
    }
}
