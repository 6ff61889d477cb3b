import KernelMemory

/// What cells allocate, charged against the kernel's memory budget
/// (`MemoryBudget`) before it is made: the result of a concatenation, a
/// repeat, a copy, the growth of an array or dictionary, the elements of a
/// sequence, the text of a value. A refusal is a `ResourceLimit` that says
/// what needed how much.
///
/// Sizes are the storage Swift allocates for them: `Value.stride` bytes an
/// element, a header per buffer, the UTF-8 bytes of a string (strings of up
/// to 15 bytes live inside the value and cost nothing).
enum Memory {
    /// Bytes of one `Value` in an array or register.
    static let valueBytes = MemoryLayout<Value>.stride
    /// The header of a heap buffer (array storage, string storage, box).
    static let header = 32
    /// One dictionary entry: its key and value in the ordered arrays, and the
    /// index's slot (a key and an Int at a load of at most three quarters).
    static let entryBytes = 2 * valueBytes + (valueBytes + 8) * 4 / 3 + 1

    /// A tuple of `n` elements: its box, its elements and its labels.
    static func tupleBytes(_ n: Int) -> Int {
        3 * header + n * (valueBytes + MemoryLayout<String?>.stride)
    }

    /// Charges `bytes`; `what` names the allocation in the error ("joining these strings").
    @inline(__always)
    static func charge(_ bytes: Int, _ what: StaticString, at range: SourceRange = .unknown) throws {
        do { try MemoryBudget.charge(bytes) } catch { throw refused(error, what, at: range) }
    }

    /// The storage of `count` values (saturating: a count too large for any
    /// machine still gives a size the budget refuses).
    @inline(__always)
    static func values(_ count: Int, each: Int = valueBytes) -> Int {
        if count == 0 { return 0 }
        let (n, o) = count.multipliedReportingOverflow(by: each)
        return o || count < 0 ? Int.max / 2 : n + header
    }

    /// The storage of a string of `utf8` bytes (nothing for a small string).
    @inline(__always)
    static func text(_ utf8: Int) -> Int {
        utf8 <= 15 ? 0 : (utf8 < 0 ? Int.max / 2 : utf8 + header)
    }

    /// `a + b` without overflow.
    @inline(__always)
    static func sum(_ a: Int, _ b: Int) -> Int {
        let (n, o) = a.addingReportingOverflow(b)
        return o ? Int.max / 2 : n
    }

    /// What appending `added` elements to `items` allocates: a copy when its
    /// storage is shared, new storage when it is full, else nothing.
    @inline(__always)
    static func growth(of items: inout [Value], adding added: Int) -> Int {
        let needed = sum(items.count, added)
        if !isUnique(&items) { return values(needed) }
        if needed <= items.capacity { return 0 }
        return values(Swift.max(needed, 2 * items.capacity))
    }

    /// What appending `added` bytes to a string of `count` bytes allocates:
    /// its storage grows by doubling, so crossing a power of two costs the
    /// whole new string; appending within it only the added bytes.
    @inline(__always)
    static func textGrowth(_ count: Int, adding added: Int) -> Int {
        let needed = sum(count, added)
        if needed <= 15 { return 0 }
        let before = count <= 15 ? 0 : Int.bitWidth - (count - 1).leadingZeroBitCount
        let after = Int.bitWidth - (needed - 1).leadingZeroBitCount
        return after > before ? text(2 * needed) : added
    }

    /// Whether `items` owns its storage alone (writing to it will not copy).
    /// An array is one reference to its storage, so the check is the
    /// runtime's own; `MemoryTests` checks that it still tells the two apart.
    @inline(__always)
    static func isUnique(_ items: inout [Value]) -> Bool {
        if items.capacity == 0 { return true }
        return withUnsafeMutablePointer(to: &items) { p in
            p.withMemoryRebound(to: AnyObject.self, capacity: 1) { isKnownUniquelyReferenced(&$0.pointee) }
        }
    }

    /// The bytes a dictionary grows by when `added` new keys go into `d`.
    static func growth(of d: inout OrderedDictionary, adding added: Int) -> Int {
        let needed = sum(d.count, added)
        if !d.isUniquelyStored() { return values(needed, each: entryBytes) }
        if needed <= d.capacity { return 0 }
        return values(Swift.max(needed, 2 * d.capacity), each: entryBytes)
    }

    @inline(never)
    static func refused(_ r: MemoryRefusal, _ what: StaticString, at range: SourceRange) -> CellError {
        CellError(.resourceLimit, message(r, what: "\(what)"), at: range, notes: advice)
    }

    /// The sentence of a refusal: what needed how much, and how much of the budget is held.
    static func message(_ r: MemoryRefusal, what: String) -> String {
        if r.requested == 0 {
            return "the cell's values took the kernel past its memory budget: \(r.holding); the cell stopped there"
        }
        return "\(what) would need \(MemoryBudget.format(r.requested)) more, but \(r.holding); "
            + "the cell stopped before making it"
    }

    static let advice = [
        "variables from earlier cells keep their values; free memory by emptying big ones (for example `hoard = []`) "
            + "or work on a smaller part (`.prefix(1000)`)"
    ]
}
