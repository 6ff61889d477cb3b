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
                      name: p.secondName?.text ?? p.firstName.text, type: text(of: p.type),
                      defaultText: p.defaultValue.map { text(of: $0.value) }, isVariadic: p.ellipsis != nil)
        }
        if let p = s.parameterClause.parameters.first(where: { $0.defaultValue != nil || $0.ellipsis != nil }) {
            throw unsupported("default values and variadic parameters in subscripts", p)
        }
        let typeText = text(of: s.returnClause.type)
        guard let block = s.accessorBlock else {
            throw CellError(.syntaxError, "expected '{' in subscript to specify getter", at: range(s))
        }
        return try lowerComputed(block, name: "subscript", type: returnType, typeText: typeText, in: type, isStatic: false,
                                 names: names, subscriptParameters: parameters)
    }
}
