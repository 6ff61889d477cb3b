/// Declarations whose receiver and arguments the registry checks and decodes
/// once, so that a builtin's body gets typed values: its receiver as the host
/// object it is, its arguments as the option struct declared beside it (see
/// `TypedArguments.swift`), never a positional read.
extension BuiltinRegistry {
    /// A method on a host object of Swift type `R` (`DatasetObject` for `Dataset`).
    public func addMethod<R>(on type: String, _ declaration: String, doc: String, example: String? = nil,
                             receiver: R.Type, _ impl: @escaping (R, Arguments, Runtime) throws -> Value) {
        addMethod(on: type, declaration, doc: doc, example: example) { v, a, rt in
            try impl(try BuiltinRegistry.receiver(v, R.self, type, a.signature.name), a, rt)
        }
    }

    /// A method on a host object whose arguments decode into `O`.
    public func addMethod<R, O: Decodable>(on type: String, _ declaration: String, doc: String, example: String? = nil,
                                           receiver: R.Type, options: O.Type,
                                           _ impl: @escaping (R, O, Runtime) throws -> Value) {
        addMethod(on: type, declaration, doc: doc, example: example) { v, a, rt in
            try impl(try BuiltinRegistry.receiver(v, R.self, type, a.signature.name), try a.decode(O.self), rt)
        }
    }

    /// A static method (`Points.spirals(…)`) or a method whose receiver it
    /// does not use, with arguments decoded into `O`.
    public func addMethod<O: Decodable>(on type: String, _ declaration: String, doc: String, example: String? = nil,
                                        options: O.Type, _ impl: @escaping (O, Runtime) throws -> Value) {
        addMethod(on: type, declaration, doc: doc, example: example) { _, a, rt in try impl(try a.decode(O.self), rt) }
    }

    /// A function whose arguments decode into `O`.
    public func addFunction<O: Decodable>(_ declaration: String, doc: String, example: String? = nil,
                                          options: O.Type, _ impl: @escaping (O, Runtime) throws -> Value) {
        addFunction(declaration, doc: doc, example: example) { a, rt in try impl(try a.decode(O.self), rt) }
    }

    /// A read-only property of a host object of Swift type `R`.
    public func addProperty<R>(on type: String, _ declaration: String, doc: String, example: String? = nil,
                               receiver: R.Type, _ getter: @escaping (R, Runtime) throws -> Value) {
        let name = declaration.split(separator: ":").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? declaration
        addProperty(on: type, declaration, doc: doc, example: example) { v, rt in
            try getter(try BuiltinRegistry.receiver(v, R.self, type, name), rt)
        }
    }

    /// The receiver as the host object its type promises; the registry looks
    /// members up by type, so a mismatch means a declaration is wrong.
    static func receiver<R>(_ v: Value, _ swiftType: R.Type, _ type: String, _ member: String) throws -> R {
        if case .object(let o) = v, let r = o as? R { return r }
        throw CellError.type("'\(member)' needs a \(type), not a value of type '\(v.typeName)'")
    }
}
