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
        type.declaration = d.trimmedDescription
        var inherited: [String] = []
        var members: MemberBlockItemListSyntax
        var modifiers: DeclModifierListSyntax
        var generics: [String] = []
        if let s = d.as(StructDeclSyntax.self) {
            inherited = s.inheritanceClause?.inheritedTypes.map { $0.type.trimmedDescription } ?? []
            members = s.memberBlock.members
            modifiers = s.modifiers
            generics = s.genericParameterClause?.parameters.map(\.name.text) ?? []
        } else if let e = d.as(EnumDeclSyntax.self) {
            inherited = e.inheritanceClause?.inheritedTypes.map { $0.type.trimmedDescription } ?? []
            members = e.memberBlock.members
            modifiers = e.modifiers
            generics = e.genericParameterClause?.parameters.map(\.name.text) ?? []
        } else if let c = d.as(ClassDeclSyntax.self) {
            inherited = c.inheritanceClause?.inheritedTypes.map { $0.type.trimmedDescription } ?? []
            members = c.memberBlock.members
            modifiers = c.modifiers
            generics = c.genericParameterClause?.parameters.map(\.name.text) ?? []
        } else if let p = d.as(ProtocolDeclSyntax.self) {
            inherited = p.inheritanceClause?.inheritedTypes.map { $0.type.trimmedDescription } ?? []
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
        try checkDelegations(of: type)
        try checkCaseNames(of: type)
        if type.kind == .enumeration { try assignRawValues(type, node: d) }
        try checkConformances(type, node: d)
        globals.userTypes.mutatingNames.formUnion(type.mutatingNames)
        let declared = TypeDeclStmt(type: type, statics: statics, range: range(d))
        let nested = try nestedTypeDecls(d).compactMap { try lowerTypeDecl($0) }
        return nested.isEmpty ? declared : BlockStmt(body: nested + [declared])
    }

    private func applyInheritance(_ type: UserType, _ names: [String], node: some SyntaxProtocol) throws {
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
    private func memberNames(_ members: MemberBlockItemListSyntax, of type: UserType) -> (instance: Set<String>, statics: Set<String>) {
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

    private func checkMemberModifiers(_ modifiers: DeclModifierListSyntax, _ attributes: AttributeListSyntax,
                                      in type: UserType) throws {
        if let a = attributes.first {
            throw unsupported("attributes such as \(a.trimmedDescription)", a, use: "property wrappers and macros do not run in Shoal cells",
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

    /// Lowers the members of a type or extension body into `type`; returns its static stored properties.
    @discardableResult
    func lowerMembers(_ members: MemberBlockItemListSyntax, into type: UserType,
                      inExtension: Bool = false) throws -> [(GlobalSlot, FunctionDecl?, TypeRef?)] {
        let names = memberNames(members, of: type)
        throwingMethodNames[ObjectIdentifier(type), default: []].formUnion(Self.throwingMethods(members))
        var statics: [(GlobalSlot, FunctionDecl?, TypeRef?)] = []
        let genericCount = genericNames.count
        genericNames += type.generics
        defer { genericNames.removeLast(genericNames.count - genericCount) }
        for member in members {
            let d = member.decl
            if let c = d.as(EnumCaseDeclSyntax.self) {
                guard type.kind == .enumeration else {
                    throw CellError(.syntaxError, "enum 'case' is not allowed outside of an enum", at: range(c))
                }
                for el in c.elements {
                    if type.cases.contains(where: { $0.name == el.name.text }) {
                        throw CellError(.syntaxError, "invalid redeclaration of case '\(el.name.text)'", at: range(el.name))
                    }
                    var labels: [String?]?
                    var types: [TypeRef?] = []
                    if let params = el.parameterClause?.parameters {
                        labels = params.map { $0.firstName?.text }
                        types = try params.map { try lowerType($0.type) }
                    }
                    var raw: Value?
                    if let rv = el.rawValue {
                        guard let lit = try lowerExpr(rv.value) as? LiteralExpr else {
                            throw CellError(.syntaxError, "raw value for enum case must be a literal", at: range(rv.value))
                        }
                        raw = lit.value
                    }
                    type.cases.append(.init(name: el.name.text, rawValue: raw, labels: labels, types: types))
                }
                type.caseIndex = Dictionary(uniqueKeysWithValues: type.cases.enumerated().map { ($1.name, $0) })
                continue
            }
            if let v = d.as(VariableDeclSyntax.self) {
                try checkMemberModifiers(v.modifiers, v.attributes, in: type)
                let isStatic = Lowerer.isStatic(d)
                for binding in v.bindings {
                    guard let id = binding.pattern.as(IdentifierPatternSyntax.self) else {
                        throw unsupported("this property pattern", binding.pattern)
                    }
                    let name = id.identifier.text
                    let t = try binding.typeAnnotation.map { try lowerType($0.type) }
                    let typeText = binding.typeAnnotation?.type.trimmedDescription
                    if type.kind == .protocolType {
                        type.requirements.append(.init(name: name, isMutating: false, isMethod: false))
                        continue
                    }
                    if let accessors = binding.accessorBlock, isComputed(accessors) {
                        let c = try lowerComputed(accessors, name: name, type: t, typeText: typeText ?? "Any", in: type,
                                                  isStatic: isStatic, names: names)
                        if isStatic { type.staticComputed[name] = c } else { type.computed[name] = c }
                        continue
                    }
                    let initial = try binding.initializer.map { try lowerThunk($0.value, in: type, isStatic: isStatic, names: names) }
                    if isStatic {
                        let slot = globals.slot("\(type.name).\(name)")
                        type.staticStored[name] = slot
                        statics.append((slot, initial, t))
                        continue
                    }
                    if type.kind == .builtin || inExtension {
                        throw CellError(.syntaxError, "extensions must not contain stored properties", at: range(binding),
                                        notes: ["make it a computed property: var \(name): Type { … }"])
                    }
                    if type.kind == .enumeration {
                        throw CellError(.syntaxError, "enums must not contain stored properties", at: range(binding),
                                        notes: ["make it a computed property: var \(name): Type { … }"])
                    }
                    var literal: Value?
                    if binding.initializer == nil, case .optional? = t, v.bindingSpecifier.tokenKind == .keyword(.var) {
                        literal = Value.none  // `var next: Node?` starts as nil
                    }
                    var inferred = t
                    var inferredText = typeText
                    if let l = initial?.implicitResult as? LiteralExpr {
                        literal = t.flatMap { $0.coerce(l.value, literal: true) } ?? l.value
                        if t == nil, let v = literal, ["Int", "Double", "String", "Bool"].contains(v.typeName) {
                            // `var x = 0.0` is a Double: `Point(x: 1)` makes 1 a Double too.
                            inferred = .named(v.typeName)
                            inferredText = v.typeName
                        }
                    }
                    var p = UserType.StoredProperty(name: name, isConstant: v.bindingSpecifier.tokenKind == .keyword(.let),
                                                    type: inferred, typeText: inferredText, initial: literal == nil ? initial : nil,
                                                    literal: literal)
                    if let accessors = binding.accessorBlock, case .accessors(let list) = accessors.accessors {
                        for a in list {
                            let param = a.parameters?.name.text ?? (a.accessorSpecifier.text == "willSet" ? "newValue" : "oldValue")
                            let fn = try lowerAccessorBody(a.body, name: "\(name).\(a.accessorSpecifier.text)", parameter: param,
                                                           returnType: nil, in: type, isStatic: false, mutable: true, names: names)
                            if a.accessorSpecifier.text == "didSet" { p.didSet = fn } else { p.willSet = fn }
                        }
                    }
                    if type.storedIndex[name] != nil {
                        throw CellError(.syntaxError, "invalid redeclaration of '\(name)'", at: range(binding))
                    }
                    type.addStored(p)
                }
                continue
            }
            if let f = d.as(FunctionDeclSyntax.self) {
                try checkMemberModifiers(f.modifiers, f.attributes, in: type)
                let isStatic = Lowerer.isStatic(d) || Lowerer.isOperatorName(f.name.text)
                let isMutating = f.modifiers.contains { $0.name.text == "mutating" }
                if type.kind == .protocolType {
                    if f.body == nil {
                        type.requirements.append(.init(name: f.name.text, isMutating: isMutating, isMethod: true))
                        continue
                    }
                }
                if f.modifiers.contains(where: { $0.name.text == "override" }),
                   type.superclass?.findMethods(f.name.text) == nil {
                    throw CellError(.syntaxError, "method does not override any method from its superclass", at: range(f.name),
                                    notes: ["remove 'override', or check the method's name"])
                }
                if type.isClass, !f.modifiers.contains(where: { $0.name.text == "override" }),
                   type.superclass?.findMethods(f.name.text) != nil {
                    throw CellError(.syntaxError, "overriding declaration requires an 'override' keyword", at: range(f.name),
                                    notes: ["write: override func \(f.name.text)…"])
                }
                let decl = try withMember(type, isStatic: isStatic, mutable: isMutating, names: names) {
                    loweringMember = true
                    return try lowerFunction(f)
                }
                let m = UserType.Method(decl: decl, isMutating: isMutating)
                if isStatic { type.staticMethods[f.name.text, default: []].append(m) } else { type.methods[f.name.text, default: []].append(m) }
                globals.userTypes.generation &+= 1
                continue
            }
            if let i = d.as(InitializerDeclSyntax.self) {
                try checkMemberModifiers(i.modifiers, i.attributes, in: type)
                if let q = i.optionalMark, q.tokenKind == .exclamationMark {
                    throw unsupported("implicitly unwrapped initializers (init!)", q, use: "write init?(…)", plural: true)
                }
                guard type.kind != .protocolType || i.body != nil else { continue }
                type.inits.append(try lowerInitializer(i, in: type, names: names))
                continue
            }
            if d.is(DeinitializerDeclSyntax.self) { continue }
            if d.is(TypeAliasDeclSyntax.self) || d.is(AssociatedTypeDeclSyntax.self) { continue }
            // Nested types are declared and lowered on their own (`nestedTypeDecls`).
            if d.is(StructDeclSyntax.self) || d.is(EnumDeclSyntax.self) || d.is(ClassDeclSyntax.self) { continue }
            if let s = d.as(SubscriptDeclSyntax.self) {
                type.subscripts.append(try lowerSubscript(s, in: type, names: names))
                continue
            }
            throw unsupportedDecl(d)
        }
        return statics
    }

    private func isComputed(_ a: AccessorBlockSyntax) -> Bool {
        switch a.accessors {
        case .getter: return true
        case .accessors(let list):
            return list.contains { ["get", "set"].contains($0.accessorSpecifier.text) }
        }
    }

    /// Runs `body` with a fresh scope holding `self` and the type's context.
    private func withMember<T>(_ type: UserType, isStatic: Bool, mutable: Bool, names: (instance: Set<String>, statics: Set<String>),
                               _ body: () throws -> T) throws -> T {
        let outer = scope
        let savedContext = typeContext
        let selfScope = FunctionScope(parent: outer, isTopLevel: false, returnType: nil, name: type.name)
        _ = selfScope.declare("self", constant: !mutable, type: isStatic ? nil : .user(type))
        scope = selfScope
        typeContext = TypeContext(type: type, isStatic: isStatic, selfScope: selfScope, selfIsMutable: mutable,
                                  memberNames: isStatic ? names.statics : names.instance)
        defer {
            scope = outer
            typeContext = savedContext
            loweringMember = false
        }
        return try body()
    }

    /// A function of no arguments whose result is `e` (a stored property's initial value).
    private func lowerThunk(_ e: ExprSyntax, in type: UserType, isStatic: Bool,
                            names: (instance: Set<String>, statics: Set<String>)) throws -> FunctionDecl {
        try withMember(type, isStatic: true, mutable: false, names: (isStatic ? names.statics : [], names.statics)) {
            let fnScope = FunctionScope(parent: scope, isTopLevel: false, returnType: nil, name: type.name)
            let outer = scope
            scope = fnScope
            defer { scope = outer }
            let decl = FunctionDecl(name: type.name, parameters: [], parameterTypes: [], defaults: [], parameterSlots: [],
                                    returnType: nil, isClosure: true, range: range(e))
            decl.implicitResult = try lowerExpr(e)
            decl.frameSize = fnScope.slotCount
            decl.capturesItsFrame = fnScope.hasInnerFunctions
            return decl
        }
    }

    /// A getter, setter or observer body as a function of `parameter` (if
    /// any), after a subscript's `leading` parameters.
    func lowerAccessorBody(_ body: CodeBlockSyntax?, name: String, parameter: String?, returnType: TypeRef?,
                           in type: UserType, isStatic: Bool, mutable: Bool,
                           names: (instance: Set<String>, statics: Set<String>),
                           items: CodeBlockItemListSyntax? = nil, leading: [Parameter] = []) throws -> FunctionDecl {
        guard let statements = items ?? body?.statements else {
            throw CellError(.syntaxError, "expected '{' to start the body of '\(name)'", at: .unknown)
        }
        return try withMember(type, isStatic: isStatic, mutable: mutable, names: names) {
            let outer = scope
            let fnScope = FunctionScope(parent: outer, isTopLevel: false, returnType: returnType, name: name)
            scope = fnScope
            defer { scope = outer }
            var params = leading
            var slots = leading.map { fnScope.declare($0.name, constant: true, type: nil) }
            if let parameter {
                params.append(Parameter(label: nil, name: parameter, type: "Any", defaultText: nil, isVariadic: false))
                slots.append(fnScope.declare(parameter, constant: true, type: nil))
            }
            let decl = FunctionDecl(name: name, parameters: params, parameterTypes: params.map { _ in nil },
                                    defaults: params.map { _ in nil }, parameterSlots: slots, returnType: returnType,
                                    isClosure: false, range: range(statements))
            let list = Array(statements)
            if list.count == 1, case .expr(let e) = list[0].item, returnType != nil,
               !e.is(IfExprSyntax.self), !e.is(SwitchExprSyntax.self) {
                decl.implicitResult = try lowerExpr(e)
            } else {
                decl.body = try lowerBlock(statements)
            }
            decl.frameSize = fnScope.slotCount
            decl.capturesItsFrame = fnScope.hasInnerFunctions
            return decl
        }
    }

    /// A computed property's accessors, or a subscript's (`leading`: its
    /// parameters, before `newValue` in the setter).
    func lowerComputed(_ a: AccessorBlockSyntax, name: String, type t: TypeRef?, typeText: String, in type: UserType,
                       isStatic: Bool, names: (instance: Set<String>, statics: Set<String>),
                       subscriptParameters leading: [Parameter]? = nil) throws -> UserType.ComputedProperty {
        let returnType = t ?? .any
        let parameters = leading ?? []
        switch a.accessors {
        case .getter(let items):
            let g = try lowerAccessorBody(nil, name: name, parameter: nil, returnType: returnType, in: type,
                                          isStatic: isStatic, mutable: false, names: names, items: items, leading: parameters)
            return .init(getter: g, setter: nil, typeText: typeText)
        case .accessors(let list):
            var getter: FunctionDecl?
            var setter: FunctionDecl?
            for acc in list {
                switch acc.accessorSpecifier.text {
                case "get":
                    getter = try lowerAccessorBody(acc.body, name: name, parameter: nil, returnType: returnType, in: type,
                                                   isStatic: isStatic, mutable: false, names: names, leading: parameters)
                case "set":
                    setter = try lowerAccessorBody(acc.body, name: name, parameter: acc.parameters?.name.text ?? "newValue",
                                                   returnType: nil, in: type, isStatic: isStatic, mutable: !type.isClass,
                                                   names: names, leading: parameters)
                default:
                    throw unsupported("'\(acc.accessorSpecifier.text)' \(leading == nil ? "" : "in a subscript ")beside 'get' and 'set'", acc)
                }
            }
            guard let getter else {
                throw CellError(.syntaxError, leading == nil ? "computed property '\(name)' must have a getter" : "subscript must have a getter",
                                at: range(a))
            }
            return .init(getter: getter, setter: setter, typeText: typeText)
        }
    }

    private func lowerInitializer(_ i: InitializerDeclSyntax, in type: UserType,
                                  names: (instance: Set<String>, statics: Set<String>)) throws -> FunctionDecl {
        guard let body = i.body else {
            throw CellError(.syntaxError, "initializer requires a body", at: range(i))
        }
        return try withMember(type, isStatic: false, mutable: true, names: names) {
            var params: [Parameter] = []
            var types: [TypeRef?] = []
            var defaults: [Expr?] = []
            for p in i.signature.parameterClause.parameters {
                let first = p.firstName.text
                let t = try lowerType(p.type)
                types.append(t)
                defaults.append(try p.defaultValue.map { try lowerExpr($0.value) })
                params.append(Parameter(label: first == "_" ? nil : first, name: p.secondName?.text ?? first,
                                        type: p.type.trimmedDescription, defaultText: p.defaultValue?.value.trimmedDescription,
                                        isVariadic: false))
            }
            let outer = scope
            let fnScope = FunctionScope(parent: outer, isTopLevel: false, returnType: nil, name: "\(type.name).init")
            fnScope.failableInit = i.optionalMark != nil
            scope = fnScope
            defer { scope = outer }
            let slots = params.map { fnScope.declare($0.name, constant: true, type: nil) }
            let decl = FunctionDecl(name: "\(type.name).init", parameters: params, parameterTypes: types, defaults: defaults,
                                    parameterSlots: slots, returnType: nil, isClosure: false, range: range(i.initKeyword))
            decl.body = try lowerBlock(body.statements)
            decl.frameSize = fnScope.slotCount
            decl.capturesItsFrame = fnScope.hasInnerFunctions
            decl.isFailable = i.optionalMark != nil
            decl.isThrowing = i.signature.effectSpecifiers?.throwsClause != nil
            return decl
        }
    }

    private func assignRawValues(_ type: UserType, node: some SyntaxProtocol) throws {
        guard let raw = type.rawType else {
            if let c = type.cases.first(where: { $0.rawValue != nil }) {
                throw CellError(.syntaxError, "enum case '\(c.name)' cannot have a raw value if the enum does not have a raw type",
                                at: range(node), notes: ["write the raw type: enum \(type.name): Int { … }"])
            }
            return
        }
        var next = 0
        var seen: [Value: String] = [:]
        for k in type.cases.indices {
            if type.cases[k].labels != nil {
                throw CellError(.syntaxError, "enum with raw type cannot have cases with arguments", at: range(node))
            }
            if let v = type.cases[k].rawValue {
                if case .int(let n) = v { next = n + 1 }
                if let c = raw.coerce(v, literal: true) { type.cases[k].rawValue = c }
            } else {
                switch raw {
                case .named("Int"):
                    type.cases[k].rawValue = .int(next)
                    next += 1
                case .named("String"), .named("Character"):
                    type.cases[k].rawValue = .string(type.cases[k].name)
                default:
                    throw CellError(.syntaxError, "enum case '\(type.cases[k].name)' needs a raw value", at: range(node))
                }
            }
            if let v = type.cases[k].rawValue {
                if let other = seen[v] {
                    throw CellError(.syntaxError, "raw value for enum case '\(type.cases[k].name)' is not unique; '\(other)' has it too",
                                    at: range(node))
                }
                seen[v] = type.cases[k].name
            }
        }
    }

    private func checkConformances(_ type: UserType, node: some SyntaxProtocol) throws {
        guard type.kind != .protocolType else { return }
        for p in type.protocols {
            for r in p.lineage.flatMap({ [$0] + $0.protocols }).flatMap(\.requirements) {
                let has = r.isMethod ? type.findMethods(r.name) != nil || type.findMethods(r.name, isStatic: true) != nil
                    : type.storedIndex[r.name] != nil || type.findComputed(r.name) != nil || (r.name == "rawValue" && type.rawType != nil)
                if !has {
                    throw CellError.type("type '\(type.name)' does not conform to protocol '\(p.name)'", at: range(node),
                                         notes: ["'\(p.name)' requires \(r.isMethod ? "a method" : "a property") '\(r.name)'"])
                }
            }
        }
    }

    // MARK: Extensions

    private func lowerExtension(_ e: ExtensionDeclSyntax) throws -> Stmt? {
        var name = e.extendedType.trimmedDescription
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
        let inherited = e.inheritanceClause?.inheritedTypes.map { $0.type.trimmedDescription } ?? []
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
        return (m.base.map { $0.trimmedDescription }, m.declName.baseName.text)
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
                        if let b = m.base { typeName = b.trimmedDescription }
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
