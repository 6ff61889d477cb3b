/// "Did you mean" suggestions by edit distance.
public enum Suggestions {
    /// The closest candidate within a small edit distance, or nil.
    public static func closest(to name: String, in candidates: [String]) -> String? {
        let limit = max(1, min(3, name.count / 3))
        var best: (String, Int)?
        let lower = name.lowercased()
        for c in Set(candidates) where c != name {
            let d = c.lowercased() == lower ? 0 : distance(lower, c.lowercased())
            guard d <= limit else { continue }
            if let b = best, d > b.1 || (d == b.1 && c >= b.0) { continue }
            best = (c, d)
        }
        return best?.0
    }

    /// Damerau–Levenshtein distance (optimal string alignment).
    static func distance(_ a: String, _ b: String) -> Int {
        let x = Array(a.unicodeScalars), y = Array(b.unicodeScalars)
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        if abs(x.count - y.count) > 3 { return abs(x.count - y.count) }
        var d = Array(repeating: Array(repeating: 0, count: y.count + 1), count: x.count + 1)
        for i in 0...x.count { d[i][0] = i }
        for j in 0...y.count { d[0][j] = j }
        for i in 1...x.count {
            for j in 1...y.count {
                let cost = x[i - 1] == y[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, x[i - 1] == y[j - 2], x[i - 2] == y[j - 1] {
                    d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
                }
            }
        }
        return d[x.count][y.count]
    }
}

/// Iteration over the values a `for` loop or `map` accepts.
public enum Sequences {
    public static func elements(of v: Value, _ rt: Runtime) throws -> [Value] {
        switch v {
        case .array(let items): return items
        case .range(let lo, let hi, let closed):
            if hi == Int.max && !closed {
                throw CellError.value("cannot iterate over a range with no upper bound")
            }
            if closed ? lo > hi : lo >= hi { return [] }
            let count = (closed ? hi : hi - 1).subtractingReportingOverflow(lo)
            if count.overflow { throw CellError(.resourceLimit, "the range \(v.debugDescription) is too large") }
            try rt.checkCount(count.partialValue + 1)
            try Memory.charge(Memory.values(count.partialValue + 1), "the numbers of this range")
            let n = count.partialValue + 1
            return [Value](unsafeUninitializedCapacity: n) { buffer, made in
                guard let base = buffer.baseAddress else { return }
                for k in 0..<n { (base + k).initialize(to: .int(lo &+ k)) }
                made = n
            }
        case .string(let s):
            try Memory.charge(Memory.values(s.utf8.count), "the characters of this string")
            return s.map { .string(String($0)) }
        case .dictionary(let d):
            try Memory.charge(Memory.values(d.count, each: Memory.valueBytes + Memory.tupleBytes(2)),
                              "the entries of this dictionary")
            return zip(d.keys, d.values).map { .tuple(TupleValue([$0, $1], labels: ["key", "value"])) }
        case .tuple(let t): return t.elements
        case .set(let s): return s.items
        case .optional:
            throw CellError.type("value of optional type '\(v.typeName)' must be unwrapped before iterating over it")
        case .object:
            if let ms = rt.registry.member("elements", of: v), case .property(let getter) = ms[0].kind {
                return try elements(of: getter(v, rt), rt)
            }
            fallthrough
        default:
            throw CellError.type("for-in loop requires '\(v.typeName)' to be a sequence")
        }
    }
}
