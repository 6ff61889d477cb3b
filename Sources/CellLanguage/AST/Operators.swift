import Foundation

enum BinaryOp: String {
    case add = "+", sub = "-", mul = "*", div = "/", rem = "%"
    case bitAnd = "&", bitOr = "|", bitXor = "^", shl = "<<", shr = ">>"
    case eq = "==", ne = "!=", lt = "<", le = "<=", gt = ">", ge = ">="
}

/// Arithmetic and comparison shared by binary expressions and compound
/// assignment: overflow and division by zero are errors, as in Swift.
enum Arithmetic {
    static func apply(_ op: BinaryOp, _ a: Value, _ b: Value, promoteLeft: Bool, promoteRight: Bool,
                      at range: SourceRange) throws -> Value {
        switch (a, b) {
        case (.int(let x), .int(let y)): return try int(op, x, y, at: range)
        case (.double(let x), .double(let y)): return try double(op, x, y, at: range)
        case (.int(let x), .double(let y)) where promoteLeft: return try double(op, Double(x), y, at: range)
        case (.double(let x), .int(let y)) where promoteRight: return try double(op, x, Double(y), at: range)
        // `x < .infinity`: the other operand's type names the constant.
        case (.int, .symbol(let s)), (.double, .symbol(let s)):
            if let r = Value.implicitMember(s, of: a.typeName) {
                return try apply(op, a, r, promoteLeft: promoteLeft, promoteRight: promoteRight, at: range)
            }
        case (.symbol(let s), .int), (.symbol(let s), .double):
            if let l = Value.implicitMember(s, of: b.typeName) {
                return try apply(op, l, b, promoteLeft: promoteLeft, promoteRight: promoteRight, at: range)
            }
        default: break
        }
        switch op {
        case .eq: return .bool(try UserTypes.comparing(a) { a == b })
        case .ne: return .bool(try UserTypes.comparing(a) { a != b })
        case .lt, .le, .gt, .ge:
            if case .optional = a { throw unwrapError(a, at: range) }
            if case .optional = b { throw unwrapError(b, at: range) }
            if sameKind(a, b) || isNumericMix(a, b, promoteLeft, promoteRight),
               let lt = Value.less(a, b), let gt = Value.less(b, a) {
                switch op {
                case .lt: return .bool(lt)
                case .le: return .bool(!gt)
                case .gt: return .bool(gt)
                default: return .bool(!lt)
                }
            }
        case .add:
            switch (a, b) {
            case (.string(let x), .string(let y)):
                try Memory.charge(Memory.text(Memory.sum(x.utf8.count, y.utf8.count)), "joining these two strings", at: range)
                return .string(x + y)
            case (.array(let x), .array(let y)):
                try Memory.charge(Memory.values(Memory.sum(x.count, y.count)), "joining these two arrays", at: range)
                return .array(x + y)
            default: break
            }
        default: break
        }
        if let r = try UserTypes.binary(op.rawValue, a, b, at: range) { return r }
        if case .optional = a { throw unwrapError(a, at: range) }
        if case .optional = b { throw unwrapError(b, at: range) }
        var notes: [String] = []
        if isNumericMix(a, b, true, true) {
            notes.append("convert one side, e.g. Double(n), to mix Int and Double")
        }
        if case .void = a { notes.append(voidNote) } else if case .void = b { notes.append(voidNote) }
        throw CellError.type("binary operator '\(op.rawValue)' cannot be applied to operands of type '\(a.typeName)' and '\(b.typeName)'",
                             at: range, notes: notes)
    }

    /// Why an operand can be Void: `var z: Int` read before anything was
    /// assigned to it, or the result of a function that returns nothing.
    static let voidNote = "a 'Void' operand is a variable declared without a value and not assigned yet, "
        + "or the result of a function that returns nothing"

    static func unwrapError(_ v: Value, at range: SourceRange) -> CellError {
        // A nil has no wrapped type to name (`d["missing"] + 1`).
        let message = if case .optional(nil) = v {
            "value of optional type must be unwrapped before it is used here (it is nil)"
        } else {
            "value of optional type '\(v.typeName)' must be unwrapped to a value of type '\(String(v.typeName.dropLast()))'"
        }
        return CellError.type(message, at: range, notes: ["use 'if let', '??' or '!' to unwrap it"])
    }

    private static func sameKind(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case (.int, .int), (.double, .double), (.string, .string), (.bool, .bool), (.tuple, .tuple): return true
        default: return false
        }
    }

    private static func isNumericMix(_ a: Value, _ b: Value, _ pl: Bool, _ pr: Bool) -> Bool {
        switch (a, b) {
        case (.int, .double): return pl
        case (.double, .int): return pr
        default: return false
        }
    }

    @inline(__always)
    static func int(_ op: BinaryOp, _ x: Int, _ y: Int, at range: SourceRange) throws -> Value {
        switch op {
        case .add:
            let (r, o) = x.addingReportingOverflow(y)
            if o { throw overflow("+", x, y, range) }
            return .int(r)
        case .sub:
            let (r, o) = x.subtractingReportingOverflow(y)
            if o { throw overflow("-", x, y, range) }
            return .int(r)
        case .mul:
            let (r, o) = x.multipliedReportingOverflow(by: y)
            if o { throw overflow("*", x, y, range) }
            return .int(r)
        case .div:
            if y == 0 { throw CellError(.zeroDivisionError, "division by zero", at: range) }
            let (r, o) = x.dividedReportingOverflow(by: y)
            if o { throw overflow("/", x, y, range) }
            return .int(r)
        case .rem:
            if y == 0 { throw CellError(.zeroDivisionError, "division by zero in remainder operation", at: range) }
            let (r, o) = x.remainderReportingOverflow(dividingBy: y)
            if o { throw overflow("%", x, y, range) }
            return .int(r)
        case .bitAnd: return .int(x & y)
        case .bitOr: return .int(x | y)
        case .bitXor: return .int(x ^ y)
        case .shl: return .int(y >= 64 || y <= -64 ? 0 : x << y)
        case .shr: return .int(y >= 64 ? (x < 0 ? -1 : 0) : (y <= -64 ? 0 : x >> y))
        case .eq: return .bool(x == y)
        case .ne: return .bool(x != y)
        case .lt: return .bool(x < y)
        case .le: return .bool(x <= y)
        case .gt: return .bool(x > y)
        case .ge: return .bool(x >= y)
        }
    }

    private static func overflow(_ op: String, _ x: Int, _ y: Int, _ range: SourceRange) -> CellError {
        CellError(.overflowError, "arithmetic overflow: \(x) \(op) \(y) does not fit in an Int", at: range)
    }

    static func double(_ op: BinaryOp, _ x: Double, _ y: Double, at range: SourceRange) throws -> Value {
        switch op {
        case .add: return .double(x + y)
        case .sub: return .double(x - y)
        case .mul: return .double(x * y)
        case .div: return .double(x / y)
        case .rem:
            throw CellError.type("'%' is unavailable for Double: use truncatingRemainder(dividingBy:)", at: range)
        case .eq: return .bool(x == y)
        case .ne: return .bool(x != y)
        case .lt: return .bool(x < y)
        case .le: return .bool(x <= y)
        case .gt: return .bool(x > y)
        case .ge: return .bool(x >= y)
        default:
            throw CellError.type("binary operator '\(op.rawValue)' cannot be applied to two 'Double' operands", at: range)
        }
    }
}

final class BinaryExpr: Expr {
    let op: BinaryOp
    let lhs: Expr
    let rhs: Expr
    let range: SourceRange
    let promoteLeft: Bool
    let promoteRight: Bool

    init(op: BinaryOp, lhs: Expr, rhs: Expr, range: SourceRange) {
        self.op = op
        self.lhs = lhs
        self.rhs = rhs
        self.range = range
        promoteLeft = lhs.isIntegerLiteral || lhs.isLiteral && !(rhs.isLiteral)
        promoteRight = rhs.isIntegerLiteral || rhs.isLiteral && !(lhs.isLiteral)
        if let lit = rhs as? LiteralExpr, case .int(let k) = lit.value { rhsConstant = k } else { rhsConstant = nil }
        lhsSlot = (lhs as? LocalGet)?.index ?? -1
        rhsSlot = (rhs as? LocalGet)?.index ?? -1
    }

    /// `n - 1`, `i < 10`: the right side is an integer constant.
    let rhsConstant: Int?
    /// `$0 * 2`, `x % 3`: the left side is a local, read here without a call (-1: another expression).
    let lhsSlot: Int
    /// `$0 > $1`: the right side is a local too.
    let rhsSlot: Int

    var isLiteral: Bool { lhs.isLiteral && rhs.isLiteral }
    var isIntegerLiteral: Bool { lhs.isIntegerLiteral && rhs.isIntegerLiteral }

    func eval(_ rt: Runtime, _ f: Frame) throws -> Value {
        let a = try lhsSlot >= 0 ? f.slots[lhsSlot] : lhs.eval(rt, f)
        if let k = rhsConstant, case .int(let x) = a {
            return try Arithmetic.int(op, x, k, at: range)
        }
        let b = try rhsSlot >= 0 ? f.slots[rhsSlot] : rhs.eval(rt, f)
        if case .int(let x) = a, case .int(let y) = b {
            return try Arithmetic.int(op, x, y, at: range)
        }
        return try Arithmetic.apply(op, a, b, promoteLeft: promoteLeft, promoteRight: promoteRight, at: range)
    }
}

final class LogicalExpr: Expr {
    let isAnd: Bool
    let lhs: Expr
    let rhs: Expr
    let range: SourceRange
    init(isAnd: Bool, lhs: Expr, rhs: Expr, range: SourceRange) {
        self.isAnd = isAnd
        self.lhs = lhs
        self.rhs = rhs
        self.range = range
    }
    func eval(_ rt: Runtime, _ f: Frame) throws -> Value {
        let a = try Conditions.bool(lhs.eval(rt, f), at: lhs.range)
        if isAnd && !a { return .bool(false) }
        if !isAnd && a { return .bool(true) }
        return .bool(try Conditions.bool(rhs.eval(rt, f), at: rhs.range))
    }
}

enum Conditions {
    @inline(__always)
    static func bool(_ v: Value, at range: SourceRange) throws -> Bool {
        if case .bool(let b) = v { return b }
        if case .optional = v {
            throw CellError.type("optional type '\(v.typeName)' cannot be used as a boolean; test for '!= nil' instead",
                                 at: range)
        }
        throw CellError.type("cannot convert value of type '\(v.typeName)' to expected condition type 'Bool'", at: range)
    }
}

final class RangeExpr: Expr {
    let lower: Expr?
    let upper: Expr?
    let closed: Bool
    let range: SourceRange
    init(lower: Expr?, upper: Expr?, closed: Bool, range: SourceRange) {
        self.lower = lower
        self.upper = upper
        self.closed = closed
        self.range = range
    }
    func eval(_ rt: Runtime, _ f: Frame) throws -> Value {
        let lo = try lower?.eval(rt, f)
        let hi = try upper?.eval(rt, f)
        return try make(lo, hi)
    }

    /// The range of these bounds' values (evaluated here, or already by compiled code).
    func make(_ lo: Value?, _ hi: Value?) throws -> Value {
        switch (lo, hi) {
        case (.int(let a)?, .int(let b)?):
            if a > b || (!closed && a > b) {
                throw CellError.value("range requires lowerBound <= upperBound, but got \(a)\(closed ? "..." : "..<")\(b)", at: range)
            }
            return .range(a, b, closed: closed)
        case (.int(let a)?, nil):
            return .range(a, Int.max, closed: false)
        case (nil, .int(let b)?):
            return .range(Int.min, b, closed: closed)
        default:
            let a = try lo.map { try Numbers.double($0, at: lower?.range ?? range) }
            let b = try hi.map { try Numbers.double($0, at: upper?.range ?? range) }
            // `0.9...` and `..<0.5` over Doubles: the missing bound is infinite.
            let (from, to) = (a ?? -.infinity, b ?? .infinity)
            if from > to {
                throw CellError.value("range requires lowerBound <= upperBound", at: range)
            }
            guard let a, let b else { return .doubleRange(from, to, closed: b != nil ? closed : true) }
            if a > b {
                throw CellError.value("range requires lowerBound <= upperBound", at: range)
            }
            return .doubleRange(a, b, closed: closed)
        }
    }
}

enum Numbers {
    static func double(_ v: Value, at range: SourceRange) throws -> Double {
        switch v {
        case .double(let d): return d
        case .int(let i): return Double(i)
        default: throw CellError.type("expected a number, got a value of type '\(v.typeName)'", at: range)
        }
    }
}

final class NegateExpr: Expr {
    let operand: Expr
    let range: SourceRange
    init(operand: Expr, range: SourceRange) {
        self.operand = operand
        self.range = range
    }
    var isIntegerLiteral: Bool { operand.isIntegerLiteral }
    var isLiteral: Bool { operand.isLiteral }
    func eval(_ rt: Runtime, _ f: Frame) throws -> Value {
        switch try operand.eval(rt, f) {
        case .int(let i):
            let (r, o) = Int(0).subtractingReportingOverflow(i)
            if o { throw CellError(.overflowError, "arithmetic overflow: -(\(i)) does not fit in an Int", at: range) }
            return .int(r)
        case .double(let d): return .double(-d)
        case let v: throw CellError.type("unary operator '-' cannot be applied to an operand of type '\(v.typeName)'", at: range)
        }
    }
}

final class NotExpr: Expr {
    let operand: Expr
    let range: SourceRange
    init(operand: Expr, range: SourceRange) {
        self.operand = operand
        self.range = range
    }
    func eval(_ rt: Runtime, _ f: Frame) throws -> Value {
        .bool(!(try Conditions.bool(operand.eval(rt, f), at: operand.range)))
    }
}

final class BitNotExpr: Expr {
    let operand: Expr
    let range: SourceRange
    init(operand: Expr, range: SourceRange) {
        self.operand = operand
        self.range = range
    }
    func eval(_ rt: Runtime, _ f: Frame) throws -> Value {
        guard case .int(let i) = try operand.eval(rt, f) else {
            throw CellError.type("unary operator '~' needs an Int", at: range)
        }
        return .int(~i)
    }
}

final class TernaryExpr: Expr {
    let condition: Expr
    let then: Expr
    let otherwise: Expr
    let range: SourceRange
    init(condition: Expr, then: Expr, otherwise: Expr, range: SourceRange) {
        self.condition = condition
        self.then = then
        self.otherwise = otherwise
        self.range = range
    }
    func eval(_ rt: Runtime, _ f: Frame) throws -> Value {
        let c = try Conditions.bool(condition.eval(rt, f), at: condition.range)
        let chosen = c ? then : otherwise
        let v = try chosen.eval(rt, f)
        // `c ? 1 : 0.5` is a Double in Swift.
        if case .int(let n) = v, chosen.isIntegerLiteral, let other = (c ? otherwise : then) as? LiteralExpr,
           case .double = other.value {
            return .double(Double(n))
        }
        return v
    }
}

final class NilCoalesceExpr: Expr {
    let lhs: Expr
    let rhs: Expr
    let range: SourceRange
    init(lhs: Expr, rhs: Expr, range: SourceRange) {
        self.lhs = lhs
        self.rhs = rhs
        self.range = range
    }
    func eval(_ rt: Runtime, _ f: Frame) throws -> Value {
        let v = try lhs.eval(rt, f)
        if case .optional(let w) = v {
            if let w { return w }
            return try rhs.eval(rt, f)
        }
        return v
    }
}

final class ForceUnwrapExpr: Expr {
    let operand: Expr
    let range: SourceRange
    init(operand: Expr, range: SourceRange) {
        self.operand = operand
        self.range = range
    }
    func eval(_ rt: Runtime, _ f: Frame) throws -> Value {
        let v = try operand.eval(rt, f)
        if case .optional(let w) = v {
            if let w { return w }
            throw CellError.foundNil(at: range)
        }
        throw CellError.type("cannot force unwrap value of non-optional type '\(v.typeName)'", at: range)
    }
}

/// Thrown by `x?` when `x` is nil; caught at the end of the optional chain.
struct OptionalChainNil: Error {}

final class OptionalChainLink: Expr {
    let operand: Expr
    let range: SourceRange
    init(operand: Expr, range: SourceRange) {
        self.operand = operand
        self.range = range
    }
    func eval(_ rt: Runtime, _ f: Frame) throws -> Value {
        let v = try operand.eval(rt, f)
        if case .optional(let w) = v {
            if let w { return w }
            throw OptionalChainNil()
        }
        return v
    }
}

final class OptionalChainEnd: Expr {
    let chain: Expr
    let range: SourceRange
    init(chain: Expr, range: SourceRange) {
        self.chain = chain
        self.range = range
    }
    func eval(_ rt: Runtime, _ f: Frame) throws -> Value {
        do {
            let v = try chain.eval(rt, f)
            if case .optional = v { return v }
            if case .void = v { return v }
            return .optional(v)
        } catch is OptionalChainNil {
            return .none
        }
    }
}

/// `x is T`, `x as T`, `x as? T`, `x as! T`.
final class CastExpr: Expr {
    enum Kind { case check, coerce, conditional, forced }
    let kind: Kind
    let operand: Expr
    let type: TypeRef
    let range: SourceRange
    init(kind: Kind, operand: Expr, type: TypeRef, range: SourceRange) {
        self.kind = kind
        self.operand = operand
        self.type = type
        self.range = range
    }
    func eval(_ rt: Runtime, _ f: Frame) throws -> Value {
        var v = try operand.eval(rt, f)
        if kind != .coerce, case .optional(let w) = v, let w { v = w }
        let converted = type.coerce(v, literal: kind == .coerce && operand.isLiteral)
        switch kind {
        case .check: return .bool(converted != nil)
        case .conditional: return .optional(converted)
        case .coerce, .forced:
            if let converted { return converted }
            if kind == .forced {
                throw CellError.type("could not cast value of type '\(v.typeName)' to '\(type.description)'", at: range)
            }
            throw CellError.type("cannot convert value of type '\(v.typeName)' to type '\(type.description)' in coercion",
                                 at: range, notes: ["use \(type.description)(…) to convert"])
        }
    }
}
