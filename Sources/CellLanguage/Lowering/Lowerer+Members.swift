import SwiftSyntax

extension Lowerer {
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
                    let typeText = binding.typeAnnotation.map { text(of: $0.type) }
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
    func withMember<T>(_ type: UserType, isStatic: Bool, mutable: Bool, names: (instance: Set<String>, statics: Set<String>),
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
}
