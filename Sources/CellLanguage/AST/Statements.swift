@inline(__always)
func execBlock(_ stmts: [Stmt], _ rt: Runtime, _ f: Frame) throws -> Flow {
    var i = 0
    let n = stmts.count
    while i < n {
        let flow = try stmts[i].exec(rt, f)
        if case .normal = flow {
            i += 1
            continue
        }
        return flow
    }
    return .normal
}

final class ExprStmt: Stmt {
    let expr: Expr
    init(_ expr: Expr) { self.expr = expr }
    func exec(_ rt: Runtime, _ f: Frame) throws -> Flow {
        _ = try expr.eval(rt, f)
        return .normal
    }
}

/// `let`/`var` with an initial value (and an optional annotation).
final class VarDeclStmt: Stmt {
    /// A declaration without a value: `var x: Int?` starts as nil, others
    /// empty until assigned; `var (a, b): (Int, Int)` name by name.
    static func bindEmpty(_ target: BindTarget, type: TypeRef?, _ rt: Runtime, _ f: Frame, at range: SourceRange) throws {
        if case .tuple(let targets) = target {
            var types: [TypeRef?] = Array(repeating: nil, count: targets.count)
            if case .tuple(let ts, _)? = type, ts.count == targets.count { types = ts }
            for (t, ty) in zip(targets, types) { try bindEmpty(t, type: ty, rt, f, at: range) }
            return
        }
        try target.bind(type?.isOptional == true ? .none : .void, rt, f, at: range)
        if case .global(let slot, _) = target { slot.declaredWithoutValue = true }
    }

    let target: BindTarget
    let value: Expr?
    let type: TypeRef?
    let range: SourceRange
    init(target: BindTarget, value: Expr?, type: TypeRef?, range: SourceRange) {
        self.target = target
        self.value = value
        self.type = type
        self.range = range
    }
    func exec(_ rt: Runtime, _ f: Frame) throws -> Flow {
        guard let value else {
            try Self.bindEmpty(target, type: type, rt, f, at: range)
            return .normal
        }
        var v = try value.eval(rt, f)
        if let type {
            guard let c = type.coerce(v, literal: value.isLiteral) else {
                throw TypeRef.specifiedMismatch(v, type, at: value.range)
            }
            v = c
        }
        try target.bind(v, rt, f, at: range)
        return .normal
    }
}

/// One clause of an `if`, `guard` or `while` condition list.
enum Condition {
    case expr(Expr)
    /// `let name = optional` (binds the unwrapped value when not nil).
    case bind(BindTarget, Expr, TypeRef?)
    /// `case pattern = value` (`if case let .measured(l, w) = fish`): true when the pattern matches, binding its names.
    case match(Pattern, Expr)

    @inline(__always)
    static func all(_ conds: [Condition], _ rt: Runtime, _ f: Frame) throws -> Bool {
        for c in conds {
            switch c {
            case .expr(let e):
                if case .bool(let b) = try e.eval(rt, f) {
                    if !b { return false }
                    continue
                }
                if !(try Conditions.bool(e.eval(rt, f), at: e.range)) { return false }
            case .bind(let target, let e, let type):
                let v = try e.eval(rt, f)
                guard case .optional(let w) = v else {
                    throw CellError.type("initializer for conditional binding must have Optional type, not '\(v.typeName)'",
                                         at: e.range)
                }
                guard var w else { return false }
                if let type {
                    guard let c = type.coerce(w, literal: false) else {
                        throw CellError.type("cannot convert value of type '\(w.typeName)' to '\(type.description)'", at: e.range)
                    }
                    w = c
                }
                try target.bind(w, rt, f, at: e.range)
            case .match(let p, let e):
                if !(try p.matches(try e.eval(rt, f), rt, f, at: e.range)) { return false }
            }
        }
        return true
    }
}

final class IfStmt: Stmt {
    let conditions: [Condition]
    let then: [Stmt]
    let otherwise: [Stmt]?
    /// The condition when it is one plain expression (the common case),
    /// kept non-optional so that evaluating it needs no reference counting.
    let single: Expr
    let isSingle: Bool
    init(conditions: [Condition], then: [Stmt], otherwise: [Stmt]?) {
        self.conditions = conditions
        self.then = then
        self.otherwise = otherwise
        if conditions.count == 1, case .expr(let e) = conditions[0] {
            single = e
            isSingle = true
        } else {
            single = LiteralExpr(.bool(false), range: .unknown)
            isSingle = false
        }
    }
    func exec(_ rt: Runtime, _ f: Frame) throws -> Flow {
        if isSingle {
            let e = single
            let c = try e.eval(rt, f)
            guard case .bool(let b) = c else { _ = try Conditions.bool(c, at: e.range); return .normal }
            if b { return try execBlock(then, rt, f) }
            if let otherwise { return try execBlock(otherwise, rt, f) }
            return .normal
        }
        if try Condition.all(conditions, rt, f) { return try execBlock(then, rt, f) }
        if let otherwise { return try execBlock(otherwise, rt, f) }
        return .normal
    }
}

final class GuardStmt: Stmt {
    let conditions: [Condition]
    let otherwise: [Stmt]
    let range: SourceRange
    /// At the top of a cell: its body must stop the cell.
    let topLevel: Bool
    init(conditions: [Condition], otherwise: [Stmt], range: SourceRange, topLevel: Bool = false) {
        self.conditions = conditions
        self.otherwise = otherwise
        self.range = range
        self.topLevel = topLevel
    }
    func exec(_ rt: Runtime, _ f: Frame) throws -> Flow {
        if try Condition.all(conditions, rt, f) { return .normal }
        let flow = try execBlock(otherwise, rt, f)
        if case .normal = flow { throw fellThrough }
        return flow
    }

    /// The error when the body ends without leaving the scope.
    var fellThrough: CellError {
        if topLevel {
            return CellError.type("'guard' body must not fall through; at the top of a cell, end it with fatalError(\"…\") or 'throw'",
                                  at: range)
        }
        return CellError.type("'guard' body must not fall through; use 'return', 'break' or 'continue' to exit the scope",
                              at: range)
    }
}

/// What a loop does with the flow its body ended in.
@inline(__always)
func loopControl(_ flow: Flow, label: String?, _ rt: Runtime) -> (stop: Bool, result: Flow?) {
    switch flow {
    case .normal: return (false, nil)
    case .breakLoop:
        if rt.jumpLabel == nil || rt.jumpLabel == label {
            rt.jumpLabel = nil
            return (true, .normal)
        }
        return (true, flow)
    case .continueLoop:
        if rt.jumpLabel == nil || rt.jumpLabel == label {
            rt.jumpLabel = nil
            return (false, nil)
        }
        return (true, flow)
    case .returned: return (true, flow)
    }
}

final class WhileStmt: Stmt {
    let conditions: [Condition]
    let body: [Stmt]
    let label: String?
    let range: SourceRange
    init(conditions: [Condition], body: [Stmt], label: String?, range: SourceRange) {
        self.conditions = conditions
        self.body = body
        self.label = label
        self.range = range
    }
    func exec(_ rt: Runtime, _ f: Frame) throws -> Flow {
        while try Condition.all(conditions, rt, f) {
            try rt.tick(at: range)
            let (stop, result) = loopControl(try execBlock(body, rt, f), label: label, rt)
            if stop { return result ?? .normal }
        }
        return .normal
    }
}

final class RepeatStmt: Stmt {
    let body: [Stmt]
    let condition: Expr
    let label: String?
    let range: SourceRange
    init(body: [Stmt], condition: Expr, label: String?, range: SourceRange) {
        self.body = body
        self.condition = condition
        self.label = label
        self.range = range
    }
    func exec(_ rt: Runtime, _ f: Frame) throws -> Flow {
        repeat {
            try rt.tick(at: range)
            let (stop, result) = loopControl(try execBlock(body, rt, f), label: label, rt)
            if stop { return result ?? .normal }
        } while try Conditions.bool(condition.eval(rt, f), at: condition.range)
        return .normal
    }
}

final class ForInStmt: Stmt {
    let target: BindTarget
    let sequence: Expr
    let filter: Expr?
    let body: [Stmt]
    let label: String?
    let range: SourceRange
    init(target: BindTarget, sequence: Expr, filter: Expr?, body: [Stmt], label: String?, range: SourceRange) {
        self.target = target
        self.sequence = sequence
        self.filter = filter
        self.body = body
        self.label = label
        self.range = range
    }

    func exec(_ rt: Runtime, _ f: Frame) throws -> Flow {
        let seq = try sequence.eval(rt, f)
        if case .range(let lo, let hi, let closed) = seq, case .local(let slot) = target {
            if !closed && lo >= hi { return .normal }
            if closed && lo > hi { return .normal }
            let last = closed ? hi : hi - 1
            var i = lo
            while true {
                f.slots[slot] = .int(i)
                try rt.tick(at: range)
                if let exit = try step(rt, f) { return exit }
                if i == last { break }
                i += 1
            }
            return .normal
        }
        let items: [Value]
        do { items = try Sequences.elements(of: seq, rt) } catch let e as CellError { throw e.located(sequence.range) }
        for item in items {
            try target.bind(item, rt, f, at: range)
            try rt.tick(at: range)
            if let exit = try step(rt, f) { return exit }
        }
        return .normal
    }

    /// Runs the body once; the flow to leave the loop with, or nil to go on.
    @inline(__always)
    private func step(_ rt: Runtime, _ f: Frame) throws -> Flow? {
        if let filter, !(try Conditions.bool(filter.eval(rt, f), at: filter.range)) { return nil }
        let (stop, result) = loopControl(try execBlock(body, rt, f), label: label, rt)
        return stop ? (result ?? .normal) : nil
    }
}

extension Flow {
    var isNormal: Bool {
        if case .normal = self { return true }
        return false
    }
}

final class BreakStmt: Stmt {
    let label: String?
    init(label: String?) { self.label = label }
    func exec(_ rt: Runtime, _ f: Frame) throws -> Flow {
        rt.jumpLabel = label
        return .breakLoop
    }
}

final class ContinueStmt: Stmt {
    let label: String?
    init(label: String?) { self.label = label }
    func exec(_ rt: Runtime, _ f: Frame) throws -> Flow {
        rt.jumpLabel = label
        return .continueLoop
    }
}

final class BlockStmt: Stmt {
    let body: [Stmt]
    init(body: [Stmt]) { self.body = body }
    func exec(_ rt: Runtime, _ f: Frame) throws -> Flow { try execBlock(body, rt, f) }
}

/// A pattern in a `switch` case.
indirect enum Pattern {
    case wildcard
    case bind(BindTarget)
    case expr(Expr)
    case tuple([Pattern])
    case some(Pattern)
    /// `.measured(let length, let weight)`: an enum case and patterns for its associated values.
    case enumCase(String, [Pattern]?)
    /// `is T` (then `.wildcard`) and `let e as T`: the value converted to `T`, matched by the pattern.
    case cast(Pattern, TypeRef)

    func matches(_ v: Value, _ rt: Runtime, _ f: Frame, at range: SourceRange) throws -> Bool {
        switch self {
        case .wildcard: return true
        case .bind(let t):
            try t.bind(v, rt, f, at: range)
            return true
        case .some(let p):
            guard case .optional(let w) = v, let w else { return false }
            return try p.matches(w, rt, f, at: range)
        case .enumCase(let name, let ps):
            return try UserTypeRefs.matchCase(v, name, ps, rt, f, at: range)
        case .cast(let p, let type):
            guard let converted = type.coerce(v, literal: false) else { return false }
            return try p.matches(converted, rt, f, at: range)
        case .tuple(let ps):
            guard case .tuple(let t) = v, t.elements.count == ps.count else { return false }
            for (p, e) in zip(ps, t.elements) where !(try p.matches(e, rt, f, at: range)) { return false }
            return true
        case .expr(let e):
            let p = try e.eval(rt, f)
            switch (p, v) {
            case (.range(let lo, let hi, let closed), .int(let x)):
                return x >= lo && (closed ? x <= hi : x < hi)
            case (.doubleRange(let lo, let hi, let closed), .double(let x)):
                return x >= lo && (closed ? x <= hi : x < hi)
            case (.doubleRange(let lo, let hi, let closed), .int(let i)):
                let x = Double(i)
                return x >= lo && (closed ? x <= hi : x < hi)
            default:
                if p == v { return true }
                // `case .none:` on an optional that holds nothing.
                if case .symbol("none") = p, case .optional(nil) = v { return true }
                // `.wed` or an implicit case of another enum; `Light.off` may meet a `Door` in an `Any`.
                if e is SymbolExpr || e is ImplicitCaseExpr, let unknown = UserTypeRefs.foreignCase(p, v, at: e.range) { throw unknown }
                return false
            }
        }
    }
}

final class SwitchStmt: Stmt {
    struct Case {
        var patterns: [(Pattern, Expr?)]
        var body: [Stmt]
    }
    let subject: Expr
    let cases: [Case]
    let label: String?
    let range: SourceRange
    init(subject: Expr, cases: [Case], label: String?, range: SourceRange) {
        self.subject = subject
        self.cases = cases
        self.label = label
        self.range = range
    }
    func exec(_ rt: Runtime, _ f: Frame) throws -> Flow {
        let v = try subject.eval(rt, f)
        for c in cases {
            for (p, guardExpr) in c.patterns {
                guard try p.matches(v, rt, f, at: subject.range) else { continue }
                if let guardExpr, !(try Conditions.bool(guardExpr.eval(rt, f), at: guardExpr.range)) { continue }
                let flow = try execBlock(c.body, rt, f)
                if case .breakLoop = flow, rt.jumpLabel == nil || rt.jumpLabel == label {
                    rt.jumpLabel = nil
                    return .normal
                }
                return flow
            }
        }
        throw Self.noMatch(v, at: subject.range)
    }

    static func noMatch(_ v: Value, at range: SourceRange) -> CellError {
        CellError.value("no case of the switch matched \(v.debugDescription)", at: range)
    }
}
