/// `_ = value`.
final class DiscardExpr: Expr {
    let value: Expr
    let range: SourceRange
    init(value: Expr, range: SourceRange) {
        self.value = value
        self.range = range
    }
    func eval(_ rt: Runtime, _ f: Frame) throws -> Value {
        _ = try value.eval(rt, f)
        return .void
    }
}

/// `(a, b) = (b, a)`.
final class TupleAssignExpr: Expr {
    let places: [Place?]
    let value: Expr
    let range: SourceRange
    init(places: [Place?], value: Expr, range: SourceRange) {
        self.places = places
        self.value = value
        self.range = range
    }
    func eval(_ rt: Runtime, _ f: Frame) throws -> Value {
        let v = try value.eval(rt, f)
        guard case .tuple(let t) = v, t.elements.count == places.count else {
            throw CellError.type("cannot assign a value of type '\(v.typeName)' to a tuple of \(places.count) elements",
                                 at: value.range)
        }
        for (place, new) in zip(places, t.elements) {
            guard let place else { continue }
            try place.modify(rt, f) { old in
                guard let c = Place.fit(new, replacing: old, literal: false) else {
                    throw CellError.type("cannot assign value of type '\(new.typeName)' to type '\(old.typeName)'",
                                         at: self.range)
                }
                old = c
            }
        }
        return .void
    }
}

/// `&rng`: only objects (random generators) can be passed this way; they
/// are references, so the callee's changes are seen by the caller.
final class InOutArgumentExpr: Expr {
    let operand: Expr
    let range: SourceRange
    init(operand: Expr, range: SourceRange) {
        self.operand = operand
        self.range = range
    }
    func eval(_ rt: Runtime, _ f: Frame) throws -> Value {
        let v = try operand.eval(rt, f)
        if case .object = v { return v }
        throw CellError(.unsupported, "inout arguments (&) are supported only for random generators; return the new value instead",
                        at: range)
    }
}
