import CellIO
import Foundation

/// A value the cell language computes with.
///
/// Collections have Swift's value semantics (arrays and dictionaries are
/// copied on write); functions and host objects are references.
public enum Value {
    case void
    case int(Int)
    case double(Double)
    case bool(Bool)
    case string(String)
    case array([Value])
    case dictionary(OrderedDictionary)
    /// `Set<T>`: unique elements in insertion order (see `OrderedSet`).
    indirect case set(OrderedSet)
    case tuple(TupleValue)
    /// `lower..<upper` or `lower...upper` over integers.
    indirect case range(Int, Int, closed: Bool)
    /// `lower..<upper` or `lower...upper` over doubles (for `random(in:)`).
    indirect case doubleRange(Double, Double, closed: Bool)
    /// `nil` or a wrapped value (`Int?`).
    indirect case optional(Value?)
    case function(Callable)
    case object(any HostObject)
    /// An implicit member such as `.efficientNetLite0` or `.adam`.
    case symbol(String)
    /// A builtin type used as a value: `Int.max`, `Double.pi`.
    case type(String)
    /// A value of a struct or enum the cell declared (see `UserType`).
    case instance(Instance)

    public static let none: Value = .optional(nil)
}

/// A tuple, optionally with element labels (`(loss: 0.2, accuracy: 0.9)`).
public struct TupleValue {
    public var elements: [Value]
    public var labels: [String?]

    public init(_ elements: [Value], labels: [String?]? = nil) {
        self.elements = elements
        self.labels = labels ?? Array(repeating: nil, count: elements.count)
    }
}

/// An object owned by the host (a dataset, a model, a chart) that cells can
/// hold in variables and call members on through the builtin registry.
public protocol HostObject: AnyObject, MutableReceiver {
    /// The type name cells see, e.g. `Dataset`.
    var typeName: String { get }
    /// A one-line text form, used by `print` and `text/plain`.
    var textDescription: String { get }
    /// The richest display of this object, when it is a cell's last value.
    func display() -> Display?
}

extension HostObject {
    public func display() -> Display? { nil }
}

/// A host object that `let (a, b) = value` takes apart like a tuple (a
/// prediction into its species and probability).
public protocol TupleConvertible: HostObject {
    var tupleValue: TupleValue { get }
}

extension Value {
    /// The Swift-style type name of this value, e.g. `Int`, `[String]`, `Int?`.
    public var typeName: String {
        switch self {
        case .void: return "Void"
        case .int: return "Int"
        case .double: return "Double"
        case .bool: return "Bool"
        case .string: return "String"
        case .array(let items): return "[\(Value.commonTypeName(items))]"
        case .dictionary(let dict):
            return "[\(Value.commonTypeName(dict.keys)): \(Value.commonTypeName(dict.values))]"
        case .set(let s): return "Set<\(Value.commonTypeName(s.items))>"
        case .tuple(let t):
            let parts = zip(t.labels, t.elements).map { label, value in
                label.map { "\($0): \(value.typeName)" } ?? value.typeName
            }
            return "(\(parts.joined(separator: ", ")))"
        case .range(_, _, let closed): return closed ? "ClosedRange<Int>" : "Range<Int>"
        case .doubleRange(_, _, let closed): return closed ? "ClosedRange<Double>" : "Range<Double>"
        case .optional(let wrapped):
            if let wrapped { return "\(wrapped.typeName)?" }
            return "Optional"
        case .function(let f): return f.typeDescription
        case .object(let o): return o.typeName
        case .symbol: return "Symbol"
        case .type(let name): return "\(name).Type"
        case .instance(let i): return i.type.name
        }
    }

    /// The name used to look up members in the registry.
    var registryTypeName: String {
        switch self {
        case .void: return "Void"
        case .int: return "Int"
        case .double: return "Double"
        case .bool: return "Bool"
        case .string: return "String"
        case .array: return "Array"
        case .dictionary: return "Dictionary"
        case .set: return "Set"
        case .tuple: return "Tuple"
        case .range, .doubleRange: return "Range"
        case .optional: return "Optional"
        case .function: return "Function"
        case .object(let o): return o.typeName
        case .symbol: return "Symbol"
        case .type(let name): return name + ".Type"
        case .instance(let i): return i.type.name
        }
    }

    static func commonTypeName(_ values: [Value]) -> String {
        guard let first = values.first else { return "Any" }
        let name = first.typeName
        for v in values.dropFirst() where v.typeName != name { return "Any" }
        return name
    }
}

extension Value {
    /// The richest display of this value, always with `text/plain`.
    public var display: Display {
        if case .object(let o) = self, var d = o.display() {
            if d.data["text/plain"] == nil { d.data["text/plain"] = o.textDescription }
            return d
        }
        return .text(summary)
    }

    /// At most this many bytes of a value's text are displayed.
    public static let displayLimit = 100_000

    /// The value's text for a display: a huge value is cut after
    /// `displayLimit` bytes of text, with a line saying how big it is.
    public var summary: String {
        var text = CappedText(limit: Value.displayLimit)
        writeText(debug: true, to: &text)
        guard text.wasCut else { return text.text }
        let size: String
        switch self {
        case .array(let items): size = "the array has \(Value.grouped(items.count)) elements"
        case .set(let s): size = "the set has \(Value.grouped(s.count)) elements"
        case .dictionary(let d): size = "the dictionary has \(Value.grouped(d.count)) entries"
        case .string(let s): size = "the string has \(Value.grouped(s.utf8.count)) bytes"
        default: size = "the value is larger"
        }
        return text.text + "…\n(shown in part: the first 100 KB of its text; \(size))"
    }

    /// 1234567 as "1,234,567".
    static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (n < 0 ? "-" : "") + out
    }
}

// MARK: - Text forms

extension Value {
    /// What `print` shows: strings bare, collections with quoted strings.
    public var description: String {
        switch self {
        case .string(let s): return s
        case .set(let s): return Value.array(s.items).debugDescription
        default: return debugDescription
        }
    }

    /// The form used inside collections and for `text/plain` results.
    public var debugDescription: String {
        switch self {
        case .void: return "()"
        case .int(let i): return String(i)
        case .double(let d): return Value.format(d)
        case .bool(let b): return b ? "true" : "false"
        default:
            var text = PlainText()
            writeText(debug: true, to: &text)
            return text.text
        }
    }

    /// Writes this value's text (`description`, or with `debug` the form
    /// used inside collections) piece by piece, stopping early once `sink`
    /// is full: a huge array is never turned into one string first.
    func writeText<S: TextSink>(debug: Bool, to sink: inout S) {
        switch self {
        case .string(let s): sink.append(debug ? Value.quote(s) : s)
        case .array(let items):
            sink.append("[")
            for (i, item) in items.enumerated() {
                if sink.isFull { return }
                if i > 0 { sink.append(", ") }
                item.writeText(debug: true, to: &sink)
            }
            sink.append("]")
        case .set(let s):
            // Printed alone a set looks like an array (as Swift prints it);
            // inside a collection or as a result it is `Set([…])`.
            if !debug { return Value.array(s.items).writeText(debug: true, to: &sink) }
            sink.append("Set(")
            Value.array(s.items).writeText(debug: true, to: &sink)
            sink.append(")")
        case .dictionary(let dict):
            if dict.isEmpty { return sink.append("[:]") }
            sink.append("[")
            for i in 0..<dict.count {
                if sink.isFull { return }
                if i > 0 { sink.append(", ") }
                dict.keys[i].writeText(debug: true, to: &sink)
                sink.append(": ")
                dict.values[i].writeText(debug: true, to: &sink)
            }
            sink.append("]")
        case .tuple(let t):
            sink.append("(")
            for (i, (label, value)) in zip(t.labels, t.elements).enumerated() {
                if sink.isFull { return }
                if i > 0 { sink.append(", ") }
                if let label { sink.append(label + ": ") }
                value.writeText(debug: true, to: &sink)
            }
            sink.append(")")
        case .optional(let wrapped):
            guard let wrapped else { return sink.append("nil") }
            sink.append("Optional(")
            wrapped.writeText(debug: true, to: &sink)
            sink.append(")")
        case .range(let lo, let hi, let closed): sink.append("\(lo)\(closed ? "..." : "..<")\(hi)")
        case .doubleRange(let lo, let hi, let closed):
            // Partial ranges (`0.9...`, `..<0.5`) keep an infinite bound.
            if hi == .infinity { return sink.append("\(Value.format(lo))...") }
            sink.append("\(lo == -.infinity ? "" : Value.format(lo))\(closed ? "..." : "..<")\(Value.format(hi))")
        case .function(let f): sink.append(f.typeDescription)
        case .object(let o): sink.append(o.textDescription)
        case .symbol(let s): sink.append(".\(s)")
        case .type(let name): sink.append(name)
        case .instance(let i): UserTypes.writeText(i, debug: debug, to: &sink)
        case .void, .int, .double, .bool: sink.append(debugDescription)
        }
    }

    /// This value's text, charged to the memory budget as it grows: a
    /// `ResourceLimit` instead of a string that would not fit.
    func text(debug: Bool = false, at range: SourceRange = .unknown) throws -> String {
        switch self {
        case .string(let s) where !debug: return s
        case .void, .int, .double, .bool: return debugDescription
        default:
            var text = ChargedText()
            writeText(debug: debug, to: &text)
            if let refusal = text.refusal { throw Memory.refused(refusal, "the text of this value", at: range) }
            return text.text
        }
    }

    /// Doubles print as Swift prints them: shortest round-trip form.
    static func format(_ d: Double) -> String {
        String(describing: d)
    }

    static func quote(_ s: String) -> String {
        var out = "\""
        for ch in s.unicodeScalars {
            switch ch {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            case "\0": out += "\\0"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out + "\""
    }
}

// MARK: - Equality, hashing, ordering

extension Value {
    /// The number types whose constants an implicit member (`.infinity`) names.
    static let numberTypes: Set<String> = ["Int", "Double", "Float", "CGFloat"]

    /// The number types' constants, as `Double.pi` and an implicit `.pi` name them
    /// (the builtins register `Int.max` … from this table too).
    static let numberConstants: [(type: String, name: String, doc: String, value: Value)] = [
        ("Int", "max", "The largest Int.", .int(.max)),
        ("Int", "min", "The smallest Int.", .int(.min)),
        ("Int", "zero", "Zero.", .int(0)),
        ("Double", "pi", "π.", .double(.pi)),
        ("Double", "infinity", "Positive infinity.", .double(.infinity)),
        ("Double", "nan", "Not a number.", .double(.nan)),
        ("Double", "zero", "Zero.", .double(0)),
        ("Double", "greatestFiniteMagnitude", "The largest finite Double.", .double(.greatestFiniteMagnitude)),
        ("Double", "leastNormalMagnitude", "The smallest positive normal Double.", .double(.leastNormalMagnitude)),
        ("Double", "leastNonzeroMagnitude", "The smallest positive Double.", .double(.leastNonzeroMagnitude)),
        ("Double", "ulpOfOne", "The gap between 1.0 and the next Double.", .double(.ulpOfOne)),
    ]

    /// `.name` where a value of the number type `type` is expected (`let best:
    /// Double = .infinity`, `f(.pi)`, `x < .infinity`), as Swift reads it; nil
    /// when the type has no such constant. Float and CGFloat are Doubles here.
    static func implicitMember(_ name: String, of type: String) -> Value? {
        let owner = type == "Int" ? "Int" : "Double"
        return numberConstants.first { $0.type == owner && $0.name == name }?.value
    }
}

extension Value: Hashable {
    public static func == (lhs: Value, rhs: Value) -> Bool {
        // Dictionary keys and set elements are mostly these: compared before the general switch.
        if case .string(let a) = lhs, case .string(let b) = rhs { return a == b }
        if case .int(let a) = lhs, case .int(let b) = rhs { return a == b }
        switch (lhs, rhs) {
        case (.void, .void): return true
        case (.int(let a), .int(let b)): return a == b
        case (.double(let a), .double(let b)): return a == b
        case (.int(let a), .double(let b)): return Double(a) == b
        case (.double(let a), .int(let b)): return a == Double(b)
        case (.bool(let a), .bool(let b)): return a == b
        case (.string(let a), .string(let b)): return a == b
        case (.array(let a), .array(let b)): return a == b
        case (.dictionary(let a), .dictionary(let b)): return a == b
        case (.set(let a), .set(let b)): return a == b
        case (.tuple(let a), .tuple(let b)): return a.elements == b.elements
        case (.range(let a1, let a2, let ac), .range(let b1, let b2, let bc)):
            return a1 == b1 && a2 == b2 && ac == bc
        case (.doubleRange(let a1, let a2, let ac), .doubleRange(let b1, let b2, let bc)):
            return a1 == b1 && a2 == b2 && ac == bc
        case (.optional(let a), .optional(let b)): return a == b
        case (.optional(let a), _): return a == rhs
        case (_, .optional(let b)): return b == lhs
        case (.function(let a), .function(let b)): return a === b
        case (.object(let a), .object(let b)): return a === b
        case (.symbol(let a), .symbol(let b)): return a == b
        case (.type(let a), .type(let b)): return a == b
        case (.instance(let a), .instance(let b)): return UserTypes.equal(a, b)
        case (.instance(let a), .symbol(let s)), (.symbol(let s), .instance(let a)):
            return a.type.kind == .enumeration && a.fields.isEmpty && a.caseName == s
        default: return false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .void: hasher.combine(0)
        case .int(let i): hasher.combine(Double(i))
        case .double(let d): hasher.combine(d)
        case .bool(let b): hasher.combine(b)
        case .string(let s): hasher.combine(s)
        case .array(let a): hasher.combine(a)
        case .dictionary(let d): hasher.combine(d.keys)
        case .set(let s):
            // Independent of the order, as equality is.
            hasher.combine(s.count)
            hasher.combine(s.items.reduce(0) { $0 ^ $1.hashValue })
        case .tuple(let t): hasher.combine(t.elements)
        case .range(let a, let b, let c): hasher.combine(a); hasher.combine(b); hasher.combine(c)
        case .doubleRange(let a, let b, let c): hasher.combine(a); hasher.combine(b); hasher.combine(c)
        case .optional(let w):
            if let w { w.hash(into: &hasher) } else { hasher.combine(-1) }
        case .function(let f): hasher.combine(ObjectIdentifier(f))
        case .object(let o): hasher.combine(ObjectIdentifier(o))
        case .symbol(let s): hasher.combine("." + s)
        case .type(let s): hasher.combine("T" + s)
        case .instance(let i): UserTypes.hash(i, into: &hasher)
        }
    }

    /// The hash dictionaries and sets look keys up by (Swift's `Dictionary`
    /// calls this, not `hash(into:)`): numbers and ASCII strings by a
    /// multiply-xorshift mix of their bits, a word at a time, instead of
    /// SipHash, which cost a fifth of counting words into a dictionary (see
    /// benchmarks/README.md); every other value as `hash(into:)` hashes it.
    /// Equal values hash alike, as `==` decides: an Int as the Double it
    /// equals, 0.0 as -0.0, an optional as what it wraps, and the three
    /// characters Swift takes as equal to an ASCII one (U+037E ";", U+1FEF
    /// "`", U+212A "K", their canonical decompositions) as that character;
    /// other text Swift compares by canonical equivalence takes `hash(into:)`.
    public func _rawHashValue(seed: Int) -> Int {
        switch self {
        case .int(let i): return Self.mixed(Double(i), seed: seed)
        case .double(let d): return Self.mixed(d, seed: seed)
        case .string(let s): if let h = Self.textHash(s, seed: seed) { return h }
        case .optional(let w): if let w { return w._rawHashValue(seed: seed) }
        default: break
        }
        var hasher = Hasher()
        hasher.combine(seed)
        hash(into: &hasher)
        return hasher.finalize()
    }

    /// A number's hash: its Double bits (0.0 and -0.0 alike) mixed with the seed.
    @inline(__always)
    private static func mixed(_ d: Double, seed: Int) -> Int {
        finalMix((d == 0 ? 0 : d.bitPattern) ^ UInt64(UInt(bitPattern: seed)))
    }

    /// MurmurHash3's 64-bit finaliser: every input bit reaches every output bit.
    @inline(__always)
    private static func finalMix(_ x: UInt64) -> Int {
        var x = x
        x ^= x >> 33
        x &*= 0xff51_afd7_ed55_8ccd
        x ^= x >> 33
        x &*= 0xc4ce_b9fe_1a85_ec53
        x ^= x >> 33
        return Int(Int64(bitPattern: x))
    }

    /// The hash of ASCII text (and of text whose only other characters are
    /// the three equal to an ASCII one, hashed as that one); nil for other
    /// text, which `hash(into:)` hashes.
    private static func textHash(_ s: String, seed: Int) -> Int? {
        let ascii: Int?? = s.utf8.withContiguousStorageIfAvailable { bytes in bytesHash(UnsafeRawBufferPointer(bytes), seed: seed) }
        if case .some(.some(let h)) = ascii { return h }
        // Not ASCII (or not contiguous): the three characters, else nil.
        var mapped: [UInt8] = []
        for u in s.unicodeScalars {
            switch u.value {
            case 0..<0x80: mapped.append(UInt8(u.value))
            case 0x037E: mapped.append(UInt8(ascii: ";"))
            case 0x1FEF: mapped.append(UInt8(ascii: "`"))
            case 0x212A: mapped.append(UInt8(ascii: "K"))
            default: return nil
            }
        }
        return mapped.withUnsafeBytes { bytesHash($0, seed: seed) }
    }

    /// `bytes` mixed eight at a time with the seed; nil when a byte is not ASCII.
    @inline(__always)
    private static func bytesHash(_ bytes: UnsafeRawBufferPointer, seed: Int) -> Int? {
        let n = bytes.count
        var h = UInt64(UInt(bitPattern: seed)) ^ (UInt64(n) &* 0x9e37_79b9_7f4a_7c15)
        var high: UInt64 = 0
        var i = 0
        while i + 8 <= n {
            let w = bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            high |= w
            h = (h ^ w) &* 0x9e37_79b9_7f4a_7c15
            h ^= h >> 29
            i += 8
        }
        if i < n {
            var w: UInt64 = 0
            var shift: UInt64 = 0
            while i < n {
                w |= UInt64(bytes[i]) << shift
                shift += 8
                i += 1
            }
            high |= w
            h = (h ^ w) &* 0x9e37_79b9_7f4a_7c15
        }
        if high & 0x8080_8080_8080_8080 != 0 { return nil }
        return finalMix(h)
    }

    /// Swift's `<` for comparable values; nil when the pair is not comparable.
    static func less(_ lhs: Value, _ rhs: Value) -> Bool? {
        switch (lhs, rhs) {
        case (.int(let a), .int(let b)): return a < b
        case (.double(let a), .double(let b)): return a < b
        case (.int(let a), .double(let b)): return Double(a) < b
        case (.double(let a), .int(let b)): return a < Double(b)
        case (.string(let a), .string(let b)): return a < b
        case (.bool(let a), .bool(let b)): return !a && b
        case (.tuple(let a), .tuple(let b)):
            for (x, y) in zip(a.elements, b.elements) {
                if x == y { continue }
                return less(x, y)
            }
            return a.elements.count < b.elements.count
        case (.instance(let a), .instance(let b)): return UserTypes.less(a, b)
        case (.object(let a as ClassObject), .object(let b as ClassObject)): return UserTypes.less(a, b)
        default: return nil
        }
    }

    var isVoid: Bool {
        if case .void = self { return true }
        return false
    }
}

extension Value {
    /// Whether `other` is this very value: the same case holding the same
    /// scalar or the same storage (no element-by-element comparison of
    /// arrays, and an Int never equals a Double here). Used to keep a value
    /// that a check left unchanged instead of copying it.
    func isSameStorage(as other: Value) -> Bool {
        switch (self, other) {
        case (.void, .void): return true
        case (.int(let a), .int(let b)): return a == b
        case (.double(let a), .double(let b)): return a.bitPattern == b.bitPattern
        case (.bool(let a), .bool(let b)): return a == b
        case (.string(let a), .string(let b)): return a == b
        case (.array(let a), .array(let b)):
            return a.count == b.count
                && a.withUnsafeBufferPointer { $0.baseAddress } == b.withUnsafeBufferPointer { $0.baseAddress }
        case (.optional(let a), .optional(let b)):
            switch (a, b) {
            case (nil, nil): return true
            case (let x?, let y?): return x.isSameStorage(as: y)
            default: return false
            }
        case (.function(let a), .function(let b)): return a === b
        case (.object(let a), .object(let b)): return a === b
        case (.symbol(let a), .symbol(let b)): return a == b
        case (.range(let a1, let a2, let ac), .range(let b1, let b2, let bc)): return a1 == b1 && a2 == b2 && ac == bc
        default: return false
        }
    }
}
