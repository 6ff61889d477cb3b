/// Comparisons for sorting, min and max.
enum Ordering {
    static func less(_ a: Value, _ b: Value) throws -> Bool {
        // An error inside the learner's own `<` stops the sort with that error.
        guard let r = try UserTypes.less(a, b) else {
            throw CellError.type("cannot compare values of type '\(a.typeName)' and '\(b.typeName)'")
        }
        return r
    }

    static func extreme(_ values: [Value], smallest: Bool) throws -> Value? {
        guard var best = values.first else { return nil }
        for v in values.dropFirst() {
            if smallest ? try less(v, best) : try less(best, v) { best = v }
        }
        return best
    }

    /// The first smallest (or largest) element by `areInIncreasingOrder`,
    /// as Swift's `min(by:)` and `max(by:)` pick it.
    static func extreme(_ values: [Value], by f: Callable, smallest: Bool, _ rt: Runtime) throws -> Value? {
        guard var best = values.first else { return nil }
        for v in values.dropFirst() {
            if smallest ? try lessBy(f, v, best, rt) : try lessBy(f, best, v, rt) { best = v }
        }
        return best
    }

    static func lessBy(_ f: Callable, _ a: Value, _ b: Value, _ rt: Runtime) throws -> Bool {
        let r = try f.invoke([a, b], rt)
        guard case .bool(let bv) = r else {
            throw CellError.type("the comparison closure must return a Bool, not '\(r.typeName)'")
        }
        return bv
    }

    static func sorted(_ items: [Value], by f: Callable?, _ rt: Runtime) throws -> [Value] {
        if items.count < 2 { return items }
        try Memory.charge(2 * Memory.values(items.count), "sorting")
        guard let f else { return try mergeSort(items) { try less($0, $1) } }
        return try f.withPairCalls(rt) { call in
            try mergeSort(items) { a, b in
                let r = try call(a, b)
                guard case .bool(let bv) = r else {
                    throw CellError.type("the sort comparator must return a Bool, not '\(r.typeName)'")
                }
                return bv
            }
        }
    }

    /// A merge sort that lets comparator errors propagate: stable, as
    /// Python's and (in practice) Swift's sorts are. Runs of doubling width
    /// are merged back and forth between two buffers, written through their
    /// pointers (no uniqueness check a write).
    private static func mergeSort(_ items: [Value], _ lt: (Value, Value) throws -> Bool) throws -> [Value] {
        var a = items
        var tmp = items
        let n = a.count
        let endsInA: Bool = try a.withUnsafeMutableBufferPointer { pa in
            try tmp.withUnsafeMutableBufferPointer { pt in
                guard var src = pa.baseAddress, var dst = pt.baseAddress else { return true }
                var inA = true
                var width = 1
                while width < n {
                    var i = 0
                    while i < n {
                        let mid = min(i + width, n), hi = min(i + 2 * width, n)
                        var l = i, r = mid, k = i
                        while l < mid && r < hi {
                            if try lt(src[r], src[l]) { dst[k] = src[r]; r += 1 } else { dst[k] = src[l]; l += 1 }
                            k += 1
                        }
                        while l < mid { dst[k] = src[l]; l += 1; k += 1 }
                        while r < hi { dst[k] = src[r]; r += 1; k += 1 }
                        i += 2 * width
                    }
                    swap(&src, &dst)
                    inA.toggle()
                    width *= 2
                }
                return inA
            }
        }
        return endsInA ? a : tmp
    }
}
