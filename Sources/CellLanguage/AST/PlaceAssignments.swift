// Assignment and compound assignment to a `Place` (`grid[i][j] = x`, `p.x += 1`).

final class AssignExpr: Expr {
    let place: Place
    let value: Expr
    let range: SourceRange
    init(place: Place, value: Expr, range: SourceRange) {
        self.place = place
        self.value = value
        self.range = range
    }
    func eval(_ rt: Runtime, _ f: Frame) throws -> Value {
        let new = try value.eval(rt, f)
        try place.modify(rt, f) { old in try store(new, into: &old) }
        return .void
    }

    /// Puts `new` in the place's value `old`, checked against the variable's
    /// declared type, or else against the type of the value it replaces.
    func store(_ new: Value, into old: inout Value) throws {
        // An Int, Double or Bool replacing one of its own type passes as `fit` would pass it.
        if place.declaredType == nil || !place.steps.isEmpty, Place.sameScalar(new, old) {
            old = new
            return
        }
        let literal = value.isLiteral
        if place.steps.isEmpty, let t = place.declaredType {
            guard let c = t.coerce(new, literal: literal) else {
                throw Place.misfit(new, t.description, at: value.range)
            }
            old = c
            return
        }
        if place.holdsAnything {
            old = new
            return
        }
        guard let c = Place.fit(new, replacing: old, literal: literal) else {
            throw Place.misfit(new, old.typeName, at: value.range)
        }
        old = c
    }
}

final class CompoundAssignExpr: Expr {
    let place: Place
    let op: BinaryOp
    let value: Expr
    let range: SourceRange
    init(place: Place, op: BinaryOp, value: Expr, range: SourceRange) {
        self.place = place
        self.op = op
        self.value = value
        self.range = range
    }
    func eval(_ rt: Runtime, _ f: Frame) throws -> Value {
        let rhs = try value.eval(rt, f)
        // Fast path: `total += i` on a plain Int variable.
        if case .int(let b) = rhs, place.steps.isEmpty {
            switch place.root {
            case .local(let i):
                if case .int(let a) = f.slots[i] {
                    f.slots[i] = try Arithmetic.int(op, a, b, at: range)
                    return .void
                }
            case .global(let slot):
                if slot.isDefined, case .int(let a) = slot.value {
                    slot.value = try Arithmetic.int(op, a, b, at: range)
                    return .void
                }
            case .outer: break
            }
        }
        let promote = value.isIntegerLiteral
        let op = self.op
        let range = self.range
        try place.modify(rt, f) { v in try CompoundAssignExpr.combine(&v, rhs, op: op, promote: promote, at: range) }
        return .void
    }

    /// `v op= rhs` in place: Int arithmetic, array and string appends, then
    /// any operator whose result has the variable's type.
    static func combine(_ v: inout Value, _ rhs: Value, op: BinaryOp, promote: Bool, at range: SourceRange) throws {
        if case .int(let a) = v, case .int(let b) = rhs {
            v = try Arithmetic.int(op, a, b, at: range)
            return
        }
        if op == .add {
            // `v` is emptied once its storage is bound (no second reference,
            // such as a switch over a copy of `v` held), so that appending
            // does not copy it: a string or array grown by `+=` stays linear.
            if case .array(let more) = rhs, case .array(var items) = v {
                v = .void
                defer { v = .array(items) }
                try Memory.charge(Memory.growth(of: &items, adding: more.count), "appending to this array", at: range)
                items.append(contentsOf: more)
                return
            }
            if case .string(let more) = rhs, case .string(var s) = v {
                v = .void
                defer { v = .string(s) }
                try Memory.charge(Memory.textGrowth(s.utf8.count, adding: more.utf8.count), "appending to this string", at: range)
                s += more
                return
            }
        }
        let r: Value
        do {
            r = try Arithmetic.apply(op, v, rhs, promoteLeft: false, promoteRight: promote, at: range)
        } catch var error as CellError {
            // Name the operator as written: `s += 1` is '+=', as Swift says.
            let plain = "binary operator '\(op.rawValue)' "
            if error.message.hasPrefix(plain) {
                error.message = "binary operator '\(op.rawValue)=' " + error.message.dropFirst(plain.count)
            }
            throw error
        }
        guard Place.fit(r, replacing: v, literal: false) != nil else {
            throw CellError.type("cannot assign value of type '\(r.typeName)' to type '\(v.typeName)'", at: range)
        }
        v = r
    }
}
