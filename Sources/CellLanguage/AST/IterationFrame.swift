/// The body of a loop whose names a closure captures: each iteration runs in
/// a frame of its own, so that a closure made in one iteration keeps that
/// iteration's variables (as Swift gives every iteration its own binding).
/// The names the loop's header bound (`for i`, `while let x`) are copied in
/// first. Loops whose names no closure uses run their body in place.
final class IterationFrameStmt: Stmt {
    let size: Int
    /// (slot in the loop's frame, slot in the iteration's frame).
    let copies: [(from: Int, to: Int)]
    let body: [Stmt]
    init(size: Int, copies: [(from: Int, to: Int)], body: [Stmt]) {
        self.size = size
        self.copies = copies
        self.body = body
    }

    func exec(_ rt: Runtime, _ f: Frame) throws -> Flow {
        let g = Frame(size: size, parent: f)
        for (from, to) in copies { g.slots[to] = f.slots[from] }
        return try execBlock(body, rt, g)
    }
}

/// `for case pattern in items where …`: whether the element (in a hidden
/// slot) matches, binding the pattern's names; the loop's filter.
final class CaseFilterExpr: Expr {
    let conditions: [Condition]
    let range: SourceRange
    init(conditions: [Condition], range: SourceRange) {
        self.conditions = conditions
        self.range = range
    }
    func eval(_ rt: Runtime, _ f: Frame) throws -> Value { .bool(try Condition.all(conditions, rt, f)) }
}
