/// `self.init(…)` inside an initializer: another initializer of the same
/// type makes `self` (Swift's delegating, or convenience, initializers).
/// Evaluates to `true` when a failable initializer it delegated to gave nil.
final class SelfInitExpr: Expr {
    let type: UserType
    let selfPlace: Place
    let args: [Expr]
    let labels: [String?]
    let literals: [Bool]
    let ranges: [SourceRange]
    /// Whether the initializer that delegates is an `init?` (it may pass nil on).
    let isFailable: Bool
    /// Whether a `try` covers the call (a throwing initializer needs one).
    let covered: Bool
    let range: SourceRange

    init(type: UserType, selfPlace: Place, args: [Expr], labels: [String?], isFailable: Bool, covered: Bool,
         range: SourceRange) {
        self.type = type
        self.selfPlace = selfPlace
        self.args = args
        self.labels = labels
        self.literals = args.map(\.isLiteral)
        self.ranges = args.map(\.range)
        self.isFailable = isFailable
        self.covered = covered
        self.range = range
    }

    /// What Swift refuses about delegating to `decl`: a non-failable
    /// initializer delegating to an `init?`, a throwing one without `try`.
    /// The lowerer asks once the type's initializers are known, so that the
    /// cell does not run; `eval` asks again for what it could not decide.
    func problem(delegatingTo decl: FunctionDecl) -> CellError? {
        let shown = "init(" + decl.parameters.map { ($0.label ?? "_") + ":" }.joined() + ")"
        if decl.isFailable && !isFailable {
            return CellError.type("a non-failable initializer cannot delegate to failable initializer '\(shown)' written with 'init?'",
                                  at: range, notes: ["write init?(…) here too, so that nil is passed on"])
        }
        if decl.isThrowing && !covered {
            return CellError(.syntaxError, "call can throw but is not marked with 'try'; write 'try self.init(…)'", at: range)
        }
        return nil
    }

    /// The initializer of `inits` whose labels this call matches; nil when none does yet
    /// (an extension declared later may add it: the run decides).
    func matchingInit(in inits: [FunctionDecl]) -> FunctionDecl? {
        inits.first { if case .success = ArgumentMatcher.match($0.parameters, labels: labels) { return true } else { return false } }
    }

    func eval(_ rt: Runtime, _ f: Frame) throws -> Value {
        guard !type.inits.isEmpty else {
            throw CellError.type("type '\(type.name)' has no initializer of its own to delegate to", at: range,
                                 notes: ["write another init(…) in '\(type.name)' first"])
        }
        let decl = UserTypes.chooseInit(type.inits, labels: labels)
        if let problem = problem(delegatingTo: decl) { throw problem }
        let argv = try evalArguments(args, rt, f)
        if type.isClass {
            // The object exists already: the other initializer sets its properties.
            var me = try selfPlace.modify(rt, f) { $0 }
            let r = try UserTypes.invoke(decl, of: type, self: &me, args: argv, labels: labels, literals: literals,
                                         ranges: ranges, callRange: range, rt)
            if decl.isFailable, case .optional(nil) = r { return .bool(true) }
            return .bool(false)
        }
        let made = try UserTypes.construct(type, args: argv, labels: labels, literals: literals, ranges: ranges,
                                           callRange: range, rt)
        var value = made
        if decl.isFailable {
            guard case .optional(let v?) = made else { return .bool(true) }
            value = v
        }
        try selfPlace.modify(rt, f) { $0 = value }
        return .bool(false)
    }
}

/// `self.init(…)` as a statement: when the initializer it delegates to
/// gives nil, this (failable) initializer returns nil too.
final class SelfInitStmt: Stmt {
    let call: SelfInitExpr
    init(_ call: SelfInitExpr) { self.call = call }

    func exec(_ rt: Runtime, _ f: Frame) throws -> Flow {
        guard case .bool(true) = try call.eval(rt, f) else { return .normal }
        rt.returnValue = .optional(nil)
        return .returned
    }
}
