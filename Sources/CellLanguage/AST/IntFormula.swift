/// `{ $0 * 2 }`, `{ $0 % 3 == 0 }`, `{ $0 > $1 }`: a pure closure of one or
/// two parameters (`FunctionDecl.isPureExpression`) whose body is Int
/// arithmetic, comparisons and logic on its parameters and literals, as a
/// short postfix program. `map`, `filter` and `sorted(by:)` run it on Int
/// arguments instead of walking the tree for every element.
///
/// It gives exactly the tree's value or nil: overflow, division by zero and a
/// shift past the edge all return nil, and the caller then evaluates that
/// element on the tree, which reports the error (or, past a `&&` or `||`
/// that the program does not short-circuit, finds no error at all).
final class IntFormula {
    enum Step {
        case first, second
        case constant(Int)
        case binary(BinaryOp)
        case and, or, not, negate
    }

    private let steps: UnsafeMutablePointer<Step>
    private let count: Int
    /// The most values on the stack at once.
    private let depth: Int
    /// The result is a Bool (kept as 0 or 1), not an Int.
    private let givesBool: Bool

    /// The formula of `e`, whose parameters are the frame slots `parameters`
    /// (at most two), each an untyped or Int parameter; nil when `e` is
    /// anything else.
    static func make(_ e: Expr, parameters: [Int], fast: [FastType]) -> IntFormula? {
        guard !parameters.isEmpty, parameters.count <= 2,
              fast.allSatisfy({ if case .any = $0 { return true }; if case .int = $0 { return true }; return false })
        else { return nil }
        var steps: [Step] = []
        var depth = 0, deepest = 0
        /// Appends `e`'s steps; true when its value is a Bool, nil when it has no formula.
        func add(_ e: Expr) -> Bool? {
            switch e {
            case let g as LocalGet:
                guard let k = parameters.firstIndex(of: g.index) else { return nil }
                steps.append(k == 0 ? .first : .second)
                depth += 1
                deepest = max(deepest, depth)
                return false
            case let l as LiteralExpr:
                switch l.value {
                case .int(let k): steps.append(.constant(k))
                case .bool(let b): steps.append(.constant(b ? 1 : 0))
                default: return nil
                }
                depth += 1
                deepest = max(deepest, depth)
                if case .bool = l.value { return true }
                return false
            case let b as BinaryExpr:
                // Both sides of one type; Bools only compared with == and !=.
                guard let left = add(b.lhs), let right = add(b.rhs), left == right,
                      !left || b.op == .eq || b.op == .ne else { return nil }
                steps.append(.binary(b.op))
                depth -= 1
                switch b.op {
                case .eq, .ne, .lt, .le, .gt, .ge: return true
                default: return false
                }
            case let l as LogicalExpr:
                guard add(l.lhs) == true, add(l.rhs) == true else { return nil }
                steps.append(l.isAnd ? .and : .or)
                depth -= 1
                return true
            case let n as NotExpr:
                guard add(n.operand) == true else { return nil }
                steps.append(.not)
                return true
            case let n as NegateExpr:
                guard add(n.operand) == false else { return nil }
                steps.append(.negate)
                return false
            default:
                return nil
            }
        }
        guard let bool = add(e), depth == 1 else { return nil }
        return IntFormula(steps, depth: deepest, givesBool: bool)
    }

    /// The shapes closures mostly have, run without the stack.
    private enum Shape {
        /// `$0 * 2`: a parameter (0 or 1) and a constant.
        case withConstant(Int, BinaryOp, Int)
        /// `$0 % 3 == 0`: that, then another constant.
        case twoConstants(Int, BinaryOp, Int, BinaryOp, Int)
        /// `$0 > $1`, `$1 < $0`: the two parameters in the order given.
        case parameters(Int, BinaryOp, Int)
        case general
    }
    private let shape: Shape

    private init(_ steps: [Step], depth: Int, givesBool: Bool) {
        func parameter(_ s: Step) -> Int? {
            switch s {
            case .first: return 0
            case .second: return 1
            default: return nil
            }
        }
        switch steps.count {
        case 3:
            if let p = parameter(steps[0]), case .constant(let k) = steps[1], case .binary(let op) = steps[2] {
                shape = .withConstant(p, op, k)
            } else if let p = parameter(steps[0]), let q = parameter(steps[1]), case .binary(let op) = steps[2] {
                shape = .parameters(p, op, q)
            } else {
                shape = .general
            }
        case 5:
            if let p = parameter(steps[0]), case .constant(let k) = steps[1], case .binary(let op) = steps[2],
               case .constant(let k2) = steps[3], case .binary(let op2) = steps[4] {
                shape = .twoConstants(p, op, k, op2, k2)
            } else {
                shape = .general
            }
        default:
            shape = .general
        }
        count = steps.count
        self.steps = UnsafeMutablePointer<Step>.allocate(capacity: max(count, 1))
        self.steps.initialize(from: steps, count: count)
        self.depth = depth
        self.givesBool = givesBool
    }

    deinit {
        steps.deinitialize(count: count)
        steps.deallocate()
    }

    /// The value for the arguments `x` and `y` (ignored by a formula of one
    /// parameter), or nil where the tree would report an error.
    func value(_ x: Int, _ y: Int) -> Value? {
        let result: Int?
        switch shape {
        case .withConstant(let p, let op, let k):
            result = IntFormula.int(op, p == 0 ? x : y, k)
        case .twoConstants(let p, let op, let k, let op2, let k2):
            result = IntFormula.int(op, p == 0 ? x : y, k).flatMap { IntFormula.int(op2, $0, k2) }
        case .parameters(let p, let op, let q):
            result = IntFormula.int(op, p == 0 ? x : y, q == 0 ? x : y)
        case .general:
            result = stacked(x, y)
        }
        guard let result else { return nil }
        return givesBool ? .bool(result != 0) : .int(result)
    }

    private func stacked(_ x: Int, _ y: Int) -> Int? {
        withUnsafeTemporaryAllocation(of: Int.self, capacity: depth) { stack -> Int? in
            guard let s = stack.baseAddress else { return nil }
            var top = -1
            for j in 0..<count {
                switch steps[j] {
                case .first:
                    top &+= 1
                    s[top] = x
                case .second:
                    top &+= 1
                    s[top] = y
                case .constant(let k):
                    top &+= 1
                    s[top] = k
                case .binary(let op):
                    guard let v = IntFormula.int(op, s[top &- 1], s[top]) else { return nil }
                    top &-= 1
                    s[top] = v
                case .and:
                    top &-= 1
                    s[top] &= s[top &+ 1]
                case .or:
                    top &-= 1
                    s[top] |= s[top &+ 1]
                case .not:
                    s[top] ^= 1
                case .negate:
                    guard s[top] != .min else { return nil }
                    s[top] = -s[top]
                }
            }
            return s[0]
        }
    }

    /// `Arithmetic.int` without its errors (nil instead); comparisons give 0 or 1.
    @inline(__always)
    private static func int(_ op: BinaryOp, _ x: Int, _ y: Int) -> Int? {
        switch op {
        case .add:
            let (r, o) = x.addingReportingOverflow(y)
            return o ? nil : r
        case .sub:
            let (r, o) = x.subtractingReportingOverflow(y)
            return o ? nil : r
        case .mul:
            let (r, o) = x.multipliedReportingOverflow(by: y)
            return o ? nil : r
        case .div:
            if y == 0 { return nil }
            let (r, o) = x.dividedReportingOverflow(by: y)
            return o ? nil : r
        case .rem:
            if y == 0 { return nil }
            let (r, o) = x.remainderReportingOverflow(dividingBy: y)
            return o ? nil : r
        case .bitAnd: return x & y
        case .bitOr: return x | y
        case .bitXor: return x ^ y
        case .shl: return y >= 64 || y <= -64 ? 0 : x << y
        case .shr: return y >= 64 ? (x < 0 ? -1 : 0) : (y <= -64 ? 0 : x >> y)
        case .eq: return x == y ? 1 : 0
        case .ne: return x != y ? 1 : 0
        case .lt: return x < y ? 1 : 0
        case .le: return x <= y ? 1 : 0
        case .gt: return x > y ? 1 : 0
        case .ge: return x >= y ? 1 : 0
        }
    }
}
