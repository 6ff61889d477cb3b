/// Anything a cell can call: a builtin, a user function or a closure.
public class Callable {
    public let name: String

    init(name: String) { self.name = name }

    /// How the function's type reads in messages, e.g. `(Int) -> Int`.
    public var typeDescription: String { "function" }

    /// The signatures callers may use, for errors, completion and inspection.
    public var signatures: [Signature] { [] }

    /// Calls with argument labels as written at a call site.
    func call(_ args: [Value], labels: [String?], literals: [Bool], ranges: [SourceRange],
              callRange: SourceRange, _ rt: Runtime) throws -> Value {
        throw CellError.type("'\(name)' cannot be called", at: callRange)
    }

    /// Calls from a call site with unevaluated arguments (overridden by user
    /// functions to evaluate straight into the new frame).
    func callDirect(_ args: [Expr], labels: [String?], labelKey: String, literals: [Bool], callRange: SourceRange,
                    _ rt: Runtime, _ caller: Frame) throws -> Value {
        let argv = try evalArguments(args, rt, caller)
        return try call(argv, labels: labels, literals: args.map(\.isLiteral), ranges: args.map(\.range),
                        callRange: callRange, rt)
    }

    /// Runs a result-builder style block (`Sequential { Dense(8); ReLU() }`)
    /// and returns the value of each of its expression statements, in order.
    public func collectBuilderValues(_ rt: Runtime) throws -> [Value] {
        let v = try invoke([], rt)
        if case .void = v { return [] }
        return [v]
    }

    /// Calls with positional arguments, as builtins such as `map` do.
    public func invoke(_ args: [Value], _ rt: Runtime) throws -> Value {
        try call(args, labels: signatures.first?.parameters.map(\.label) ?? Array(repeating: nil, count: args.count),
                 literals: [], ranges: [], callRange: .unknown, rt)
    }

    /// `invoke([x], rt)`, without the array where a function can (the
    /// per-element calls of `map`, `filter`, `forEach`).
    public func invoke(_ x: Value, _ rt: Runtime) throws -> Value { try invoke([x], rt) }

    /// `invoke([x, y], rt)` (the calls of `reduce` and `sorted(by:)`).
    public func invoke(_ x: Value, _ y: Value, _ rt: Runtime) throws -> Value { try invoke([x, y], rt) }

    /// `invoke(x, rt)` on each element of `items` in order, giving `body` the
    /// element and its result (the calls of `map` and `filter`; a compiled
    /// closure runs them all on registers taken once).
    func invokeEach(_ items: [Value], _ rt: Runtime, _ body: (Value, Value) throws -> Void) throws {
        for x in items { try body(x, try invoke(x, rt)) }
    }

    /// Runs `body` with a function that calls this one on two arguments, for
    /// callers that call it many times (a sort's comparisons): a closure of
    /// one expression keeps one frame for all of them (see `UserFunction`).
    func withPairCalls<R>(_ rt: Runtime, _ body: ((Value, Value) throws -> Value) throws -> R) throws -> R {
        try body { try self.invoke($0, $1, rt) }
    }
}

/// A builtin function value, e.g. `print` passed to `forEach`.
final class BuiltinFunctionValue: Callable {
    let overloads: [BuiltinFunction]
    /// What the argument matcher needs of each overload, made once.
    private let shapes: [(Signature, [Value?])]

    init(name: String, overloads: [BuiltinFunction]) {
        self.overloads = overloads
        shapes = overloads.map { ($0.signature, $0.defaults) }
        super.init(name: name)
    }

    override var typeDescription: String { "(\(overloads.first?.signature.parameters.map(\.type).joined(separator: ", ") ?? "")) -> \(overloads.first?.signature.returns ?? "Void")" }
    override var signatures: [Signature] { overloads.map(\.signature) }

    override func call(_ args: [Value], labels: [String?], literals: [Bool], ranges: [SourceRange],
                       callRange: SourceRange, _ rt: Runtime) throws -> Value {
        let (k, matched) = try ArgumentMatcher.choose(shapes, args: args, labels: labels, ranges: ranges,
                                                      callRange: callRange)
        let fn = overloads[k]
        let a = Arguments(values: matched.values, signature: fn.signature, ranges: matched.ranges, callRange: callRange)
        do {
            return try fn.impl(a, rt)
        } catch {
            throw ErrorBoundary.passing(error, at: callRange, rt.registry)
        }
    }

    override func invoke(_ args: [Value], _ rt: Runtime) throws -> Value {
        // Builtins called positionally (e.g. `xs.map(abs)`) take their leading unlabeled parameters.
        try call(args, labels: Array(repeating: nil, count: args.count), literals: [], ranges: [],
                 callRange: .unknown, rt)
    }
}

/// A builtin method bound to its receiver, e.g. `let up = name.uppercased`.
final class BoundMethod: Callable {
    let receiver: Value
    let overloads: [BuiltinMember]

    init(receiver: Value, overloads: [BuiltinMember]) {
        self.receiver = receiver
        self.overloads = overloads
        super.init(name: overloads.first?.name ?? "method")
    }

    override var signatures: [Signature] { overloads.compactMap(\.signature) }

    override func call(_ args: [Value], labels: [String?], literals: [Bool], ranges: [SourceRange],
                       callRange: SourceRange, _ rt: Runtime) throws -> Value {
        var receiver = self.receiver
        return try MemberCalls.callMember(overloads, on: &receiver, args: args, labels: labels, ranges: ranges,
                                          callRange: callRange, rt)
    }

    override func invoke(_ args: [Value], _ rt: Runtime) throws -> Value {
        try call(args, labels: Array(repeating: nil, count: args.count), literals: [], ranges: [],
                 callRange: .unknown, rt)
    }
}

/// Which argument fills each parameter after label matching.
struct MatchedArguments {
    var values: [Value]
    var ranges: [SourceRange]
}

enum ArgumentMatcher {
    enum Slot {
        case argument(Int)
        case variadic([Int])
        case defaulted
    }

    /// Matches labels to parameters the way Swift does: in order, labels
    /// must match, parameters with defaults may be skipped.
    static func match(_ params: [Parameter], labels: [String?], strictTrailing: Bool = false) -> Result<[Slot], CellError> {
        func fits(_ label: String?, _ p: Parameter) -> Bool {
            strictTrailing ? label == p.label || (label == trailing && p.type.contains("->")) : Self.fits(label, p)
        }
        var slots: [Slot] = []
        var i = 0
        let n = labels.count
        for (pi, p) in params.enumerated() {
            if p.isVariadic {
                var taken: [Int] = []
                if i < n && fits(labels[i], p) {
                    taken.append(i)
                    i += 1
                    let nextLabel = pi + 1 < params.count ? params[pi + 1].label : "\u{0}"
                    while i < n && labels[i] == nil && nextLabel != nil {
                        taken.append(i)
                        i += 1
                    }
                }
                if taken.isEmpty && !p.hasDefault && i < n && !fits(labels[i], p) {
                    return .failure(labelError(have: labels[i], expected: p.label))
                }
                slots.append(.variadic(taken))
            } else if i < n && fits(labels[i], p) {
                slots.append(.argument(i))
                i += 1
            } else if p.hasDefault {
                slots.append(.defaulted)
            } else if i < n {
                return .failure(labelError(have: labels[i], expected: p.label))
            } else {
                return .failure(CellError.type("missing argument for parameter \(p.label.map { "'\($0)'" } ?? "#\(pi + 1)") in call"))
            }
        }
        if i < n {
            if let have = labels[i], have != trailing {
                let unused = params.compactMap(\.label).filter { $0 != have }
                if let close = Suggestions.closest(to: have, in: unused)
                    ?? unused.first(where: { have.count >= 3 && ($0.hasPrefix(have) || have.hasPrefix($0)) }) {
                    return .failure(CellError.type("incorrect argument label in call (have '\(have):', expected '\(close):')"))
                }
                return .failure(CellError.type("extra argument '\(have)' in call"))
            }
            return .failure(CellError.type("extra argument in call"))
        }
        return .success(slots)
    }

    /// Whether the labels name the parameters one to one (no defaults, no variadics).
    @inline(__always)
    static func exactLabels(_ params: [Parameter], _ labels: [String?]) -> Bool {
        guard params.count == labels.count else { return false }
        for i in 0..<params.count where params[i].isVariadic || params[i].label != labels[i] { return false }
        return true
    }

    /// A trailing closure fills the next parameter, whatever its label, that
    /// has a function type or needs an argument (Swift's forward scan: a
    /// parameter with a default that takes no function is skipped), so
    /// `fns.append { i * 10 }` passes the closure as the element.
    @inline(__always)
    static func fits(_ label: String?, _ p: Parameter) -> Bool {
        label == p.label || (label == trailing && (p.type.contains("->") || !p.hasDefault))
    }

    static let trailing = "$trailing"

    private static func labelError(have: String?, expected: String?) -> CellError {
        if have == trailing { return CellError.type("the trailing closure does not match parameter '\(expected ?? "_")'") }
        switch (have, expected) {
        case (nil, let e?): return CellError.type("missing argument label '\(e):' in call")
        case (let h?, nil): return CellError.type("extraneous argument label '\(h):' in call")
        case (let h?, let e?): return CellError.type("incorrect argument label in call (have '\(h):', expected '\(e):')")
        default: return CellError.type("extra argument in call")
        }
    }

    /// Whether the arguments plausibly have the parameters' simple types
    /// (used to choose between overloads such as `Int(_: Double)` and `Int(_: String)`).
    static func fitsRoughly(_ slots: [Slot], _ params: [Parameter], _ args: [Value]) -> Bool {
        for (slot, p) in zip(slots, params) {
            guard case .argument(let i) = slot else { continue }
            if !fitsRoughly(args[i], p) { return false }
        }
        return true
    }

    /// `fitsRoughly` for arguments given one per parameter.
    static func fitsRoughly(_ params: [Parameter], _ args: [Value]) -> Bool {
        for (p, v) in zip(params, args) where !fitsRoughly(v, p) { return false }
        return true
    }

    private static func fitsRoughly(_ v: Value, _ p: Parameter) -> Bool {
        switch (p.type, v) {
        case ("Int", .int), ("Double", .int), ("Double", .double), ("String", .string), ("Bool", .bool): return true
        case ("Int", _), ("Double", _), ("String", _), ("Bool", _): return false
        default: return true
        }
    }

    /// Picks the first overload whose labels match and fills in defaults.
    static func choose(_ overloads: [(Signature, [Value?])], args: [Value], labels: [String?], ranges: [SourceRange],
                       callRange: SourceRange) throws -> (Int, MatchedArguments) {
        // Fast path: one overload whose parameters the labels name exactly.
        if overloads.count == 1, exactLabels(overloads[0].0.parameters, labels) {
            return (0, MatchedArguments(values: args, ranges: ranges.count == args.count ? ranges
                : Array(repeating: callRange, count: args.count)))
        }
        var firstError: CellError?
        // A trailing closure goes to a parameter of function type when some
        // overload has one there (`xs.contains { … }` is `contains(where:)`),
        // and only then to another parameter (`fns.append { … }`).
        let passes = overloads.count > 1 && labels.contains(trailing) ? [true, false] : [false]
        for strict in passes {
        for (k, (sig, defaults)) in overloads.enumerated() {
            switch match(sig.parameters, labels: labels, strictTrailing: strict) {
            case .success(let slots) where overloads.count == 1 || k == overloads.count - 1
                || fitsRoughly(slots, sig.parameters, args):
                var values: [Value] = []
                var rs: [SourceRange] = []
                values.reserveCapacity(slots.count)
                for (pi, slot) in slots.enumerated() {
                    switch slot {
                    case .argument(let i):
                        values.append(args[i])
                        rs.append(i < ranges.count ? ranges[i] : callRange)
                    case .variadic(let idx):
                        if idx.isEmpty, let d = defaults[pi] {
                            values.append(d)
                        } else {
                            values.append(.array(idx.map { args[$0] }))
                        }
                        rs.append(idx.first.flatMap { $0 < ranges.count ? ranges[$0] : nil } ?? callRange)
                    case .defaulted:
                        values.append(defaults[pi] ?? .none)
                        rs.append(callRange)
                    }
                }
                return (k, MatchedArguments(values: values, ranges: rs))
            case .success: continue
            case .failure(let e):
                if firstError == nil && !strict { firstError = e }
            }
        }
        }
        var e = firstError ?? CellError.type("no matching call")
        e.range = callRange
        let name = overloads.first?.0.name ?? "function"
        e.notes = overloads.map { "'\(name)' is declared as \($0.0.declaration)" }
        throw e
    }
}
