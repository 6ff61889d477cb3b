import SwiftSyntax

extension Lowerer {
    // MARK: Extensions

    func lowerExtension(_ e: ExtensionDeclSyntax) throws -> Stmt? {
        var name = text(of: e.extendedType)
        if let i = e.extendedType.as(IdentifierTypeSyntax.self) { name = i.name.text }
        if e.extendedType.is(ArrayTypeSyntax.self) { name = "Array" }
        if e.extendedType.is(DictionaryTypeSyntax.self) { name = "Dictionary" }
        let type: UserType
        if let t = globals.userTypes.types[name] {
            type = t
        } else if coreTypeNames.contains(name) || registry.types[name] != nil {
            let key = name == "Float" ? "Double" : name
            if let t = globals.userTypes.extensions[key] {
                type = t
            } else {
                type = UserType(name: key, kind: .builtin)
                globals.userTypes.extensions[key] = type
            }
            if name == "Array" { type.generics = ["Element"] }
            if name == "Dictionary" { type.generics = ["Key", "Value"] }
        } else {
            var message = "cannot find type '\(name)' in scope"
            if let close = Suggestions.closest(to: name, in: Array(globals.userTypes.types.keys) + Array(coreTypeNames)) {
                message += "; did you mean '\(close)'?"
            }
            throw CellError(.nameError, message, at: range(e.extendedType))
        }
        let inherited = e.inheritanceClause?.inheritedTypes.map { text(of: $0.type) } ?? []
        try applyInheritance(type, inherited, node: e)
        let statics = try lowerMembers(e.memberBlock.members, into: type, inExtension: true)
        try checkDelegations(of: type)
        try checkConformances(type, node: e)
        globals.userTypes.mutatingNames.formUnion(type.mutatingNames)
        return TypeDeclStmt(type: type, statics: statics, range: range(e))
    }

    // MARK: Types in annotations

    /// A user type, a generic parameter or `any P` in an annotation; nil for builtin types.
    func lowerUserType(_ t: TypeSyntax) throws -> TypeRef? {
        if let i = t.as(IdentifierTypeSyntax.self) {
            let name = i.name.text
            if genericNames.contains(name) { return .any }
            if name == "Self", let ctx = typeContext { return .user(ctx.type) }
            if let q = nestedTypeName(name), let u = globals.userTypes.types[q] { return .user(u) }
            if let u = globals.userTypes.types[name] { return .user(u) }
            return nil
        }
        if let s = t.as(SomeOrAnyTypeSyntax.self) {
            if let u = try lowerUserType(s.constraint) { return u }
            return .any
        }
        if let m = t.as(MemberTypeSyntax.self), let b = m.baseType.as(IdentifierTypeSyntax.self),
           genericNames.contains(b.name.text) || b.name.text == "Self" {
            return .any
        }
        if t.is(CompositionTypeSyntax.self) { return .any }
        if let m = t.as(MemberTypeSyntax.self), let u = try nestedType(m) { return .user(u) }
        return nil
    }

    // MARK: Names inside members

    /// Whether `name` is a local declared inside the current member (its
    /// parameters and variables shadow the type's members).
    private func isMemberLocal(_ name: String, _ ctx: TypeContext) -> Bool {
        var s: FunctionScope? = scope
        while let sc = s, sc !== ctx.selfScope {
            for block in sc.blocks where block[name] != nil { return true }
            s = sc.parent
        }
        return false
    }

    /// The expression for `self` in the current member.
    func selfExpr(range r: SourceRange) throws -> Expr {
        guard let res = resolve("self"), case .local(let depth, let info) = res else {
            throw CellError(.nameError, "cannot find 'self' in scope", at: r)
        }
        return depth == 0 ? LocalGet(index: info.index, range: r) as Expr : OuterGet(depth: depth, index: info.index, range: r)
    }

    /// `length` inside a method of a type with a `length` member: `self.length`.
    func implicitMember(_ name: String, range r: SourceRange) throws -> Expr? {
        if name == "Self", let ctx = typeContext { return LiteralExpr(.type(ctx.type.name), range: r) }
        guard let ctx = typeContext, ctx.memberNames.contains(name), !isMemberLocal(name, ctx) else { return nil }
        return MemberExpr(base: try selfExpr(range: r), name: name, range: r)
    }

    func implicitMemberPlace(_ name: String, range r: SourceRange) throws -> Place? {
        guard let ctx = typeContext, ctx.memberNames.contains(name), !isMemberLocal(name, ctx) else { return nil }
        if ctx.isStatic, let slot = ctx.type.findStatic(name) {
            return Place(root: .global(slot), steps: [], name: name, isConstant: false, declaredType: nil, range: r)
        }
        guard let base = selfPlace(range: r) else { return nil }
        return Place(root: base.root, steps: [.member(name, r)], name: "self", isConstant: base.isConstant,
                     declaredType: nil, range: r)
    }

    func selfPlace(range r: SourceRange) -> Place? {
        guard let res = resolve("self"), case .local(let depth, let info) = res else { return nil }
        return Place(root: depth == 0 ? .local(info.index) : .outer(depth, info.index), steps: [], name: "self",
                     isConstant: info.isConstant, declaredType: nil, range: r)
    }

    /// `grow(by: 2)` inside a method: `self.grow(by: 2)`.
    func implicitMemberCall(_ name: String, args: [Expr], labels: [String?], node: DeclReferenceExprSyntax,
                            range r: SourceRange) throws -> Expr? {
        guard let ctx = typeContext, ctx.memberNames.contains(name), !isMemberLocal(name, ctx) else { return nil }
        let receiver = try selfExpr(range: range(node))
        return MethodCallExpr(receiver: receiver, place: selfPlace(range: range(node)), name: name, args: args,
                              labels: labels, nameRange: range(node), range: r)
    }

    /// `Counter.total` as an assignable place (a static stored property).
    func staticPlace(_ base: ExprSyntax, _ name: String, range r: SourceRange) throws -> Place? {
        guard let d = base.as(DeclReferenceExprSyntax.self) else { return nil }
        let typeName = d.baseName.text == "Self" ? typeContext?.type.name : d.baseName.text
        guard let typeName, case .type? = resolve(typeName) ?? (d.baseName.text == "Self" ? .type(typeName) : nil),
              let t = globals.userTypes.types[typeName] ?? globals.userTypes.extensions[typeName],
              let slot = t.findStatic(name) else { return nil }
        return Place(root: .global(slot), steps: [], name: "\(typeName).\(name)", isConstant: false, declaredType: nil, range: r)
    }

    /// `super.name` or `super.name(args)` inside a class member.
    func lowerSuperMember(_ m: MemberAccessExprSyntax, call: ([Expr], [String?], SourceRange)?) throws -> Expr? {
        guard let b = m.base?.as(SuperExprSyntax.self) else { return nil }
        guard let ctx = typeContext, ctx.type.isClass else {
            throw CellError(.syntaxError, "'super' cannot be used outside of a class's members", at: range(b))
        }
        let name = m.declName.baseName.text
        return SuperMemberExpr(declaringType: ctx.type, selfExpr: try selfExpr(range: range(b)), name: name,
                               args: call?.0, labels: call?.1 ?? [], range: call?.2 ?? range(m))
    }
}
