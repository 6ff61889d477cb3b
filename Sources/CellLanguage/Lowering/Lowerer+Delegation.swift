import SwiftSyntax

extension Lowerer {
    /// `self.init(…)`: only an initializer may delegate to another of its type.
    func lowerSelfInit(_ args: [Expr], _ labels: [String?], _ m: MemberAccessExprSyntax, range r: SourceRange) throws -> Expr {
        guard let ctx = typeContext, !ctx.isStatic, let failable = scope.failableInit, let place = selfPlace(range: range(m))
        else {
            throw CellError(.syntaxError, "'self.init' can only be called inside an initializer", at: range(m),
                            notes: ["to make a new value, write the type's name: TypeName(…)"])
        }
        let call = SelfInitExpr(type: ctx.type, selfPlace: place, args: args, labels: labels, isFailable: failable,
                                covered: tryDepth > 0, range: r)
        delegations.append(call)
        return call
    }

    /// After a type's members are lowered: a `self.init(…)` that Swift
    /// refuses (a non-failable initializer delegating to an `init?`, a
    /// throwing initializer without `try`) stops the cell before it runs.
    func checkDelegations(of type: UserType) throws {
        let mine = delegations.filter { $0.type === type }
        delegations.removeAll { $0.type === type }
        for call in mine {
            guard let decl = call.matchingInit(in: type.inits) else { continue }
            if let problem = call.problem(delegatingTo: decl) { throw problem }
        }
    }
}
