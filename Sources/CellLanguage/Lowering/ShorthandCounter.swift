import SwiftSyntax

/// Counts the `$n` parameters a closure body uses (not those of nested closures).
final class ShorthandCounter: SyntaxVisitor {
    var highest = -1

    static func count(in statements: CodeBlockItemListSyntax) -> Int {
        let v = ShorthandCounter(viewMode: .sourceAccurate)
        v.walk(statements)
        return v.highest + 1
    }

    override func visit(_ node: ClosureExprSyntax) -> SyntaxVisitorContinueKind { .skipChildren }

    override func visit(_ node: DeclReferenceExprSyntax) -> SyntaxVisitorContinueKind {
        let t = node.baseName.text
        if t.hasPrefix("$"), let n = Int(t.dropFirst()), n < 64 { highest = max(highest, n) }
        return .visitChildren
    }
}
