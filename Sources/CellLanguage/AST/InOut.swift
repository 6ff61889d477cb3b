import SwiftSyntax

/// `inout` parameters: `func bump(_ x: inout Int)` called as `bump(&count)`.
///
/// Swift's copy-in copy-out: the arguments' values go into the callee's
/// parameters, the body changes them there, and when it returns the final
/// values are written back to the variables passed with `&`. A function
/// with inout parameters always runs on the tree walker (its frame is read
/// after the call), and is only called through `InOutCallExpr`.

extension FunctionDecl {
    /// Consumes the mark an inout call leaves; a call without `&` is an error.
    func takeInoutCall(at range: SourceRange) throws {
        guard inoutCallPending else {
            let names = inoutParameters.map { "'\(parameters[$0].name)'" }.joined(separator: ", ")
            throw CellError.type("'\(name)' changes its inout parameter \(names): pass a variable with '&', as in \(name)(&x)",
                                 at: range, notes: ["'\(name)' is declared as \(signature.declaration)"])
        }
        inoutCallPending = false
    }
}

/// A call with `&` arguments to a user function.
final class InOutCallExpr: Expr {
    /// The call as written, run when the callee turns out to be a builtin
    /// (`shuffled(using: &generator)`).
    let plain: CallExpr
    let callee: Expr
    let args: [Expr]
    let labels: [String?]
    /// For each argument, the variable passed with `&`, or nil.
    let places: [Place?]
    let range: SourceRange

    init(plain: CallExpr, callee: Expr, args: [Expr], labels: [String?], places: [Place?], range: SourceRange) {
        self.plain = plain
        self.callee = callee
        self.args = args
        self.labels = labels
        self.places = places
        self.range = range
    }

    func eval(_ rt: Runtime, _ f: Frame) throws -> Value {
        let fv = try callee.eval(rt, f)
        guard case .function(let fn) = fv, let user = fn as? UserFunction else { return try plain.eval(rt, f) }
        let decl = user.decl
        let matched: [ArgumentMatcher.Slot]
        switch ArgumentMatcher.match(decl.parameters, labels: labels) {
        case .success(let s): matched = s
        case .failure(var e):
            e.range = range
            e.notes = ["'\(decl.name)' is declared as \(decl.signature.declaration)"]
            throw e
        }
        // Which argument each inout parameter writes back to.
        var writeBack: [(parameter: Int, place: Place)] = []
        for (i, slot) in matched.enumerated() {
            let isInout = decl.inoutParameters.contains(i)
            guard case .argument(let k) = slot else { continue }
            switch (isInout, places[k]) {
            case (true, let place?): writeBack.append((i, place))
            case (true, nil):
                throw CellError.type("passing a value to the inout parameter '\(decl.parameters[i].name)' requires '&'",
                                     at: args[k].range)
            case (false, _?):
                throw CellError.type("'&' passes a variable to an inout parameter, but '\(decl.parameters[i].name)' is not inout",
                                     at: args[k].range)
            case (false, nil): break
            }
        }
        var values: [Value] = []
        for (k, a) in args.enumerated() {
            values.append(try places[k].map { try $0.read(rt, f) } ?? a.eval(rt, f))
        }
        let frame = Frame(size: decl.frameSize, parent: user.captured)
        try user.bindMatched(matched, values, literals: args.map(\.isLiteral), ranges: args.map(\.range),
                             callRange: range, rt, into: frame.slots, defaultsScope: user.captured ?? frame)
        decl.inoutCallPending = true
        defer { decl.inoutCallPending = false }
        let result = try user.run(frame, rt, callRange: range)
        for (i, place) in writeBack {
            let new = frame.slots[decl.parameterSlots[i]]
            try place.modify(rt, f) { old in
                guard let c = Place.fit(new, replacing: old, literal: false) else {
                    throw CellError.type("cannot assign value of type '\(new.typeName)' to type '\(old.typeName)'",
                                         at: place.range)
                }
                old = c
            }
        }
        return result
    }
}

extension Place {
    /// The current value of the variable (or element) this place names.
    func read(_ rt: Runtime, _ f: Frame) throws -> Value {
        try modify(rt, f) { $0 }
    }
}

enum InOut {
    /// Calls `update` with `value` as an inout first parameter and `element`,
    /// and returns the changed value (`reduce(into:)`).
    static func update(_ value: inout Value, with update: Callable, _ element: Value, _ rt: Runtime) throws {
        guard let user = update as? UserFunction, user.decl.parameters.count == 2 else {
            throw CellError.type("reduce(into:) needs a closure of two parameters that changes the first, such as { $0 += $1 }")
        }
        let decl = user.decl
        let frame = Frame(size: decl.frameSize, parent: user.captured)
        try user.bind(0, value, literal: false, at: decl.range, into: frame.slots)
        value = .void
        try user.bind(1, element, literal: false, at: decl.range, into: frame.slots)
        _ = try user.run(frame, rt, callRange: decl.range)
        value = frame.slots[decl.parameterSlots[0]]
        frame.slots[decl.parameterSlots[0]] = .void
    }
}

extension Lowerer {
    /// The type of a parameter without its `inout`, noting parameter `i` as inout.
    func inoutBase(_ type: TypeSyntax, at i: Int, into marks: inout [Int]) -> TypeSyntax {
        guard let a = type.as(AttributedTypeSyntax.self),
              a.specifiers.contains(where: { $0.trimmedDescription == "inout" }) else { return type }
        marks.append(i)
        return a.baseType
    }

    func markInout(_ decl: FunctionDecl, _ parameters: [Int]) {
        guard !parameters.isEmpty else { return }
        decl.inoutParameters = parameters
        // Runs on the tree: its frame is read after the call.
        decl.capturesItsFrame = true
    }

    /// `f(&x)`: the call that writes the changed values back; nil when no
    /// argument has `&`.
    func inoutCall(_ call: FunctionCallExprSyntax, _ plain: CallExpr) throws -> Expr? {
        let syntax = Array(call.arguments)
        guard syntax.contains(where: { $0.expression.is(InOutExprSyntax.self) }) else { return nil }
        var places: [Place?] = []
        for a in syntax {
            guard let io = a.expression.as(InOutExprSyntax.self) else {
                places.append(nil)
                continue
            }
            guard let place = try placeFor(io.expression) else {
                throw CellError.type("'&' needs a variable, such as &count", at: range(io))
            }
            if place.isConstant {
                throw CellError.type("cannot pass immutable value as inout argument: '\(place.name)' is a 'let' constant",
                                     at: range(io))
            }
            places.append(place)
        }
        // Trailing closures come after the written arguments.
        places += Array(repeating: nil, count: plain.args.count - places.count)
        return InOutCallExpr(plain: plain, callee: plain.callee, args: plain.args, labels: plain.labels, places: places,
                             range: plain.range)
    }
}
