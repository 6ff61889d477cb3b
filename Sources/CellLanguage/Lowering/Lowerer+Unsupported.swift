import SwiftSyntax

/// Swift that Shoal cells do not run, named so that a learner knows what it
/// is: concurrency, property wrappers, attributes. (The other constructs
/// are named where they are lowered: `unsupportedDecl`, `lowerExpr`.)
extension Lowerer {
    /// Names from Swift's concurrency and threading libraries.
    static let concurrencyNames: Set<String> = [
        "Task", "TaskGroup", "withTaskGroup", "withThrowingTaskGroup", "AsyncStream", "AsyncThrowingStream",
        "MainActor", "DispatchQueue", "DispatchGroup", "Thread", "withCheckedContinuation",
        "withCheckedThrowingContinuation", "Actor", "CancellationError",
    ]

    static let concurrencyUse = "Shoal cells run one statement at a time, without concurrency"

    /// The error for an unknown name that belongs to a feature cells do not run; nil otherwise.
    func unsupportedName(_ name: String, _ node: some SyntaxProtocol) -> CellError? {
        guard Lowerer.concurrencyNames.contains(name) else { return nil }
        return unsupported("'\(name)' (concurrency)", node, use: Lowerer.concurrencyUse, plural: false)
    }

    /// The error for an attribute: concurrency, a property wrapper, a result
    /// builder, or another attribute.
    func unsupportedAttribute(_ a: AttributeListSyntax.Element, onVariable: Bool) -> CellError {
        let written = text(of: a)
        let name = a.as(AttributeSyntax.self).map { text(of: $0.attributeName) } ?? written
        switch name {
        case "MainActor", "Sendable", "preconcurrency", "globalActor", "TaskLocal":
            return unsupported("'@\(name)' (concurrency)", a, use: Lowerer.concurrencyUse, plural: false)
        case "resultBuilder":
            return unsupported("result builder declarations", a, use: "Sequential { … } is the one builder cells offer")
        case "propertyWrapper":
            return unsupported("property wrapper declarations", a)
        default:
            if onVariable, name.first?.isUppercase == true {
                return unsupported("property wrappers such as \(written)", a, use: "use a plain 'var'", plural: true)
            }
            return unsupported("attributes such as \(written)", a, plural: true)
        }
    }

    /// The error for a modifier cells do not run, named.
    func unsupportedModifier(_ m: DeclModifierSyntax) -> CellError {
        switch m.name.text {
        case "async": return unsupported("'async let' (concurrency)", m, use: Lowerer.concurrencyUse, plural: false)
        case "nonisolated", "isolated": return unsupported("'\(m.name.text)' (concurrency)", m, use: Lowerer.concurrencyUse,
                                                             plural: false)
        case "weak", "unowned": return unsupported("'\(m.name.text)' references", m, use: "write a plain 'var'")
        default: return unsupported("the '\(m.name.text)' modifier", m)
        }
    }
}
