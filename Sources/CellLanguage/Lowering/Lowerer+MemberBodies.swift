import SwiftSyntax

extension Lowerer {
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

    func lowerInitializer(_ i: InitializerDeclSyntax, in type: UserType,
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
                                        type: text(of: p.type), defaultText: p.defaultValue.map { text(of: $0.value) },
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

    func assignRawValues(_ type: UserType, node: some SyntaxProtocol) throws {
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

    func checkConformances(_ type: UserType, node: some SyntaxProtocol) throws {
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
}
