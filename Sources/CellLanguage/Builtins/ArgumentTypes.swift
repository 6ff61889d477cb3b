/// A type a builtin's parameter can be declared with. The registry turns each
/// argument into it before the builtin runs, or throws a TypeError with the
/// caret under the argument; a builtin never reads an argument by position.
///
/// A builtin takes its arguments in one of two typed forms (see
/// `Registry+Typed.swift`):
/// - as typed parameters, bound in the declaration's order:
///   `r.addMutatingMethod(on: "Array", "swapAt(_ i: Int, _ j: Int)", …, receiver: [Value].self,
///   arguments: (Int.self, Int.self)) { items, i, j, _ in … }`. The core
///   language's builtins, called in a cell's innermost loops, use this form:
///   the registry's part costs about 200 instructions per call (callgrind);
/// - as a `Decodable` struct with one property per parameter, by name
///   (`options: TrainArguments.self`), for builtins with many parameters,
///   most of them with defaults (the lesson vocabulary). Decoding a struct
///   goes through `Decoder` existentials and generic containers that per-file
///   `-O` cannot specialize: about 6,500 instructions per call, measured on
///   `xs.swapAt(0, 1)`, which took 3,070 in all with positional reads.
///
/// Both forms share these types, so an argument means the same in each.
public protocol ArgumentType {
    /// The argument `value` given for parameter `i` of `a` (for an array
    /// parameter decoded into a struct, one of its elements).
    init(argument value: Value, _ a: borrowing Arguments, _ i: Int) throws
}

extension Arguments {
    /// The parameter's declared type without `?` (`Dataset`), for messages.
    func declaredType(_ i: Int) -> String {
        let type = signature.parameters[i].type
        return type.hasSuffix("?") ? String(type.dropLast()) : type
    }
}

extension Value: ArgumentType {
    /// Any value (an `Any` or `Element` parameter), as passed.
    public init(argument value: Value, _ a: borrowing Arguments, _ i: Int) { self = value }
}

extension Int: ArgumentType {
    public init(argument value: Value, _ a: borrowing Arguments, _ i: Int) throws {
        guard case .int(let n) = value else { throw a.mismatch(i, expected: "Int") }
        self = n
    }
}

extension Double: ArgumentType {
    /// A Double; an Int is accepted and converted, as Swift does for literals.
    public init(argument value: Value, _ a: borrowing Arguments, _ i: Int) throws {
        switch value {
        case .double(let d): self = d
        case .int(let n): self = Double(n)
        default: throw a.mismatch(i, expected: "Double")
        }
    }
}

extension String: ArgumentType {
    public init(argument value: Value, _ a: borrowing Arguments, _ i: Int) throws {
        guard case .string(let s) = value else { throw a.mismatch(i, expected: "String") }
        self = s
    }
}

extension Bool: ArgumentType {
    public init(argument value: Value, _ a: borrowing Arguments, _ i: Int) throws {
        guard case .bool(let b) = value else { throw a.mismatch(i, expected: "Bool") }
        self = b
    }
}

/// The values of an array argument, or of a variadic parameter (`Any...`).
extension Array: ArgumentType where Element == Value {
    public init(argument value: Value, _ a: borrowing Arguments, _ i: Int) throws {
        guard case .array(let items) = value else { throw a.mismatch(i, expected: "Array") }
        self = items
    }
}

/// An optional parameter (`using generator: RandomGenerator? = nil`): nil
/// when the argument is `nil` or omitted.
extension Optional: ArgumentType where Wrapped: ArgumentType {
    public init(argument value: Value, _ a: borrowing Arguments, _ i: Int) throws {
        if case .optional(nil) = value { self = nil } else { self = try Wrapped(argument: value, a, i) }
    }
}

/// A host object argument of type `T` (a `DatasetObject`, a `ModelObject`…).
public struct HostArgument<T>: ArgumentType, Decodable {
    public let object: T

    public init(argument value: Value, _ a: borrowing Arguments, _ i: Int) throws {
        guard case .object(let o) = value, let t = o as? T else { throw a.mismatch(i, expected: a.declaredType(i)) }
        object = t
    }
}

/// A function argument (a closure, a builtin, an operator such as `+`).
public struct FunctionArgument: ArgumentType, Decodable {
    public let function: Callable

    public init(argument value: Value, _ a: borrowing Arguments, _ i: Int) throws {
        guard case .function(let f) = value else { throw a.mismatch(i, expected: "function") }
        function = f
    }
}

/// A result-builder block whose statements each give a host object of type
/// `T` (`Sequential { Dense(2, 32); ReLU() }` gives layers).
public struct BlockArgument<T: HostObject>: ArgumentType, Decodable {
    public let function: Callable
    let builtin: String

    public init(argument value: Value, _ a: borrowing Arguments, _ i: Int) throws {
        guard case .function(let f) = value else { throw a.mismatch(i, expected: "function") }
        function = f
        builtin = a.signature.name
    }

    /// Runs the block and returns what its statements give, in order; any
    /// other value is a TypeError: "a Sequential block holds \(holding), not 'Int'".
    public func objects(_ rt: Runtime, holding: String) throws -> [T] {
        try function.collectBuilderValues(rt).map { v in
            guard let t = T.cast(v) else {
                throw CellError.type("a \(builtin) block holds \(holding), not '\(v.typeName)'")
            }
            return t
        }
    }
}

/// Anything a for-in loop takes (an array, a range, a string, a dictionary),
/// whose elements a builtin reads when it needs them.
public struct SequenceArgument: ArgumentType, Decodable {
    public let value: Value
    let range: SourceRange

    public init(argument value: Value, _ a: borrowing Arguments, _ i: Int) {
        self.value = value
        range = a.range(i)
    }

    /// The elements; an error (not a sequence, too large) points at the argument.
    public func elements(_ rt: Runtime) throws -> [Value] {
        do { return try Sequences.elements(of: value, rt) } catch let e as CellError { throw e.located(range) }
    }
}

/// The argument types above are `Decodable` too, so that a struct of options
/// (`var data: HostArgument<DatasetObject>`) takes them the same way.
extension ArgumentType {
    init(decoding decoder: Decoder) throws {
        let d = try decoder.argument()
        try self.init(argument: d.value, d.arguments, d.index)
    }
}

extension Value: Decodable {
    public init(from decoder: Decoder) throws { try self.init(decoding: decoder) }
}

extension HostArgument {
    public init(from decoder: Decoder) throws { try self.init(decoding: decoder) }
}

extension FunctionArgument {
    public init(from decoder: Decoder) throws { try self.init(decoding: decoder) }
}

extension BlockArgument {
    public init(from decoder: Decoder) throws { try self.init(decoding: decoder) }
}

extension SequenceArgument {
    public init(from decoder: Decoder) throws { try self.init(decoding: decoder) }
}

extension Decoder {
    /// Where the argument being decoded was written, for checks made in a
    /// custom `init(from:)` (a threshold out of range, say).
    public var argumentRange: SourceRange {
        guard let d = try? argument() else { return .unknown }
        return d.arguments.range(d.index)
    }

    /// The argument being decoded.
    func argument() throws -> ArgumentValueDecoder {
        guard let d = self as? ArgumentValueDecoder else {
            throw CellError.type("an argument can only come from a cell's arguments")
        }
        return d
    }
}
