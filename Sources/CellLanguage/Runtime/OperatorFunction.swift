/// An operator used as a function value: `xs.reduce(0, +)`, `sorted(by: >)`.
final class OperatorFunction: Callable {
    let op: BinaryOp
    init(op: BinaryOp) {
        self.op = op
        super.init(name: op.rawValue)
    }
    override var typeDescription: String { "(Any, Any) -> Any" }
    override func invoke(_ args: [Value], _ rt: Runtime) throws -> Value {
        guard args.count == 2 else {
            throw CellError.type("operator '\(op.rawValue)' takes 2 arguments but was called with \(args.count)")
        }
        return try Arithmetic.apply(op, args[0], args[1], promoteLeft: true, promoteRight: true, at: .unknown)
    }
    override func invoke(_ x: Value, _ y: Value, _ rt: Runtime) throws -> Value {
        // Two Ints (`reduce(0, +)` over [Int]) without the general operand switch.
        if case .int(let a) = x, case .int(let b) = y { return try Arithmetic.int(op, a, b, at: .unknown) }
        return try Arithmetic.apply(op, x, y, promoteLeft: true, promoteRight: true, at: .unknown)
    }
    override func call(_ args: [Value], labels: [String?], literals: [Bool], ranges: [SourceRange],
                       callRange: SourceRange, _ rt: Runtime) throws -> Value {
        do { return try invoke(args, rt) } catch let e as CellError { throw e.located(callRange) }
    }
}
