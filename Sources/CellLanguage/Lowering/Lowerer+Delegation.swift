import SwiftSyntax

extension Lowerer {
    /// `self.init(…)`: only an initializer may delegate to another of its type.
    func lowerSelfInit(_ args: [Expr], _ labels: [String?], _ m: MemberAccessExprSyntax, range r: SourceRange) throws -> Expr {
        guard let ctx = typeContext, !ctx.isStatic, let failable = scope.failableInit, let place = selfPlace(range: range(m))
        else {
            throw CellError(.syntaxError, "'self.init' can only be called inside an initializer", at: range(m),
                            notes: ["to make a new value, write the type's name: TypeName(…)"])
        }
        return SelfInitExpr(type: ctx.type, selfPlace: place, args: args, labels: labels, isFailable: failable,
                            covered: tryDepth > 0, range: r)
    }
}
