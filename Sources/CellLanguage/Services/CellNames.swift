import SwiftParser
import SwiftSyntax

/// The names a cell declares at its top level and the names it uses, read
/// from its text whether or not it runs (a cell that stopped early still
/// says what it meant to define). Grading traces a failed check's cause by
/// them: the check uses `model`, cell 5 declares `model`, cell 5 stopped.
public struct CellNames: Equatable, Sendable {
    /// Top-level `let`, `var` and `func` names (a notebook's globals).
    public let declared: Set<String>
    /// Every name the cell refers to, members after a dot excepted.
    public let used: Set<String>

    public init(_ source: String) {
        guard CellParser.bracketRunError(source) == nil else {
            declared = []
            used = []
            return
        }
        let visitor = NameVisitor(viewMode: .sourceAccurate)
        visitor.walk(Parser.parse(source: source))
        declared = visitor.declared
        used = visitor.used
    }
}

private final class NameVisitor: SyntaxVisitor {
    var declared: Set<String> = []
    var used: Set<String> = []

    /// A statement of the cell itself, not of a function or block inside it.
    private func isTopLevel(_ node: some SyntaxProtocol) -> Bool {
        node.parent?.as(CodeBlockItemSyntax.self)?.parent?.parent?.is(SourceFileSyntax.self) == true
    }

    override func visit(_ node: DeclReferenceExprSyntax) -> SyntaxVisitorContinueKind {
        if let member = node.parent?.as(MemberAccessExprSyntax.self), member.declName.id == node.id { return .skipChildren }
        used.insert(node.baseName.text)
        return .skipChildren
    }

    override func visit(_ node: FunctionDeclSyntax) -> SyntaxVisitorContinueKind {
        if isTopLevel(node) { declared.insert(node.name.text) }
        return .visitChildren
    }

    override func visit(_ node: VariableDeclSyntax) -> SyntaxVisitorContinueKind {
        if isTopLevel(node) {
            for binding in node.bindings { collect(binding.pattern) }
        }
        return .visitChildren
    }

    private func collect(_ pattern: PatternSyntax) {
        if let id = pattern.as(IdentifierPatternSyntax.self) {
            declared.insert(id.identifier.text)
        } else if let tuple = pattern.as(TuplePatternSyntax.self) {
            for element in tuple.elements { collect(element.pattern) }
        }
    }
}
