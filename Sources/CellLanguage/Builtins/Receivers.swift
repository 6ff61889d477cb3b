/// A builtin member's receiver as the Swift type its body works with:
/// `[Value]` for an Array, `String`, `Int`, `OrderedDictionary`, a host
/// object's class (`ModelObject` for a `Sequential`)… The registry checks it
/// once, before the member runs (`addMethod(on:…receiver:)`), so no member
/// casts its receiver or answers a default for a value of another type.
///
/// A value of another type is refused with `WrongReceiver`, not nil, so
/// that the registry's generic wrappers never make an optional of a generic
/// type (a metadata lookup per call where they are not specialized).
public protocol Receiver {
    /// `value` as this type; throws `WrongReceiver` when it is of another type.
    static func receiver(_ value: Value, _ rt: Runtime) throws -> Self
}

/// A receiver of another type than a member's (the registry names both).
public struct WrongReceiver: Error {
    public init() {}
}

/// A receiver that mutating members change in place (`xs.append(3)`).
public protocol MutableReceiver: Receiver {
    /// Runs `body` on `value` as this type and stores the result back; while
    /// it runs `value` keeps no other reference to the storage, so the body
    /// changes it without a copy. Nil, without running it, for a value of
    /// another type.
    static func mutate(_ value: inout Value, _ body: (inout Self) throws -> Value) throws -> Value?
}

extension HostObject {
    /// `value` as this host object type, nil for anything else.
    @inline(__always)
    public static func cast(_ value: Value) -> Self? {
        if case .object(let o) = value { return o as? Self }
        return nil
    }

    public static func receiver(_ value: Value, _ rt: Runtime) throws -> Self {
        guard let r = cast(value) else { throw WrongReceiver() }
        return r
    }

    /// A host object changes through its reference: nothing to store back.
    public static func mutate(_ value: inout Value, _ body: (inout Self) throws -> Value) throws -> Value? {
        guard var r = cast(value) else { return nil }
        return try body(&r)
    }
}

extension Array: Receiver, MutableReceiver where Element == Value {
    public static func receiver(_ value: Value, _ rt: Runtime) throws -> [Value] {
        guard case .array(let items) = value else { throw WrongReceiver() }
        return items
    }

    public static func mutate(_ value: inout Value, _ body: (inout [Value]) throws -> Value) throws -> Value? {
        guard case .array(var items) = value else { return nil }
        value = .void
        defer { value = .array(items) }
        return try body(&items)
    }
}

extension OrderedDictionary: Receiver, MutableReceiver {
    public static func receiver(_ value: Value, _ rt: Runtime) throws -> OrderedDictionary {
        guard case .dictionary(let d) = value else { throw WrongReceiver() }
        return d
    }

    public static func mutate(_ value: inout Value, _ body: (inout OrderedDictionary) throws -> Value) throws -> Value? {
        guard case .dictionary(var d) = value else { return nil }
        value = .void
        defer { value = .dictionary(d) }
        return try body(&d)
    }
}

extension String: Receiver, MutableReceiver {
    public static func receiver(_ value: Value, _ rt: Runtime) throws -> String {
        guard case .string(let s) = value else { throw WrongReceiver() }
        return s
    }

    /// The string is moved out while it changes, so that its storage stays
    /// unique and `s.append(…)` grows it in place.
    public static func mutate(_ value: inout Value, _ body: (inout String) throws -> Value) throws -> Value? {
        guard case .string(var s) = value else { return nil }
        value = .void
        defer { value = .string(s) }
        return try body(&s)
    }
}

extension Int: Receiver {
    public static func receiver(_ value: Value, _ rt: Runtime) throws -> Int {
        guard case .int(let n) = value else { throw WrongReceiver() }
        return n
    }
}

extension Double: Receiver {
    /// A Double; an Int is taken as its Double.
    public static func receiver(_ value: Value, _ rt: Runtime) throws -> Double {
        switch value {
        case .double(let d): return d
        case .int(let n): return Double(n)
        default: throw WrongReceiver()
        }
    }
}

extension Bool: Receiver, MutableReceiver {
    public static func receiver(_ value: Value, _ rt: Runtime) throws -> Bool {
        guard case .bool(let b) = value else { throw WrongReceiver() }
        return b
    }

    public static func mutate(_ value: inout Value, _ body: (inout Bool) throws -> Value) throws -> Value? {
        guard case .bool(var b) = value else { return nil }
        defer { value = .bool(b) }
        return try body(&b)
    }
}

/// Any value at all, as `description` takes it.
public struct AnyReceiver: Receiver {
    public let value: Value

    public static func receiver(_ value: Value, _ rt: Runtime) -> AnyReceiver { AnyReceiver(value: value) }
}

/// A range of Ints (`0..<10`, `1...6`) or of Doubles (`0.0..<1.0`).
public enum RangeReceiver: Receiver {
    case ints(Int, Int, closed: Bool)
    case doubles(Double, Double, closed: Bool)

    public static func receiver(_ value: Value, _ rt: Runtime) throws -> RangeReceiver {
        switch value {
        case .range(let lo, let hi, let closed): return .ints(lo, hi, closed: closed)
        case .doubleRange(let lo, let hi, let closed): return .doubles(lo, hi, closed: closed)
        default: throw WrongReceiver()
        }
    }
}

/// The elements of any sequence a for-in loop takes (an array, a range, a
/// string, a dictionary's (key, value) pairs), with the value they come from.
public struct SequenceReceiver: Receiver {
    public let value: Value
    public let items: [Value]

    public static func receiver(_ value: Value, _ rt: Runtime) throws -> SequenceReceiver {
        SequenceReceiver(value: value, items: try Sequences.elements(of: value, rt))
    }
}
