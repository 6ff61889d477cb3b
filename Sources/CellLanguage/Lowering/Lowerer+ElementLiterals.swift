import SwiftSyntax

/// An integer literal stored as a collection's element (`xs.append(2)`,
/// `d[k] = 2`, `d[k, default: 0]`) where the lowerer does not know the
/// element type: a Double when the collection already holds Doubles, as Swift
/// infers from `var xs = [1.5]`.
final class ElementLiteralExpr: Expr {
    let value: Expr
    /// A plain variable read of the collection (no effects).
    let collection: Expr
    let range: SourceRange
    init(value: Expr, collection: Expr) {
        self.value = value
        self.collection = collection
        self.range = value.range
    }
    var isIntegerLiteral: Bool { value.isIntegerLiteral }
    var isLiteral: Bool { value.isLiteral }
    func eval(_ rt: Runtime, _ f: Frame) throws -> Value {
        let v = try value.eval(rt, f)
        guard case .int(let n) = v else { return v }
        return ElementLiteralExpr.holdsDoubles(try collection.eval(rt, f)) ? .double(Double(n)) : v
    }

    /// Whether a collection's elements (a dictionary's values) are Doubles, judged by the first.
    static func holdsDoubles(_ c: Value) -> Bool {
        let first: Value?
        switch c {
        case .array(let items): first = items.first
        case .dictionary(let d): first = d.values.first
        case .set(let s): first = s.items.first
        case .optional(let w?): return holdsDoubles(w)
        default: first = nil
        }
        if case .double? = first { return true }
        return false
    }
}

/// A variable's value added to an annotated collection of Doubles: an Int is
/// a type error, as in Swift.
final class DoubleElementCheck: Expr {
    let value: Expr
    /// The variable's name, for the note (`write Double(k)`).
    let name: String?
    /// The message when it is an Int (the argument's message when nil).
    let message: String?
    let range: SourceRange
    init(value: Expr, name: String? = nil, message: String? = nil) {
        self.value = value
        self.name = name
        self.message = message
        self.range = value.range
    }
    func eval(_ rt: Runtime, _ f: Frame) throws -> Value {
        let v = try value.eval(rt, f)
        if case .int = v {
            var e = CoreBuiltins.intAmongDoubles()
            e.range = range
            if let message { e.message = message }
            if let name { e.notes = ["this collection holds Doubles: write Double(\(name)) to store an Int value"] }
            throw e
        }
        return v
    }
}

/// A value appended or inserted into a collection declared to hold Ints,
/// Strings or Bools (`var xs: [Int]`, `[String]()`), or assigned through an
/// array's subscript: another type is a type error, as Swift refuses it.
/// Compiled as `checkElement`.
final class ElementTypeCheck: Expr {
    /// Where a value goes, which Swift's message names.
    enum Destination {
        case argument, arraySubscript, dictionarySubscript
    }

    /// The element types whose literals and annotated variables are checked.
    static let checkedTypes: Set<String> = ["Int", "Double", "String", "Bool"]

    let value: Expr
    let expected: String
    let fast: FastType
    let destination: Destination
    let range: SourceRange

    /// Nil for an element type checked only when the cell is lowered (Double) or not at all.
    init?(value: Expr, expected: String, into destination: Destination) {
        switch expected {
        case "Int": fast = .int
        case "String": fast = .string
        case "Bool": fast = .bool
        default: return nil
        }
        self.value = value
        self.expected = expected
        self.destination = destination
        self.range = value.range
    }

    func eval(_ rt: Runtime, _ f: Frame) throws -> Value {
        let v = try value.eval(rt, f)
        guard fast.coerce(v, literal: false) != nil else { throw mismatch(v) }
        return v
    }

    func mismatch(_ v: Value) -> CellError {
        Self.mismatch(given: v.typeName, expected: expected, into: destination, at: range)
    }

    /// Swift's message for a value of type `given` going where `expected` goes.
    static func mismatch(given: String, expected: String, into destination: Destination, at range: SourceRange) -> CellError {
        switch destination {
        case .argument:
            return CellError.type("cannot convert value of type '\(given)' to expected argument type '\(expected)'", at: range)
        case .arraySubscript:
            return CellError.type("cannot assign value of type '\(given)' to subscript of type '\(expected)'", at: range)
        case .dictionarySubscript:
            return CellError.type("cannot assign value of type '\(given)' to subscript of type '\(expected)?'", at: range)
        }
    }

    /// The check's code in the `checkElement` instruction.
    var code: UInt8 {
        switch fast {
        case .int: return 1
        case .string: return 2
        default: return 3
        }
    }
}

extension Lowerer {
    /// The annotated type of a variable, or of an element of one (`m["a"]`,
    /// `m["a"]!`, `m["a"]?`), when the lowerer knows it.
    func declaredType(of e: ExprSyntax) -> TypeRef? {
        if let d = e.as(DeclReferenceExprSyntax.self) {
            switch resolve(d.baseName.text) {
            case .local(_, let info)?: return info.type
            case .global(_, _, let type)?: return type
            default: return nil
            }
        }
        if let s = e.as(SubscriptCallExprSyntax.self) { return declaredType(of: s.calledExpression).flatMap(Self.elementType) }
        if let f = e.as(ForceUnwrapExprSyntax.self) { return declaredType(of: f.expression) }
        if let o = e.as(OptionalChainingExprSyntax.self) { return declaredType(of: o.expression) }
        if let i = e.as(InfixOperatorExprSyntax.self), i.operator.as(BinaryOperatorExprSyntax.self)?.operator.text == "+" {
            return declaredType(of: i.leftOperand) ?? declaredType(of: i.rightOperand)   // `a + b + [6]`
        }
        if let t = e.as(TupleExprSyntax.self), t.elements.count == 1, let only = t.elements.first, only.label == nil {
            return declaredType(of: only.expression)
        }
        return nil
    }

    /// The element type of `[T]` and `Set<T>`, the value type of `[K: V]`.
    static func elementType(_ t: TypeRef) -> TypeRef? {
        switch t {
        case .array(let e), .set(let e): return e
        case .dictionary(_, let v): return v
        case .optional(let w): return elementType(w)
        default: return nil
        }
    }

    /// `value` as stored into the collection `collection` (syntax) names:
    /// integer literals become Doubles when its elements are Doubles, known
    /// from an annotation here or from its elements when it runs.
    func elementValue(_ value: Expr, into collection: ExprSyntax, lowered: Expr? = nil) throws -> Expr {
        if !value.isLiteral {
            return doubleElementCheck(value, into: collection, message: "cannot assign value of type 'Int' to subscript of type 'Double'")
        }
        if let t = declaredType(of: collection) { return Self.elementValue(value, type: Self.elementType(t)) }
        guard collection.is(DeclReferenceExprSyntax.self) else { return value }
        let read = try lowered ?? lowerExpr(collection)
        guard read is LocalGet || read is GlobalGet || read is OuterGet else { return value }
        if value.isIntegerLiteral { return ElementLiteralExpr(value: value, collection: read) }
        return value
    }

    /// The elements of an array literal added to a collection (`xs += [3]`, `xs + [3]`).
    func elementsValue(_ value: Expr, into collection: ExprSyntax, lowered: Expr? = nil) throws -> Expr {
        guard let a = value as? ArrayLiteralExpr else { return value }
        if let t = declaredType(of: collection) {
            // `xs += [k]` with `var xs: [Double]`: an Int variable is refused, as in Swift.
            let checked = ArrayLiteralExpr(elements: a.elements.map {
                doubleElementCheck($0, into: collection, message: "cannot convert value of type 'Int' to expected element type 'Double'")
            }, range: a.range)
            return Self.elementValue(checked, type: t)
        }
        guard a.elements.contains(where: \.isIntegerLiteral) else { return value }
        var out: [Expr] = []
        for e in a.elements { out.append(try elementValue(e, into: collection, lowered: lowered)) }
        return ArrayLiteralExpr(elements: out, range: a.range)
    }

    /// `value` with its integer literals as Doubles where `type` (an element
    /// type known here) has Doubles, also inside array literals.
    static func elementValue(_ value: Expr, type: TypeRef?) -> Expr {
        guard let type else { return value }
        switch type {
        case .named("Double"), .named("Float"), .named("CGFloat"):
            if let l = value as? LiteralExpr, case .int(let n) = l.value { return LiteralExpr(.double(Double(n)), range: l.range) }
            if let n = value as? NegateExpr, let l = n.operand as? LiteralExpr, case .int(let i) = l.value {
                return LiteralExpr(.double(-Double(i)), range: n.range)
            }
            return value
        case .optional(let w):
            return elementValue(value, type: w)
        case .array(let e), .set(let e):
            guard let a = value as? ArrayLiteralExpr else { return value }
            return ArrayLiteralExpr(elements: a.elements.map { elementValue($0, type: e) }, range: a.range)
        default:
            return value
        }
    }

    /// The arguments of `xs.append(2)`, `xs.insert(2, at: 0)` and `s.insert(2)`
    /// with their element literals typed as the collection's elements.
    func elementArguments(_ name: String, _ args: [Expr], _ labels: [String?], receiver: Expr,
                          base: ExprSyntax) throws -> [Expr] {
        guard name == "append" || name == "insert", let first = args.first, labels.first == .some(nil),
              labels.count == 1 || labels.count == 2 && labels[1] == "at" else { return args }
        try refuseMismatchedElement(first, into: declaredType(of: base).flatMap(Self.elementType), .argument)
        var out = args
        if !first.isLiteral {
            // `xs.append(k)` with `var xs: [Double] = []`: an Int variable is refused even while xs is empty.
            if first is LocalGet || first is GlobalGet || first is OuterGet,
               case .named("Double")? = declaredType(of: base).flatMap(Self.elementType) {
                out[0] = DoubleElementCheck(value: first, name: variableName(first))
            }
            out[0] = checkedElement(out[0], into: base, .argument)
            return out
        }
        out[0] = try elementValue(first, into: base, lowered: receiver)
        // `names.append(7 + 1)`: literals computed, checked when they go in.
        if !(out[0] is LiteralExpr) { out[0] = checkedElement(out[0], into: base, .argument) }
        return out
    }

    /// `value` checked as it goes into a collection declared to hold Ints,
    /// Strings or Bools; as it is into any other.
    func checkedElement(_ value: Expr, into base: ExprSyntax, _ destination: ElementTypeCheck.Destination) -> Expr {
        guard case .named(let t)? = declaredType(of: base).flatMap(Self.elementType) else { return value }
        return ElementTypeCheck(value: value, expected: t, into: destination) ?? value
    }

    /// `xs[i] = v` into an array declared to hold Ints, Strings or Bools
    /// (`var xs: [Int]`): a literal or annotated variable of another type is
    /// refused now, another value checked as it goes in. Into a dictionary
    /// (`ages["cod"] = v`), only a literal or annotated variable is checked:
    /// its subscript also takes an optional, to remove.
    func checkedSubscriptElement(_ value: Expr, into base: ExprSyntax) throws -> Expr {
        switch declaredType(of: base) {
        case .dictionary(_, let v)?:
            try refuseMismatchedElement(value, into: v, .dictionarySubscript)
            return value
        case .array(let element)?:
            try refuseMismatchedElement(value, into: element, .arraySubscript)
            return value is LiteralExpr ? value : checkedElement(value, into: base, .arraySubscript)
        default:
            return value
        }
    }
}

extension Lowerer {
    /// `xs.append("x")` on `var xs: [Int]`: a literal, or a variable
    /// annotated with a type, that cannot be an element of the collection's
    /// declared type (Int, Double, String, Bool) is refused where Swift
    /// refuses it. Other values are not checked here.
    func refuseMismatchedElement(_ value: Expr, into element: TypeRef?, _ destination: ElementTypeCheck.Destination) throws {
        guard case .named(let expected)? = element, ElementTypeCheck.checkedTypes.contains(expected) else { return }
        let given: String
        if let l = value as? LiteralExpr {
            switch l.value {
            case .int: given = "Int"
            case .double: given = "Double"
            case .string: given = "String"
            case .bool: given = "Bool"
            default: return
            }
            // An integer literal is a Double where a Double goes.
            if given == "Int" && expected == "Double" { return }
        } else if case .named(let t)? = localBinding(read: value)?.info.type ?? declaredGlobalType(read: value) {
            given = t
        } else {
            return
        }
        guard given != expected, ElementTypeCheck.checkedTypes.contains(given) else { return }
        throw ElementTypeCheck.mismatch(given: given, expected: expected, into: destination, at: value.range)
    }

    /// The annotated type of the notebook variable `e` reads.
    func declaredGlobalType(read e: Expr) -> TypeRef? {
        guard let g = e as? GlobalGet else { return nil }
        return globals.types[g.slot.name] ?? cellGlobals[g.slot.name]?.2
    }

    /// The name and what the lowerer knows of the local or outer variable `e` reads.
    func localBinding(read e: Expr) -> (name: String, info: LocalInfo)? {
        let (depth, index): (Int, Int)
        if let l = e as? LocalGet {
            (depth, index) = (0, l.index)
        } else if let o = e as? OuterGet {
            (depth, index) = (o.depth, o.index)
        } else {
            return nil
        }
        guard let s = scope(outBy: depth) else { return nil }
        for block in s.blocks.reversed() {
            if let (name, info) = block.first(where: { $0.value.index == index }) { return (name, info) }
        }
        return nil
    }
}

extension Lowerer {
    /// A subscript's arguments; `default:` is an element (`d[k, default: 0]`).
    func subscriptArguments(_ s: SubscriptCallExprSyntax, collection: Expr? = nil) throws -> [Expr] {
        try s.arguments.map { a in
            let e = try lowerExpr(a.expression)
            guard a.label?.text == "default" else { return e }
            return try elementValue(e, into: s.calledExpression, lowered: collection)
        }
    }
}

extension Lowerer {
    /// The type `var xs = [Double]()` or `[String: Int]()` gives its variable,
    /// as if annotated (builtin element types only).
    static func inferredType(_ initializer: ExprSyntax) -> TypeRef? {
        guard let call = initializer.as(FunctionCallExprSyntax.self), call.arguments.isEmpty,
              call.trailingClosure == nil else { return nil }
        return typeNamed(call.calledExpression)
    }

    static func typeNamed(_ e: ExprSyntax) -> TypeRef? {
        if let d = e.as(DeclReferenceExprSyntax.self) {
            let name = d.baseName.text
            return ElementTypeCheck.checkedTypes.contains(name) ? .named(name) : nil
        }
        if let a = e.as(ArrayExprSyntax.self), a.elements.count == 1, let only = a.elements.first {
            return typeNamed(only.expression).map { .array($0) }
        }
        if let d = e.as(DictionaryExprSyntax.self), case .elements(let pairs) = d.content, pairs.count == 1,
           let p = pairs.first, let k = typeNamed(p.key), let v = typeNamed(p.value) {
            return .dictionary(k, v)
        }
        return nil
    }
}

extension Lowerer {
    /// `value` checked not to be an Int when it is a variable stored into a
    /// collection annotated to hold Doubles (`ds[0] = k`, `d["a"] = k`).
    func doubleElementCheck(_ value: Expr, into collection: ExprSyntax, message: String) -> Expr {
        guard let name = variableName(value),
              case .named("Double")? = declaredType(of: collection).flatMap(Self.elementType) else { return value }
        return DoubleElementCheck(value: value, name: name, message: message)
    }

    /// The name of the variable `e` reads, when it is a plain variable read.
    func variableName(_ e: Expr) -> String? {
        if let g = e as? GlobalGet { return g.slot.name }
        guard e is LocalGet || e is OuterGet else { return nil }
        return localBinding(read: e)?.name ?? "n"
    }
}
