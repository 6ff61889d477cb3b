/// The project's own AST: nodes lowered from SwiftSyntax with names already
/// resolved to slots, evaluated by walking the tree.
protocol Expr: AnyObject {
    var range: SourceRange { get }
    func eval(_ rt: Runtime, _ f: Frame) throws -> Value
    /// An integer literal, which Swift lets stand for a Double.
    var isIntegerLiteral: Bool { get }
    /// A literal (or collection of literals) whose Ints may become Doubles.
    var isLiteral: Bool { get }
}

extension Expr {
    var isIntegerLiteral: Bool { false }
    var isLiteral: Bool { false }
}

/// How a statement finished. A `break`/`continue` label is kept in
/// `Runtime.jumpLabel` and a returned value in `Runtime.returnValue`, so
/// that this stays a plain tag that is cheap to pass around.
enum Flow {
    case normal
    case breakLoop
    case continueLoop
    case returned
}

protocol Stmt: AnyObject {
    func exec(_ rt: Runtime, _ f: Frame) throws -> Flow
}

// MARK: - Literals

final class LiteralExpr: Expr {
    let value: Value
    let range: SourceRange
    init(_ value: Value, range: SourceRange) {
        self.value = value
        self.range = range
    }
    func eval(_ rt: Runtime, _ f: Frame) throws -> Value { value }
    var isIntegerLiteral: Bool {
        if case .int = value { return true }
        return false
    }
    var isLiteral: Bool { true }
}

final class InterpolationExpr: Expr {
    enum Part {
        case text(String)
        case expr(Expr)
    }
    let parts: [Part]
    let range: SourceRange
    /// For `joinScalars`, allocated once and never shared: the texts' UTF-8
    /// bytes one after another, and per part how many of them it writes
    /// (-1: the next interpolated value).
    private let textBytes: UnsafeMutableBufferPointer<UInt8>
    private let plan: UnsafeMutableBufferPointer<Int>
    init(parts: [Part], range: SourceRange) {
        self.parts = parts
        self.range = range
        var bytes: [UInt8] = []
        var plan: [Int] = []
        for p in parts {
            switch p {
            case .text(let t):
                bytes.append(contentsOf: t.utf8)
                plan.append(t.utf8.count)
            case .expr: plan.append(-1)
            }
        }
        textBytes = .allocate(capacity: bytes.count)
        _ = textBytes.initialize(from: bytes)
        self.plan = .allocate(capacity: plan.count)
        _ = self.plan.initialize(from: plan)
    }
    deinit {
        textBytes.deallocate()
        plan.deallocate()
    }
    func eval(_ rt: Runtime, _ f: Frame) throws -> Value {
        try build { _, e in try e.eval(rt, f) }
    }

    /// `build` for compiled code whose piece values are in `pieces`, when each
    /// is an Int or a String (`"fish number \(i)"`): charged as `build`
    /// charges, then written once at its length, without a String per Int or
    /// a growing result. The pieces are emptied. Nil (nothing charged or
    /// emptied) when some piece is another value.
    func joinScalars(_ pieces: UnsafeMutablePointer<Value>) throws -> String? {
        var length = 0
        var charged = 0
        var j = 0
        for n in plan {
            if n >= 0 {
                length &+= n
                continue
            }
            let added: Int
            switch pieces[j] {
            case .int(let i): added = Self.decimalLength(i)
            case .string(let x): added = x.utf8.count
            default: return nil
            }
            // `Memory.textGrowth`, written out here (calls into another
            // file are not inlined): crossing a power of two past the 15
            // bytes a string holds inline costs the whole new string.
            let (sum, o) = length.addingReportingOverflow(added)
            let needed = o ? Int.max / 2 : sum
            if needed > 15 {
                let before = length <= 15 ? 0 : Int.bitWidth &- (length &- 1).leadingZeroBitCount
                let after = Int.bitWidth &- (needed &- 1).leadingZeroBitCount
                // Memory.text(2 * needed), saturating as Memory.sum does.
                let step = after > before ? (needed < Int.max / 4 ? 2 &* needed &+ Memory.header : Int.max / 2) : added
                let (total, o2) = charged.addingReportingOverflow(step)
                charged = o2 ? Int.max / 2 : total
            }
            length = needed
            j &+= 1
        }
        if charged > 0 { try Memory.charge(charged, "this string", at: range) }
        let plan = self.plan, text = textBytes
        return String(unsafeUninitializedCapacity: length) { out in
            guard let to = out.baseAddress else { return 0 }
            var at = 0
            var from = 0
            var j = 0
            for n in plan {
                if n >= 0 {
                    if n > 0, let source = text.baseAddress { (to + at).update(from: source + from, count: n) }
                    at &+= n
                    from &+= n
                    continue
                }
                switch pieces[j] {
                case .int(let i): at = Self.writeDecimal(i, to + at) - to
                case .string(let x): UTF8Copy.copy(x, into: out, at: &at)
                default: break
                }
                pieces[j] = .void
                j &+= 1
            }
            return at
        }
    }

    /// The bytes of `String(i)`.
    @inline(__always)
    private static func decimalLength(_ i: Int) -> Int {
        var m = i.magnitude
        var digits = i < 0 ? 1 : 0
        // Comparisons, not a division a digit (a chain of multiplies).
        while m >= 100_000 {
            m /= 100_000
            digits &+= 5
        }
        if m < 100 { return digits &+ (m < 10 ? 1 : 2) }
        return digits &+ (m < 1_000 ? 3 : m < 10_000 ? 4 : 5)
    }

    /// "00" to "99", two digits a number, for `writeDecimal`.
    private static let digitPairs: UnsafeMutablePointer<UInt8> = {
        let p = UnsafeMutablePointer<UInt8>.allocate(capacity: 200)
        for n in 0..<100 {
            p[2 * n] = UInt8(48 + n / 10)
            p[2 * n + 1] = UInt8(48 + n % 10)
        }
        return p
    }()

    /// Writes `String(i)` at `to`; returns the end of what it wrote.
    @inline(__always)
    private static func writeDecimal(_ i: Int, _ to: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        let end = to + decimalLength(i)
        let pairs = digitPairs
        var m = i.magnitude
        var k = end
        while m >= 100 {
            let r = Int(truncatingIfNeeded: m % 100)
            m /= 100
            k -= 2
            k[0] = pairs[2 &* r]
            k[1] = pairs[2 &* r &+ 1]
        }
        if m >= 10 {
            let r = Int(truncatingIfNeeded: m)
            k -= 2
            k[0] = pairs[2 &* r]
            k[1] = pairs[2 &* r &+ 1]
        } else {
            k -= 1
            k[0] = UInt8(truncatingIfNeeded: m) &+ 48
        }
        if i < 0 { to[0] = 45 }
        return end
    }

    /// The string, with `value(j, e)` giving the value of the j-th interpolated
    /// expression `e` (evaluated here, or already by compiled code).
    @inline(__always)
    func build(_ value: (Int, Expr) throws -> Value) throws -> Value {
        var s = ""
        var j = 0
        for p in parts {
            switch p {
            case .text(let t): s += t
            case .expr(let e):
                let v = try value(j, e)
                j += 1
                let piece: String
                switch v {
                case .string(let x): piece = x
                case .int(let i): piece = String(i)
                default: piece = try v.text(at: e.range)
                }
                // Charged before the string grows, so that doubling a string
                // in a loop stops at the budget.
                try Memory.charge(Memory.textGrowth(s.utf8.count, adding: piece.utf8.count), "this string", at: range)
                s += piece
            }
        }
        return .string(s)
    }
}

final class ArrayLiteralExpr: Expr {
    let elements: [Expr]
    let range: SourceRange
    /// Set for `let xs: [Any] = [1, 2.5]`: Swift keeps 1 an Int there.
    var keepsInts = false
    init(elements: [Expr], range: SourceRange) {
        self.elements = elements
        self.range = range
    }
    var isLiteral: Bool { elements.allSatisfy(\.isLiteral) }
    func eval(_ rt: Runtime, _ f: Frame) throws -> Value {
        try build { _, e in try e.eval(rt, f) }
    }

    /// The array, with `value(j, e)` giving the value of element `e` (evaluated
    /// here, or already by compiled code).
    @inline(__always)
    func build(_ value: (Int, Expr) throws -> Value) throws -> Value {
        var out: [Value] = []
        try Memory.charge(Memory.values(elements.count), "this array", at: range)
        out.reserveCapacity(elements.count)
        var sawDouble = false
        var sawInt = false
        for (j, e) in elements.enumerated() {
            let v = try value(j, e)
            if case .double = v { sawDouble = true }
            if case .int = v { sawInt = true }
            out.append(v)
        }
        // `[1, 2.5]` is `[Double]` in Swift: integer literals become Doubles.
        if sawDouble && sawInt && !keepsInts {
            for (i, e) in elements.enumerated() where e.isIntegerLiteral {
                if case .int(let n) = out[i] { out[i] = .double(Double(n)) }
            }
        }
        return .array(out)
    }
}

final class DictionaryLiteralExpr: Expr {
    let pairs: [(Expr, Expr)]
    let range: SourceRange
    init(pairs: [(Expr, Expr)], range: SourceRange) {
        self.pairs = pairs
        self.range = range
    }
    var isLiteral: Bool { pairs.allSatisfy { $0.1.isLiteral } }
    func eval(_ rt: Runtime, _ f: Frame) throws -> Value {
        var d = OrderedDictionary()
        try Memory.charge(Memory.values(pairs.count, each: Memory.entryBytes), "this dictionary", at: range)
        for (k, v) in pairs {
            let key = try k.eval(rt, f)
            if d[key] != nil {
                throw CellError.value("dictionary literal has the key \(key.debugDescription) twice", at: k.range)
            }
            d[key] = try v.eval(rt, f)
        }
        return .dictionary(d)
    }
}

final class TupleExpr: Expr {
    let elements: [Expr]
    let labels: [String?]
    let range: SourceRange
    init(elements: [Expr], labels: [String?], range: SourceRange) {
        self.elements = elements
        self.labels = labels
        self.range = range
    }
    var isLiteral: Bool { elements.allSatisfy(\.isLiteral) }
    func eval(_ rt: Runtime, _ f: Frame) throws -> Value {
        .tuple(TupleValue(try elements.map { try $0.eval(rt, f) }, labels: labels))
    }
}

// MARK: - Names

final class LocalGet: Expr {
    let index: Int
    let range: SourceRange
    init(index: Int, range: SourceRange) {
        self.index = index
        self.range = range
    }
    @inline(__always)
    func eval(_ rt: Runtime, _ f: Frame) throws -> Value { f.slots[index] }
}

final class OuterGet: Expr {
    let depth: Int
    let index: Int
    let range: SourceRange
    init(depth: Int, index: Int, range: SourceRange) {
        self.depth = depth
        self.index = index
        self.range = range
    }
    func eval(_ rt: Runtime, _ f: Frame) throws -> Value { f.ancestor(depth).slots[index] }
}

final class GlobalGet: Expr {
    let slot: GlobalSlot
    let range: SourceRange
    init(slot: GlobalSlot, range: SourceRange) {
        self.slot = slot
        self.range = range
    }
    func eval(_ rt: Runtime, _ f: Frame) throws -> Value {
        if slot.isDefined { return slot.value }
        throw CellError.usedBeforeDeclared(slot.name, at: range)
    }
}

/// A builtin function named in a cell, e.g. `print` or `sqrt`.
final class BuiltinRef: Expr {
    let function: BuiltinFunctionValue
    let range: SourceRange
    init(function: BuiltinFunctionValue, range: SourceRange) {
        self.function = function
        self.range = range
    }
    func eval(_ rt: Runtime, _ f: Frame) throws -> Value { .function(function) }
}

/// `.efficientNetLite0`: an implicit member, matched by name.
final class SymbolExpr: Expr {
    let name: String
    let range: SourceRange
    init(name: String, range: SourceRange) {
        self.name = name
        self.range = range
    }
    func eval(_ rt: Runtime, _ f: Frame) throws -> Value { .symbol(name) }
}
