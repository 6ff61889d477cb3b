/// Error handling: `throw`, `do`/`catch`, `try`, `try?`, `try!` and `defer`.
///
/// A thrown value travels as a Swift error (`ThrownValue`) through the tree
/// walker, the register machine and builtins that call closures, up to the
/// nearest `do`/`catch`, `try?` or `try!`. The machinery does not look at
/// what is thrown: any value (an `enum … : Error` case, a struct) goes.
/// Only thrown values are caught: a run-time error such as an index out of
/// range stops the cell, as it stops a Swift program.

/// A value a cell threw, on its way to a `catch`.
public struct ThrownValue: Error, @unchecked Sendable {
    public let value: Value
    /// The `throw` statement that threw it.
    public let range: SourceRange

    /// What a learner sees when nothing catches it.
    var uncaught: CellError {
        CellError(.uncaughtError, "the error \(value.debugDescription) was thrown and not caught",
                  at: range, notes: ["call the throwing function inside do { try … } catch { … }, or use try?"])
    }
}

/// `throw value`.
final class ThrowStmt: Stmt {
    let value: Expr
    let range: SourceRange
    init(value: Expr, range: SourceRange) {
        self.value = value
        self.range = range
    }
    func exec(_ rt: Runtime, _ f: Frame) throws -> Flow {
        throw ThrownValue(value: try value.eval(rt, f), range: range)
    }
}

/// `do { … } catch pattern where condition { … } catch { … }`.
final class DoCatchStmt: Stmt {
    struct Clause {
        /// The patterns of one `catch` (none: catch everything as `error`).
        var patterns: [(Pattern, Expr?)]
        var body: [Stmt]
    }
    let body: [Stmt]
    let clauses: [Clause]
    let range: SourceRange
    init(body: [Stmt], clauses: [Clause], range: SourceRange) {
        self.body = body
        self.clauses = clauses
        self.range = range
    }
    func exec(_ rt: Runtime, _ f: Frame) throws -> Flow {
        let thrown: ThrownValue
        do {
            return try execBlock(body, rt, f)
        } catch let t as ThrownValue {
            thrown = t
        }
        for c in clauses {
            for (p, condition) in c.patterns {
                guard try p.matches(thrown.value, rt, f, at: thrown.range) else { continue }
                if let condition, !(try Conditions.bool(condition.eval(rt, f), at: condition.range)) { continue }
                return try execBlock(c.body, rt, f)
            }
        }
        // No clause matched: the error goes on to the caller.
        throw thrown
    }
}

/// `try e`, `try? e` and `try! e`.
final class TryExpr: Expr {
    enum Kind {
        case plain
        case optional
        case forced
    }
    let operand: Expr
    let kind: Kind
    let range: SourceRange
    init(operand: Expr, kind: Kind, range: SourceRange) {
        self.operand = operand
        self.kind = kind
        self.range = range
    }
    func eval(_ rt: Runtime, _ f: Frame) throws -> Value {
        switch kind {
        case .plain:
            return try operand.eval(rt, f)
        case .optional:
            do {
                // `try?` on an optional does not nest it (Swift 5).
                let v = try operand.eval(rt, f)
                if case .optional = v { return v }
                return .optional(v)
            } catch is ThrownValue {
                return .none
            }
        case .forced:
            do {
                return try operand.eval(rt, f)
            } catch let t as ThrownValue {
                throw CellError(.uncaughtError, "'try!' found the error \(t.value.debugDescription)", at: range,
                                notes: ["use do { try … } catch { … } or try? where an error can happen"])
            }
        }
    }
}

/// The statements of a block that follow a `defer`: they run, and then the
/// deferred body runs however they end (normally, by `return`, `break` or
/// an error). Several `defer`s nest, so they run last first.
final class DeferScopeStmt: Stmt {
    let deferred: [Stmt]
    let rest: [Stmt]
    init(deferred: [Stmt], rest: [Stmt]) {
        self.deferred = deferred
        self.rest = rest
    }
    func exec(_ rt: Runtime, _ f: Frame) throws -> Flow {
        let flow: Flow
        do {
            flow = try execBlock(rest, rt, f)
        } catch {
            // An interrupt or a resource limit stops the cell at once.
            if let e = error as? CellError, e.kind == .interrupted || e.kind == .resourceLimit { throw error }
            try runDeferred(rt, f)
            throw error
        }
        try runDeferred(rt, f)
        return flow
    }

    private func runDeferred(_ rt: Runtime, _ f: Frame) throws {
        // A return inside `rest` left its value in the runtime; the deferred
        // body must not lose it.
        let returned = rt.returnValue
        let label = rt.jumpLabel
        _ = try execBlock(deferred, rt, f)
        rt.returnValue = returned
        rt.jumpLabel = label
    }
}

extension ErrorBoundary {
    /// Like `cellError`, but a thrown value passes on unchanged, so that a
    /// closure given to a builtin (`try xs.map { try parse($0) }`) throws to
    /// the cell's `catch`.
    static func passing(_ error: Error, at range: SourceRange, _ registry: BuiltinRegistry) -> Error {
        if error is ThrownValue { return error }
        return cellError(error, at: range, registry)
    }
}
