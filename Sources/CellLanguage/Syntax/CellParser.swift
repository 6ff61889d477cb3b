import SwiftDiagnostics
import SwiftOperators
import SwiftParser
import SwiftParserDiagnostics
import SwiftSyntax

/// Parses a cell with SwiftParser, folds operators, and reports syntax
/// errors as `SyntaxError` diagnostics against the cell's own text.
enum CellParser {
    static func parse(_ source: String) -> (SourceFileSyntax, [CellError]) {
        let tree = Parser.parse(source: source)
        var errors: [CellError] = []
        if tree.hasError {
            for d in ParseDiagnosticsGenerator.diagnostics(for: tree) where d.diagMessage.severity == .error {
                let start = d.position.utf8Offset
                let end = d.highlights.first.map { $0.endPositionBeforeTrailingTrivia.utf8Offset } ?? start
                errors.append(CellError(.syntaxError, d.message, at: SourceRange(start: start, end: max(start, end))))
            }
            if errors.isEmpty { errors.append(CellError(.syntaxError, "the cell could not be parsed", at: SourceRange(start: 0, end: 0))) }
            return (tree, errors)
        }
        var opErrors: [OperatorError] = []
        let folded = OperatorTable.standardOperators.foldAll(tree) { opErrors.append($0) }
        for e in opErrors {
            let d = e.asDiagnostic
            errors.append(CellError(.syntaxError, d.message,
                                    at: SourceRange(start: d.position.utf8Offset,
                                                    end: d.node.endPositionBeforeTrailingTrivia.utf8Offset)))
        }
        return (folded.as(SourceFileSyntax.self) ?? tree, errors)
    }

    /// The first error, with the rest attached as related diagnostics.
    static func combine(_ errors: [CellError]) -> CellError? {
        guard var first = errors.first else { return nil }
        first.related = Array(errors.dropFirst().prefix(4))
        return first
    }
}
