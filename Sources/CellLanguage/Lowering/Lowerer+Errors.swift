import SwiftSyntax

/// A `defer` as lowered, before `foldDefers` turns the statements after it
/// into a `DeferScopeStmt`. It never runs.
final class DeferMarker: Stmt {
    let body: [Stmt]
    init(body: [Stmt]) { self.body = body }
    func exec(_ rt: Runtime, _ f: Frame) throws -> Flow { .normal }
}

extension Lowerer {
    // MARK: Error handling (see AST/ErrorHandling.swift)

    func lowerThrow(_ t: ThrowStmtSyntax) throws -> Stmt {
        ThrowStmt(value: try lowerExpr(t.expression), range: range(t))
    }

    func lowerDo(_ d: DoStmtSyntax) throws -> Stmt {
        if let t = d.throwsClause { throw unsupported("typed throws", t, use: "write do { … } catch { … }", plural: true) }
        let body = try lowerBlock(d.body.statements)
        guard !d.catchClauses.isEmpty else { return BlockStmt(body: body) }
        var clauses: [DoCatchStmt.Clause] = []
        for c in d.catchClauses {
            let clause: DoCatchStmt.Clause = try withBlock {
                var patterns: [(Pattern, Expr?)] = []
                if c.catchItems.isEmpty {
                    // A bare `catch` binds the error as `error`.
                    patterns.append((.bind(.local(scope.declare("error", constant: true, type: nil))), nil))
                } else {
                    scope.patternsShareNames = true
                    defer { scope.patternsShareNames = false }
                    for item in c.catchItems {
                        let p = try item.pattern.map { try lowerPattern($0) } ?? .wildcard
                        let w = try item.whereClause.map { try lowerExpr($0.condition) }
                        patterns.append((p, w))
                    }
                }
                return DoCatchStmt.Clause(patterns: patterns, body: try lowerBlock(c.body.statements))
            }
            clauses.append(clause)
        }
        return DoCatchStmt(body: body, clauses: clauses, range: range(d.doKeyword))
    }

    func lowerTry(_ t: TryExprSyntax) throws -> Expr {
        let kind: TryExpr.Kind
        switch t.questionOrExclamationMark?.tokenKind {
        case .postfixQuestionMark?, .infixQuestionMark?: kind = .optional
        case .exclamationMark?: kind = .forced
        default: kind = .plain
        }
        tryDepth += 1
        defer { tryDepth -= 1 }
        let operand = try lowerExpr(t.expression)
        // A plain `try` changes nothing at run time.
        if kind == .plain { return operand }
        return TryExpr(operand: operand, kind: kind, range: range(t))
    }

    func lowerDefer(_ d: DeferStmtSyntax) throws -> Stmt {
        DeferMarker(body: try lowerBlock(d.body.statements))
    }

    /// The statements with each `defer` holding those that follow it.
    func foldDefers(_ stmts: [Stmt]) -> [Stmt] {
        guard let i = stmts.firstIndex(where: { $0 is DeferMarker }), let marker = stmts[i] as? DeferMarker else {
            return stmts
        }
        return Array(stmts[..<i]) + [DeferScopeStmt(deferred: marker.body, rest: foldDefers(Array(stmts[(i + 1)...])))]
    }
}
