/// Declarations whose receiver and arguments the registry checks and decodes
/// once, so that a builtin's body gets typed values: its receiver as the
/// Swift type it is (`Receivers.swift`), its arguments as typed parameters in
/// the declaration's order (`arguments: (Int.self, Int.self)`, see
/// `ArgumentTypes.swift`) or as a struct of options by parameter name
/// (`options: TrainArguments.self`, see `TypedArguments.swift`); never a
/// positional read.
///
/// These wrappers are generic, and SwiftPM's per-file `-O` never specializes
/// generic code from another file (not even `@inlinable` code): so they work
/// through protocol witnesses only, and avoid what costs a metadata lookup
/// per call in unspecialized code (an optional of a generic type, a dynamic
/// cast, a `Decoder`). What is left costs about 200 instructions per call
/// (callgrind; `xs.append(i)` took 3,150 in all before).
extension BuiltinRegistry {
    // MARK: Functions

    /// A function with one typed parameter.
    public func addFunction<A: ArgumentType>(_ declaration: String, doc: String, example: String? = nil,
                                             arguments: A.Type, _ impl: @escaping (A, Runtime) throws -> Value) {
        addFunction(declaration, doc: doc, example: example) { a, rt in try impl(try a.typed(0, A.self), rt) }
    }

    /// A function with two typed parameters.
    public func addFunction<A: ArgumentType, B: ArgumentType>(
        _ declaration: String, doc: String, example: String? = nil, arguments: (A.Type, B.Type),
        _ impl: @escaping (A, B, Runtime) throws -> Value) {
        addFunction(declaration, doc: doc, example: example) { a, rt in
            try impl(try a.typed(0, A.self), try a.typed(1, B.self), rt)
        }
    }

    /// A function with three typed parameters.
    public func addFunction<A: ArgumentType, B: ArgumentType, C: ArgumentType>(
        _ declaration: String, doc: String, example: String? = nil, arguments: (A.Type, B.Type, C.Type),
        _ impl: @escaping (A, B, C, Runtime) throws -> Value) {
        addFunction(declaration, doc: doc, example: example) { a, rt in
            try impl(try a.typed(0, A.self), try a.typed(1, B.self), try a.typed(2, C.self), rt)
        }
    }

    /// A function whose arguments decode into `O`.
    public func addFunction<O: Decodable>(_ declaration: String, doc: String, example: String? = nil,
                                          options: O.Type, _ impl: @escaping (O, Runtime) throws -> Value) {
        addFunction(declaration, doc: doc, example: example) { a, rt in try impl(try a.decode(O.self), rt) }
    }

    // MARK: Methods

    /// A method on a receiver of Swift type `R` (`String`, `DatasetObject` for `Dataset`…) that takes no arguments.
    public func addMethod<R: Receiver>(on type: String, _ declaration: String, doc: String, example: String? = nil,
                                       receiver: R.Type, _ impl: @escaping (R, Runtime) throws -> Value) {
        addMethod(on: type, declaration, doc: doc, example: example) { v, a, rt in
            let r = try BuiltinRegistry.receiver(v, R.self, type, a.signature.name, rt)
            return try impl(r, rt)
        }
    }

    /// A method with one typed parameter.
    public func addMethod<R: Receiver, A: ArgumentType>(
        on type: String, _ declaration: String, doc: String, example: String? = nil, receiver: R.Type,
        arguments: A.Type, _ impl: @escaping (R, A, Runtime) throws -> Value) {
        addMethod(on: type, declaration, doc: doc, example: example) { v, a, rt in
            let r = try BuiltinRegistry.receiver(v, R.self, type, a.signature.name, rt)
            return try impl(r, try a.typed(0, A.self), rt)
        }
    }

    /// A method with two typed parameters.
    public func addMethod<R: Receiver, A: ArgumentType, B: ArgumentType>(
        on type: String, _ declaration: String, doc: String, example: String? = nil, receiver: R.Type,
        arguments: (A.Type, B.Type), _ impl: @escaping (R, A, B, Runtime) throws -> Value) {
        addMethod(on: type, declaration, doc: doc, example: example) { v, a, rt in
            let r = try BuiltinRegistry.receiver(v, R.self, type, a.signature.name, rt)
            return try impl(r, try a.typed(0, A.self), try a.typed(1, B.self), rt)
        }
    }

    /// A method on a receiver of Swift type `R` whose arguments decode into `O`.
    public func addMethod<R: Receiver, O: Decodable>(on type: String, _ declaration: String, doc: String, example: String? = nil,
                                                     receiver: R.Type, options: O.Type,
                                                     _ impl: @escaping (R, O, Runtime) throws -> Value) {
        addMethod(on: type, declaration, doc: doc, example: example) { v, a, rt in
            let r = try BuiltinRegistry.receiver(v, R.self, type, a.signature.name, rt)
            return try impl(r, try a.decode(O.self), rt)
        }
    }

    /// A static method (`Bool.random(using:)`) with one typed parameter.
    public func addMethod<A: ArgumentType>(on type: String, _ declaration: String, doc: String, example: String? = nil,
                                           arguments: A.Type, _ impl: @escaping (A, Runtime) throws -> Value) {
        addMethod(on: type, declaration, doc: doc, example: example) { _, a, rt in try impl(try a.typed(0, A.self), rt) }
    }

    /// A static method with two typed parameters.
    public func addMethod<A: ArgumentType, B: ArgumentType>(
        on type: String, _ declaration: String, doc: String, example: String? = nil, arguments: (A.Type, B.Type),
        _ impl: @escaping (A, B, Runtime) throws -> Value) {
        addMethod(on: type, declaration, doc: doc, example: example) { _, a, rt in
            try impl(try a.typed(0, A.self), try a.typed(1, B.self), rt)
        }
    }

    /// A static method (`Points.spirals(…)`) whose arguments decode into `O`.
    public func addMethod<O: Decodable>(on type: String, _ declaration: String, doc: String, example: String? = nil,
                                        options: O.Type, _ impl: @escaping (O, Runtime) throws -> Value) {
        addMethod(on: type, declaration, doc: doc, example: example) { _, a, rt in try impl(try a.decode(O.self), rt) }
    }

    // MARK: Mutating methods

    /// A mutating method (`xs.removeLast()`) that takes no arguments: the
    /// receiver changes in place, without a copy of its storage.
    public func addMutatingMethod<R: MutableReceiver>(on type: String, _ declaration: String, doc: String,
                                                      example: String? = nil, receiver: R.Type,
                                                      _ impl: @escaping (inout R, Runtime) throws -> Value) {
        addMutatingMethod(on: type, declaration, doc: doc, example: example) { v, a, rt in
            guard let result = try R.mutate(&v, { r in try impl(&r, rt) }) else {
                throw BuiltinRegistry.wrongReceiver(v, type, a.signature.name)
            }
            return result
        }
    }

    /// A mutating method with one typed parameter (`xs.append(3)`); the
    /// argument is decoded before the receiver changes.
    public func addMutatingMethod<R: MutableReceiver, A: ArgumentType>(
        on type: String, _ declaration: String, doc: String, example: String? = nil, receiver: R.Type,
        arguments: A.Type, _ impl: @escaping (inout R, A, Runtime) throws -> Value) {
        addMutatingMethod(on: type, declaration, doc: doc, example: example) { v, a, rt in
            let x = try a.typed(0, A.self)
            guard let result = try R.mutate(&v, { r in try impl(&r, x, rt) }) else {
                throw BuiltinRegistry.wrongReceiver(v, type, a.signature.name)
            }
            return result
        }
    }

    /// A mutating method with two typed parameters.
    public func addMutatingMethod<R: MutableReceiver, A: ArgumentType, B: ArgumentType>(
        on type: String, _ declaration: String, doc: String, example: String? = nil, receiver: R.Type,
        arguments: (A.Type, B.Type), _ impl: @escaping (inout R, A, B, Runtime) throws -> Value) {
        addMutatingMethod(on: type, declaration, doc: doc, example: example) { v, a, rt in
            let x = try a.typed(0, A.self), y = try a.typed(1, B.self)
            guard let result = try R.mutate(&v, { r in try impl(&r, x, y, rt) }) else {
                throw BuiltinRegistry.wrongReceiver(v, type, a.signature.name)
            }
            return result
        }
    }

    // MARK: Properties

    /// A read-only property of a receiver of Swift type `R`.
    public func addProperty<R: Receiver>(on type: String, _ declaration: String, doc: String, example: String? = nil,
                                         receiver: R.Type, _ getter: @escaping (R, Runtime) throws -> Value) {
        let name = declaration.split(separator: ":").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? declaration
        addProperty(on: type, declaration, doc: doc, example: example) { v, rt in
            let r = try BuiltinRegistry.receiver(v, R.self, type, name, rt)
            return try getter(r, rt)
        }
    }

    /// The receiver as the Swift type its member works with. The registry
    /// looks members up by type, so a receiver of another type means a
    /// declaration is wrong: a TypeError at the call, never a default answer.
    @inline(__always)
    static func receiver<R: Receiver>(_ v: Value, _ swiftType: R.Type, _ type: String, _ member: String,
                                      _ rt: Runtime) throws -> R {
        do { return try R.receiver(v, rt) } catch is WrongReceiver { throw wrongReceiver(v, type, member) }
    }

    static func wrongReceiver(_ v: Value, _ type: String, _ member: String) -> CellError {
        CellError.type("'\(member)' cannot be used on a value of type '\(v.typeName)'")
    }
}

extension Arguments {
    /// Parameter `i` as the value its type sees: an optional unwrapped when
    /// the parameter is declared optional (`Dataset?`); any other parameter
    /// but `Any` refuses an optional, as Swift does.
    @inline(__always)
    func argument(_ i: Int) -> Value {
        if case .optional(let w?) = values[i], signature.parameters[i].type.hasSuffix("?") { return w }
        return values[i]
    }

    /// Parameter `i` as `T` (here, beside the wrappers that call it, so that
    /// it is inlined into them).
    @inline(__always)
    func typed<T: ArgumentType>(_ i: Int, _ type: T.Type) throws -> T {
        try T(argument: argument(i), self, i)
    }
}
