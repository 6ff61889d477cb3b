import SwiftDiagnostics
import SwiftOperators
import SwiftParser
import SwiftParserDiagnostics
import SwiftSyntax

/// Parses a cell with SwiftParser, folds operators, and reports syntax
/// errors as `SyntaxError` diagnostics against the cell's own text.
enum CellParser {
    /// Longest run of `[` SwiftParser handles quickly: its lookahead for
    /// types such as `[[Int]]` grows exponentially with the run.
    static let maxBracketRun = 8

    /// Swift's standard operators and precedence groups, read once from
    /// their own declarations (`OperatorTable.standardOperators` printed as
    /// source). Built in code, the table's precedence relations carry no
    /// syntax, and every precedence search of the fold synthesised a
    /// declaration for each relation it followed: about a tenth of parsing a
    /// cell with a few comparisons and `&&` (see benchmarks/README.md).
    static let operators: OperatorTable = {
        var table = OperatorTable()
        let declarations = Parser.parse(source: OperatorTable.standardOperators.description)
        var failed = false
        table.addSourceFile(declarations) { _ in failed = true }
        return failed ? OperatorTable.standardOperators : table
    }()

    static func parse(_ source: String) -> (SourceFileSyntax, [CellError]) {
        if let e = bracketRunError(source) { return (SourceFileSyntax(statements: []), [e]) }
        let tree = Parser.parse(source: source)
        var errors: [CellError] = []
        if tree.hasError {
            // Diagnose only the first statement with an error: the generator's
            // cost grows quickly with the amount of broken text.
            let failing: Syntax = tree.statements.first(where: \.hasError).map(Syntax.init) ?? Syntax(tree)
            for d in ParseDiagnosticsGenerator.diagnostics(for: failing) where d.diagMessage.severity == .error {
                let start = d.position.utf8Offset
                let end = d.highlights.first.map { $0.endPositionBeforeTrailingTrivia.utf8Offset } ?? start
                errors.append(CellError(.syntaxError, d.message, at: SourceRange(start: start, end: max(start, end))))
            }
            if errors.isEmpty { errors.append(CellError(.syntaxError, "the cell could not be parsed", at: SourceRange(start: 0, end: 0))) }
            return (tree, errors)
        }
        var opErrors: [OperatorError] = []
        let folded = operators.foldAll(tree) { opErrors.append($0) }
        for e in opErrors {
            let d = e.asDiagnostic
            errors.append(CellError(.syntaxError, d.message,
                                    at: SourceRange(start: d.position.utf8Offset,
                                                    end: d.node.endPositionBeforeTrailingTrivia.utf8Offset)))
        }
        return (folded.as(SourceFileSyntax.self) ?? tree, errors)
    }

    /// An error for a long run of `[` outside string literals, before the parser sees it.
    static func bracketRunError(_ source: String) -> CellError? {
        var run = 0, runStart = 0, inString = false, escaped = false
        for (offset, byte) in source.utf8.enumerated() {
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true }
                else if byte == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true; run = 0
            case UInt8(ascii: "["):
                if run == 0 { runStart = offset }
                run += 1
                if run > maxBracketRun {
                    return CellError(.syntaxError,
                                     "too many '[' in a row (more than \(maxBracketRun)); build deeply nested arrays step by step",
                                     at: SourceRange(start: runStart, end: offset + 1))
                }
            case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\t"), UInt8(ascii: "\r"): continue
            default: run = 0
            }
        }
        return nil
    }

    /// The first error, with the rest attached as related diagnostics.
    static func combine(_ errors: [CellError]) -> CellError? {
        guard var first = errors.first else { return nil }
        first.related = Array(errors.dropFirst().prefix(4))
        return first
    }
}
