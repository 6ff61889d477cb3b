import SwiftSyntax

/// Types declared inside other types (`struct Tank { enum Kind { … } }`) are
/// notebook types named by their path, `Tank.Kind`. Inside `Tank` (and
/// `Tank.Kind`) the simple name `Kind` means it.
extension Lowerer {
    /// The struct, enum and class declarations directly inside `d`.
    func nestedTypeDecls(_ d: DeclSyntax) -> [DeclSyntax] {
        let members: MemberBlockItemListSyntax
        if let s = d.as(StructDeclSyntax.self) {
            members = s.memberBlock.members
        } else if let e = d.as(EnumDeclSyntax.self) {
            members = e.memberBlock.members
        } else if let c = d.as(ClassDeclSyntax.self) {
            members = c.memberBlock.members
        } else {
            return []
        }
        return members.map(\.decl).filter { $0.is(StructDeclSyntax.self) || $0.is(EnumDeclSyntax.self) || $0.is(ClassDeclSyntax.self) }
    }

    /// `name` as a type nested in a type being declared (innermost first) or
    /// in the type whose member is being lowered.
    func nestedTypeName(_ name: String) -> String? {
        guard !typeNameScopes.isEmpty || typeContext != nil else { return nil }
        var outer = typeNameScopes
        if let ctx = typeContext, outer.last != ctx.type.name { outer.append(ctx.type.name) }
        for prefix in outer.reversed() {
            var path = prefix
            while true {
                if globals.userTypes.types[path + "." + name] != nil { return path + "." + name }
                guard let dot = path.lastIndex(of: ".") else { break }
                path = String(path[..<dot])
            }
        }
        return nil
    }

    /// `Tank.Kind` written as an expression: the nested type's path, or nil.
    func nestedTypePath(_ e: ExprSyntax) -> String? {
        guard let m = e.as(MemberAccessExprSyntax.self), let base = m.base, m.declName.argumentNames == nil else { return nil }
        let prefix: String
        if let d = base.as(DeclReferenceExprSyntax.self), case .type(let t)? = resolve(d.baseName.text) {
            prefix = t
        } else if let p = nestedTypePath(base) {
            prefix = p
        } else {
            return nil
        }
        let path = prefix + "." + m.declName.baseName.text
        return globals.userTypes.types[path] != nil ? path : nil
    }

    /// `Tank.Kind` written as a type.
    func nestedType(_ m: MemberTypeSyntax) throws -> UserType? {
        let base: String
        if let i = m.baseType.as(IdentifierTypeSyntax.self) {
            base = nestedTypeName(i.name.text) ?? i.name.text
        } else if let inner = m.baseType.as(MemberTypeSyntax.self), let t = try nestedType(inner) {
            base = t.name
        } else {
            return nil
        }
        return globals.userTypes.types[base + "." + m.name.text]
    }
}
