/// A type written in a cell (`Int`, `[Double]`, `String?`, `(Int, Int)`),
/// checked when a value is bound to an annotated name or parameter.
indirect enum TypeRef: CustomStringConvertible {
    case named(String)
    case array(TypeRef)
    case dictionary(TypeRef, TypeRef)
    /// `Set<T>`; an array literal given for it becomes a set.
    case set(TypeRef)
    case optional(TypeRef)
    case tuple([TypeRef], labels: [String?])
    case function
    case any
    /// A struct, enum, class or protocol the notebook declared.
    case user(UserType)

    var description: String {
        switch self {
        case .named(let n): return n
        case .user(let t): return t.name
        case .array(let t): return "[\(t)]"
        case .dictionary(let k, let v): return "[\(k): \(v)]"
        case .set(let t): return "Set<\(t)>"
        case .optional(let t): return "\(t)?"
        case .tuple(let ts, let labels):
            return "(" + zip(ts, labels).map { t, l in l.map { "\($0): \(t)" } ?? t.description }
                .joined(separator: ", ") + ")"
        case .function: return "function"
        case .any: return "Any"
        }
    }

    /// A cheap form for the hot checks on parameters and returns.
    var fast: FastType {
        switch self {
        case .any: return .any
        case .named("Int"): return .int
        case .named("Double"): return .double
        case .named("Bool"): return .bool
        case .named("String"): return .string
        default: return .complex
        }
    }

    var isVoid: Bool {
        if case .named("Void") = self { return true }
        if case .tuple(let ts, _) = self, ts.isEmpty { return true }
        return false
    }

    /// `Any` or `Any?`: a place of this type takes any value.
    var holdsAnything: Bool {
        switch self {
        case .any, .optional(.any): return true
        default: return false
        }
    }

    var isOptional: Bool {
        if case .optional = self { return true }
        return false
    }

    /// Why an argument does not fit its parameter's type `t`: an implicit
    /// member (`.nowhere`) the expected type does not have, or the two types.
    static func argumentMismatch(_ value: Value, _ t: TypeRef) -> String {
        if case .symbol(let name) = value, case .user(let type) = t {
            return "type '\(type.name)' has no member '\(name)'"
        }
        if case .symbol(let name) = value, case .named(let type) = t, Value.numberTypes.contains(type) {
            return "type '\(type)' has no member '\(name)'"
        }
        return "cannot convert value of type '\(value.typeName)' to expected argument type '\(t.description)'"
    }

    /// A declaration's value that does not fit its annotation: `nil` for a
    /// type that is not optional is told to make the type optional.
    static func specifiedMismatch(_ value: Value, _ t: TypeRef, at range: SourceRange) -> CellError {
        if case .optional(nil) = value, !t.isOptional {
            return CellError.type("'nil' cannot initialize specified type '\(t.description)'", at: range,
                                  notes: ["add '?' to make it optional: '\(t.description)?'"])
        }
        if case .symbol(let name) = value, case .named(let type) = t, Value.numberTypes.contains(type) {
            return CellError.type("type '\(type)' has no member '\(name)'", at: range)
        }
        return CellError.type("cannot convert value of type '\(value.typeName)' to specified type '\(t.description)'", at: range)
    }

    /// `value` as this type, or nil when it does not fit. Integer literals
    /// (`literal: true`) may become Doubles, as in Swift.
    func coerce(_ value: Value, literal: Bool) -> Value? {
        switch self {
        case .any: return value
        case .user(let t): return UserTypeRefs.coerce(value, to: t)
        case .function:
            if case .function = value { return value }
            return nil
        case .optional(let inner):
            if case .optional(let w) = value {
                guard let w else { return value }
                return inner.coerce(w, literal: literal).map { .optional($0) }
            }
            return inner.coerce(value, literal: literal).map { .optional($0) }
        case .array(let element):
            guard case .array(let items) = value else { return nil }
            if case .any = element { return value }
            // `[Int]`, `[String]`…: every element of the right type, nothing to copy.
            if Self.allPass(items, element.fast) { return value }
            // Copied only from the first element that changes (an Int literal
            // becoming a Double): a checked array of the right type is kept as it is.
            var out: [Value]?
            for (i, item) in items.enumerated() {
                guard let c = element.coerce(item, literal: literal) else { return nil }
                if out == nil, !c.isSameStorage(as: item) {
                    out = Array(items[..<i])
                    out?.reserveCapacity(items.count)
                }
                out?.append(c)
            }
            return out.map(Value.array) ?? value
        case .dictionary(let k, let v):
            guard case .dictionary(let d) = value else { return nil }
            // Rebuilt only when a key or value changes (literals becoming Doubles).
            var changed = false
            for (key, val) in zip(d.keys, d.values) {
                guard let ck = k.coerce(key, literal: literal), let cv = v.coerce(val, literal: literal) else {
                    return nil
                }
                if !ck.isSameStorage(as: key) || !cv.isSameStorage(as: val) {
                    changed = true
                    break
                }
            }
            guard changed else { return value }
            var out = OrderedDictionary()
            for (key, val) in zip(d.keys, d.values) {
                guard let ck = k.coerce(key, literal: literal), let cv = v.coerce(val, literal: literal) else {
                    return nil
                }
                out[ck] = cv
            }
            return .dictionary(out)
        case .set(let element):
            let items: [Value]
            switch value {
            case .array(let a): items = a
            case .set(let s): items = s.items
            default: return nil
            }
            var out = OrderedSet()
            for item in items {
                guard let c = element.coerce(item, literal: literal) else { return nil }
                out.insert(c)
            }
            return .set(out)
        case .tuple(let types, let labels):
            if types.isEmpty, case .void = value { return value }
            guard case .tuple(var t) = value, t.elements.count == types.count else { return nil }
            // `(b: 5, a: 6)` as an `(a: Int, b: Int)`: Swift puts the elements in the type's order by label.
            if t.labels != labels {
                let want = labels.compactMap { $0 }, have = t.labels.compactMap { $0 }
                if want.count == labels.count, have.count == t.labels.count, Set(want).count == want.count, Set(have) == Set(want) {
                    t = TupleValue(want.map { l in t.elements[have.firstIndex(of: l) ?? 0] }, labels: labels)
                }
            }
            var out: [Value] = []
            for (ty, v) in zip(types, t.elements) {
                guard let c = ty.coerce(v, literal: literal) else { return nil }
                out.append(c)
            }
            let merged = zip(labels, t.labels).map { $0 ?? $1 }
            return .tuple(TupleValue(out, labels: merged))
        case .named(let name):
            switch (name, value) {
            case ("Int", .int), ("Bool", .bool), ("String", .string), ("Character", .string): return value
            case ("Double", .double), ("Float", .double), ("CGFloat", .double): return value
            case ("Double", .int(let i)), ("Float", .int(let i)): return literal ? .double(Double(i)) : nil
            case ("Void", .void): return value
            case ("Range", .range), ("ClosedRange", .range): return value
            case ("Set", .set): return value
            case ("Set", .array(let items)): return .set(OrderedSet(items))   // `let s: Set = [1, 2]`
            case (_, .object(let o)): return o.typeName == name ? value : nil
            case (_, .symbol(let member)):
                // `let best: Double = .infinity`: the number type's own constants.
                if Value.numberTypes.contains(name) { return Value.implicitMember(member, of: name) }
                return value
            default: return nil
            }
        }
    }
}

extension TypeRef {
    /// True when every item is already of the simple type `fast` (false for `.complex`).
    static func allPass(_ items: [Value], _ fast: FastType) -> Bool {
        switch fast {
        case .int: return items.allSatisfy { if case .int = $0 { return true } else { return false } }
        case .double: return items.allSatisfy { if case .double = $0 { return true } else { return false } }
        case .bool: return items.allSatisfy { if case .bool = $0 { return true } else { return false } }
        case .string: return items.allSatisfy { if case .string = $0 { return true } else { return false } }
        case .any: return true
        case .complex: return false
        }
    }
}

/// Parameter and return types reduced to what the hot path checks.
enum FastType {
    case any, int, double, bool, string
    /// Anything else: check with the full TypeRef.
    case complex

    /// The value when it passes the cheap check; nil when the full check must decide.
    @inline(__always)
    func coerce(_ value: Value, literal: Bool) -> Value? {
        switch self {
        case .any: return value
        case .int:
            if case .int = value { return value }
            return nil
        case .double:
            if case .double = value { return value }
            if literal, case .int(let i) = value { return .double(Double(i)) }
            return nil
        case .bool:
            if case .bool = value { return value }
            return nil
        case .string:
            if case .string = value { return value }
            return nil
        case .complex:
            return nil
        }
    }
}
