/// A builtin's arguments decoded into a typed struct declared beside it: one
/// property per parameter, named as in the declaration. The registry knows
/// each parameter's name, type and default, so the struct is all a builtin
/// writes; a wrong type is a TypeError pointing at the argument.
///
///     struct Options: Decodable { var epochs: Int; var learningRate: Double; var validation: HostArgument<DatasetObject>? }
///     r.addMethod(on: "Sequential", "train(…)", doc: …, receiver: ModelObject.self, options: Options.self) { model, o, rt in … }
///
/// Supported property types: the `ArgumentType`s (`Int`, `Double` taking
/// Ints, `Bool`, `String`, `Value` for `Any`, `HostArgument<T>`,
/// `FunctionArgument`, `BlockArgument<T>`, `SequenceArgument`), arrays of
/// them, and optionals of any of them (`nil` or omitted). This form suits
/// builtins with many parameters, most with defaults; it is too slow for a
/// builtin in a cell's inner loop (see `ArgumentTypes.swift`).
extension Arguments {
    public func decode<T: Decodable>(_ type: T.Type = T.self) throws -> T {
        try T(from: ArgumentDecoder(arguments: self))
    }

    /// The position of the parameter called `name`.
    func index(of name: String) -> Int? { signature.parameters.firstIndex { $0.name == name } }
}

/// Decodes a struct from a builtin's matched arguments, by parameter name.
struct ArgumentDecoder: Decoder {
    let arguments: Arguments
    var codingPath: [CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(ParameterContainer<Key>(arguments: arguments))
    }

    func unkeyedContainer() throws -> UnkeyedDecodingContainer {
        throw CellError.type("builtin options are a struct with one property per parameter")
    }

    func singleValueContainer() throws -> SingleValueDecodingContainer {
        throw CellError.type("builtin options are a struct with one property per parameter")
    }
}

/// The parameters of a builtin, by name.
struct ParameterContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let arguments: Arguments
    var codingPath: [CodingKey] { [] }
    var allKeys: [Key] { arguments.signature.parameters.compactMap { Key(stringValue: $0.name) } }

    func contains(_ key: Key) -> Bool { arguments.index(of: key.stringValue) != nil }

    func index(_ key: Key) throws -> Int {
        guard let i = arguments.index(of: key.stringValue), i < arguments.count else {
            throw CellError.type("'\(arguments.signature.name)' has no parameter '\(key.stringValue)'")
        }
        return i
    }

    func decodeNil(forKey key: Key) throws -> Bool {
        if case .optional(nil) = arguments[try index(key)] { return true }
        return false
    }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try decodeValue(type, key) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try decodeValue(type, key) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try decodeValue(type, key) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try decodeValue(type, key) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try decodeValue(type, key) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try decodeValue(type, key) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try decodeValue(type, key) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try decodeValue(type, key) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try decodeValue(type, key) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try decodeValue(type, key) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try decodeValue(type, key) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try decodeValue(type, key) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try decodeValue(type, key) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try decodeValue(type, key) }
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try decodeValue(type, key) }

    private func decodeValue<T: Decodable>(_ type: T.Type, _ key: Key) throws -> T {
        let i = try index(key)
        return try ArgumentValueDecoder(arguments: arguments, index: i, value: arguments.argument(i)).decode(T.self)
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
        -> KeyedDecodingContainer<NestedKey> {
        throw CellError.type("builtin options hold plain values")
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> UnkeyedDecodingContainer {
        throw CellError.type("builtin options hold plain values")
    }

    func superDecoder() throws -> Decoder { ArgumentDecoder(arguments: arguments) }
    func superDecoder(forKey key: Key) throws -> Decoder { ArgumentDecoder(arguments: arguments) }
}

/// One argument (or one element of an array argument) being decoded; type
/// errors point at the argument.
struct ArgumentValueDecoder: Decoder, SingleValueDecodingContainer {
    let arguments: Arguments
    let index: Int
    let value: Value
    var codingPath: [CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        throw arguments.mismatch(index, expected: arguments.declaredType(index))
    }

    func unkeyedContainer() throws -> UnkeyedDecodingContainer {
        guard case .array(let items) = value else { throw arguments.mismatch(index, expected: "Array") }
        return ElementContainer(arguments: arguments, index: index, items: items)
    }

    func singleValueContainer() throws -> SingleValueDecodingContainer { self }

    func decodeNil() -> Bool {
        if case .optional(nil) = value { return true }
        return false
    }

    func decode(_ type: Bool.Type) throws -> Bool {
        if case .bool(let b) = value { return b }
        throw arguments.mismatch(index, expected: "Bool")
    }

    func decode(_ type: String.Type) throws -> String {
        if case .string(let s) = value { return s }
        throw arguments.mismatch(index, expected: "String")
    }

    func decode(_ type: Double.Type) throws -> Double {
        switch value {
        case .double(let d): return d
        case .int(let n): return Double(n)
        default: throw arguments.mismatch(index, expected: "Double")
        }
    }

    func decode(_ type: Int.Type) throws -> Int {
        if case .int(let n) = value { return n }
        throw arguments.mismatch(index, expected: "Int")
    }

    func decode(_ type: Float.Type) throws -> Float { Float(try decode(Double.self)) }
    func decode(_ type: Int8.Type) throws -> Int8 { throw arguments.mismatch(index, expected: "Int") }
    func decode(_ type: Int16.Type) throws -> Int16 { throw arguments.mismatch(index, expected: "Int") }
    func decode(_ type: Int32.Type) throws -> Int32 { throw arguments.mismatch(index, expected: "Int") }
    func decode(_ type: Int64.Type) throws -> Int64 { Int64(try decode(Int.self)) }
    func decode(_ type: UInt.Type) throws -> UInt { throw arguments.mismatch(index, expected: "Int") }
    func decode(_ type: UInt8.Type) throws -> UInt8 { throw arguments.mismatch(index, expected: "Int") }
    func decode(_ type: UInt16.Type) throws -> UInt16 { throw arguments.mismatch(index, expected: "Int") }
    func decode(_ type: UInt32.Type) throws -> UInt32 { throw arguments.mismatch(index, expected: "Int") }
    func decode(_ type: UInt64.Type) throws -> UInt64 { throw arguments.mismatch(index, expected: "Int") }

    func decode<T: Decodable>(_ type: T.Type) throws -> T { try T(from: self) }
}

/// The elements of an array argument.
struct ElementContainer: UnkeyedDecodingContainer {
    let arguments: Arguments
    let index: Int
    let items: [Value]
    var codingPath: [CodingKey] { [] }
    var count: Int? { items.count }
    var isAtEnd: Bool { currentIndex >= items.count }
    var currentIndex = 0

    init(arguments: Arguments, index: Int, items: [Value]) {
        self.arguments = arguments
        self.index = index
        self.items = items
    }

    mutating func decodeNil() throws -> Bool {
        if case .optional(nil) = items[currentIndex] { currentIndex += 1; return true }
        return false
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        defer { currentIndex += 1 }
        return try ArgumentValueDecoder(arguments: arguments, index: index, value: items[currentIndex]).decode(T.self)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        throw arguments.mismatch(index, expected: "Array")
    }

    mutating func nestedUnkeyedContainer() throws -> UnkeyedDecodingContainer {
        guard case .array(let inner) = items[currentIndex] else { throw arguments.mismatch(index, expected: "Array") }
        currentIndex += 1
        return ElementContainer(arguments: arguments, index: index, items: inner)
    }

    mutating func superDecoder() throws -> Decoder { ArgumentDecoder(arguments: arguments) }
}
