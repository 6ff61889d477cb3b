import SwiftSyntax

extension Lowerer {
    /// `subscript(i: Int) -> Double { get set }` in a type: a getter of the
    /// subscript's parameters and, with `set`, a setter of them and `newValue`.
    /// As in Swift, a parameter has no argument label unless it names one
    /// (`subscript(row r: Int)`).
    func lowerSubscript(_ s: SubscriptDeclSyntax, in type: UserType,
                        names: (instance: Set<String>, statics: Set<String>)) throws -> UserType.ComputedProperty {
        if let m = s.modifiers.first(where: { ["static", "class"].contains($0.name.text) }) {
            throw unsupported("static subscripts", m, use: "write a static method")
        }
        if let g = s.genericParameterClause { throw unsupported("generic subscripts", g) }
        let returnType = try lowerType(s.returnClause.type)
        let parameters = s.parameterClause.parameters.map { p in
            Parameter(label: p.secondName == nil || p.firstName.text == "_" ? nil : p.firstName.text,
                      name: p.secondName?.text ?? p.firstName.text, type: p.type.trimmedDescription,
                      defaultText: p.defaultValue?.value.trimmedDescription, isVariadic: p.ellipsis != nil)
        }
        if let p = s.parameterClause.parameters.first(where: { $0.defaultValue != nil || $0.ellipsis != nil }) {
            throw unsupported("default values and variadic parameters in subscripts", p)
        }
        let typeText = s.returnClause.type.trimmedDescription
        guard let block = s.accessorBlock else {
            throw CellError(.syntaxError, "expected '{' in subscript to specify getter", at: range(s))
        }
        let name = "subscript"
        switch block.accessors {
        case .getter(let items):
            let g = try lowerAccessorBody(nil, name: name, parameter: nil, returnType: returnType, in: type, isStatic: false,
                                          mutable: false, names: names, items: items, leading: parameters)
            return .init(getter: g, setter: nil, typeText: typeText)
        case .accessors(let list):
            var getter: FunctionDecl?
            var setter: FunctionDecl?
            for acc in list {
                switch acc.accessorSpecifier.text {
                case "get":
                    getter = try lowerAccessorBody(acc.body, name: name, parameter: nil, returnType: returnType, in: type,
                                                   isStatic: false, mutable: false, names: names, leading: parameters)
                case "set":
                    setter = try lowerAccessorBody(acc.body, name: name, parameter: acc.parameters?.name.text ?? "newValue",
                                                   returnType: nil, in: type, isStatic: false, mutable: !type.isClass,
                                                   names: names, leading: parameters)
                default:
                    throw unsupported("'\(acc.accessorSpecifier.text)' in a subscript beside 'get' and 'set'", acc)
                }
            }
            guard let getter else { throw CellError(.syntaxError, "subscript must have a getter", at: range(block)) }
            return .init(getter: getter, setter: setter, typeText: typeText)
        }
    }
}
