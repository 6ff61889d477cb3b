import SwiftSyntax

/// The type whose member the lowerer is in: `self` lives in `selfScope`
/// (slot 0), and names of the type's members stand for `self.name`.
final class TypeContext {
    let type: UserType
    let isStatic: Bool
    let selfScope: FunctionScope
    let selfIsMutable: Bool
    /// Member names known while the type's body is lowered.
    let memberNames: Set<String>

    init(type: UserType, isStatic: Bool, selfScope: FunctionScope, selfIsMutable: Bool, memberNames: Set<String>) {
        self.type = type
        self.isStatic = isStatic
        self.selfScope = selfScope
        self.selfIsMutable = selfIsMutable
        self.memberNames = memberNames
    }
}

extension Lowerer {
    // MARK: Registering

    /// Registers the types a block declares before any statement is lowered,
    /// so that they may be used before their declaration and refer to each other.
    func declareTypes(_ items: [CodeBlockItemSyntax]) throws {
        try declareTypes(items.compactMap { if case .decl(let d) = $0.item { d } else { nil } }, prefix: "")
    }

    /// `prefix` names the enclosing types of nested ones (`Tank.`).
    func declareTypes(_ decls: [DeclSyntax], prefix: String) throws {
        for d in decls {
            let named: (String, UserType.Kind)?
            if let s = d.as(StructDeclSyntax.self) {
                named = (s.name.text, .structure)
            } else if let e = d.as(EnumDeclSyntax.self) {
                named = (e.name.text, .enumeration)
            } else if let c = d.as(ClassDeclSyntax.self) {
                named = (c.name.text, .classType)
            } else if let p = d.as(ProtocolDeclSyntax.self) {
                named = (p.name.text, .protocolType)
            } else {
                named = nil
            }
            guard let (simpleName, kind) = named else { continue }
            let name = prefix + simpleName
            // `@propertyWrapper struct`, `@resultBuilder struct`, `@MainActor class`: named, not run.
            if let attribute = d.asProtocol(WithAttributesSyntax.self)?.attributes.first {
                throw unsupportedAttribute(attribute, onVariable: false)
            }
            if coreTypeNames.contains(name) {
                throw CellError(.syntaxError, "'\(name)' is a builtin type; give your \(kind.word) another name", at: range(d))
            }
            let t = UserType(name: name, kind: kind)
            if let e = d.as(EnumDeclSyntax.self) {
                for member in e.memberBlock.members {
                    guard let c = member.decl.as(EnumCaseDeclSyntax.self) else { continue }
                    for el in c.elements { t.caseIndex[el.name.text] = t.caseIndex.count }
                }
            }
            typeShells[d.id] = t
            globals.userTypes.types[name] = t
            try declareTypes(nestedTypeDecls(d), prefix: name + ".")
        }
    }

    /// A `struct`, `enum`, `class`, `protocol` or `extension` declaration; nil for other declarations.
    func lowerTypeDecl(_ d: DeclSyntax) throws -> Stmt? {
        let kinds: [SyntaxKind] = [.structDecl, .enumDecl, .classDecl, .protocolDecl, .extensionDecl]
        guard kinds.contains(d.kind) else { return nil }
        guard scope.declaresGlobals, typeContext == nil else {
            let what = d.kind == .extensionDecl ? "extensions" : "types"
            throw unsupported("\(what) declared inside functions, blocks or other types", d,
                              use: "declare them at the top level of a cell", plural: true)
        }
        if let e = d.as(ExtensionDeclSyntax.self) { return try lowerExtension(e) }
        if typeShells[d.id] == nil { try declareTypes([d], prefix: "") }
        guard let type = typeShells[d.id] else { return nil }
        typeNameScopes.append(type.name)
        defer { typeNameScopes.removeLast() }
        type.declaration = text(of: d)
        var inherited: [String] = []
        var members: MemberBlockItemListSyntax
        var modifiers: DeclModifierListSyntax
        var generics: [String] = []
        if let s = d.as(StructDeclSyntax.self) {
            inherited = s.inheritanceClause?.inheritedTypes.map { text(of: $0.type) } ?? []
            members = s.memberBlock.members
            modifiers = s.modifiers
            generics = s.genericParameterClause?.parameters.map(\.name.text) ?? []
        } else if let e = d.as(EnumDeclSyntax.self) {
            inherited = e.inheritanceClause?.inheritedTypes.map { text(of: $0.type) } ?? []
            members = e.memberBlock.members
            modifiers = e.modifiers
            generics = e.genericParameterClause?.parameters.map(\.name.text) ?? []
        } else if let c = d.as(ClassDeclSyntax.self) {
            inherited = c.inheritanceClause?.inheritedTypes.map { text(of: $0.type) } ?? []
            members = c.memberBlock.members
            modifiers = c.modifiers
            generics = c.genericParameterClause?.parameters.map(\.name.text) ?? []
        } else if let p = d.as(ProtocolDeclSyntax.self) {
            inherited = p.inheritanceClause?.inheritedTypes.map { text(of: $0.type) } ?? []
            members = p.memberBlock.members
            modifiers = p.modifiers
        } else {
            return nil
        }
        type.generics = generics
        type.isFinal = modifiers.contains { $0.name.text == "final" }
        type.isIndirect = modifiers.contains { $0.name.text == "indirect" }
        try applyInheritance(type, inherited, node: d)
        let statics = try lowerMembers(members, into: type)
        if let c = d.as(ClassDeclSyntax.self) { try checkClassHasInitializers(type, c) }
        try checkDelegations(of: type)
        try checkCaseNames(of: type)
        if type.kind == .enumeration { try assignRawValues(type, node: d) }
        try checkConformances(type, node: d)
        globals.userTypes.mutatingNames.formUnion(type.mutatingNames)
        let declared = TypeDeclStmt(type: type, statics: statics, range: range(d))
        let nested = try nestedTypeDecls(d).compactMap { try lowerTypeDecl($0) }
        return nested.isEmpty ? declared : BlockStmt(body: nested + [declared])
    }

    /// A class (without a superclass) with a stored property that has no
    /// initial value and no `init` of its own has no initializer, as Swift
    /// says when it is declared (not first when it is constructed).
    func checkClassHasInitializers(_ type: UserType, _ c: ClassDeclSyntax) throws {
        guard type.superclass == nil, type.inits.isEmpty else { return }
        let unset = type.stored.first { p in
            p.initial == nil && p.literal == nil && !(!p.isConstant && p.type?.isOptional == true)
        }
        guard let unset else { return }
        throw CellError.type("class '\(type.name)' has no initializers", at: range(c.name),
                             notes: ["stored property '\(unset.name)' has no initial value: give it one "
                                     + "(var \(unset.name) = …) or write an init(…) that sets it"])
    }

    func applyInheritance(_ type: UserType, _ names: [String], node: some SyntaxProtocol) throws {
        for (k, raw) in names.enumerated() {
            let name = raw.hasPrefix("any ") ? String(raw.dropFirst(4)) : raw
            if let t = globals.userTypes.types[name] {
                switch t.kind {
                case .protocolType:
                    type.conformances.append(name)
                    type.protocols.append(t)
                    globals.userTypes.generation &+= 1
                case .classType where type.kind == .classType && k == 0:
                    if t.isFinal {
                        throw CellError.type("inheritance from a final class '\(name)'", at: range(node))
                    }
                    if t.lineage.contains(where: { $0 === type }) {
                        throw CellError.type("'\(type.name)' inherits from itself", at: range(node),
                                             notes: ["a class cannot be its own superclass, directly or through others"])
                    }
                    type.superclass = t
                    globals.userTypes.generation &+= 1
                    for p in t.stored { type.addStored(p) }
                default:
                    throw CellError.type("\(type.kind.word) '\(type.name)' cannot inherit from \(t.kind.word) '\(name)'",
                                         at: range(node), notes: type.kind == .classType ? [] : ["only classes inherit; structs and enums conform to protocols"])
                }
                continue
            }
            if type.kind == .enumeration, k == 0, ["Int", "String", "Double", "Character"].contains(name) {
                type.rawType = .named(name)
                continue
            }
            type.conformances.append(name)
        }
    }

    /// Names of the members a body declares, for implicit `self`.
    func memberNames(_ members: MemberBlockItemListSyntax, of type: UserType) -> (instance: Set<String>, statics: Set<String>) {
        var instance = Set(type.memberSources.flatMap { $0.stored.map(\.name) + Array($0.computed.keys) + Array($0.methods.keys) })
        var statics = Set(type.memberSources.flatMap { Array($0.staticStored.keys) + Array($0.staticMethods.keys) + Array($0.staticComputed.keys) })
        statics.formUnion(type.caseIndex.keys)
        for m in members {
            let isStatic = Lowerer.isStatic(m.decl)
            var names: [String] = []
            if let v = m.decl.as(VariableDeclSyntax.self) {
                names = v.bindings.compactMap { $0.pattern.as(IdentifierPatternSyntax.self)?.identifier.text }
            } else if let f = m.decl.as(FunctionDeclSyntax.self) {
                names = [f.name.text]
            }
            if isStatic { statics.formUnion(names) } else { instance.formUnion(names) }
        }
        if type.kind == .enumeration { instance.insert("rawValue") }
        if type.kind == .protocolType {
            for p in [type] + type.protocols { instance.formUnion(p.requirements.map(\.name)) }
            for m in members {
                if let v = m.decl.as(VariableDeclSyntax.self) {
                    instance.formUnion(v.bindings.compactMap { $0.pattern.as(IdentifierPatternSyntax.self)?.identifier.text })
                }
            }
        }
        if type.kind == .builtin { instance.formUnion(registry.members[type.name]?.keys.map { $0 } ?? []) }
        return (instance, statics)
    }

    static func isStatic(_ d: DeclSyntax) -> Bool {
        let modifiers: DeclModifierListSyntax?
        if let v = d.as(VariableDeclSyntax.self) {
            modifiers = v.modifiers
        } else if let f = d.as(FunctionDeclSyntax.self) {
            modifiers = f.modifiers
        } else {
            modifiers = nil
        }
        return modifiers?.contains { ["static", "class"].contains($0.name.text) } ?? false
    }

    func checkMemberModifiers(_ modifiers: DeclModifierListSyntax, _ attributes: AttributeListSyntax,
                                      in type: UserType) throws {
        if let a = attributes.first {
            throw unsupported("attributes such as \(text(of: a))", a, use: "property wrappers and macros do not run in Shoal cells",
                              plural: true)
        }
        for m in modifiers {
            switch m.name.text {
            case "private", "fileprivate", "public", "internal", "open", "static", "final", "override", "required",
                 "convenience", "nonmutating", "indirect":
                continue
            case "class" where type.isClass: continue
            case "mutating":
                if type.isClass {
                    throw CellError(.syntaxError, "'mutating' is not valid on methods in classes", at: range(m),
                                    notes: ["a class's methods change its properties without 'mutating'"])
                }
            case "lazy": throw unsupported("lazy properties", m)
            case "weak", "unowned": continue
            default: throw unsupported("the '\(m.name.text)' modifier", m)
            }
        }
    }
}
