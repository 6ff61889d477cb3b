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
        if let base = m.base, base.trimmedDescription != type.name { return nil }
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
}
