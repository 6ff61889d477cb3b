/// The dictionary behind `[K: V]` values.
///
/// Keys keep their insertion order so that printing a dictionary gives the
/// same text on every run (Swift's own order is unspecified). Lookup is O(1);
/// removal is O(n).
public struct OrderedDictionary: Equatable {
    public private(set) var keys: [Value] = []
    public private(set) var values: [Value] = []
    private var index: [Value: Int] = [:]

    public init() {}

    public init(_ pairs: [(Value, Value)]) {
        for (k, v) in pairs { self[k] = v }
    }

    public var count: Int { keys.count }
    public var isEmpty: Bool { keys.isEmpty }
    /// How many entries fit before the storage grows.
    var capacity: Int { keys.capacity }

    /// Whether this dictionary owns its storage alone (changing it will not copy).
    mutating func isUniquelyStored() -> Bool { Memory.isUnique(&keys) }

    public subscript(key: Value) -> Value? {
        get { index[key].map { values[$0] } }
        set {
            if let newValue {
                if let i = index[key] {
                    values[i] = newValue
                } else {
                    index[key] = keys.count
                    keys.append(key)
                    values.append(newValue)
                }
            } else {
                removeValue(forKey: key)
            }
        }
    }

    /// Runs `body` on the value stored for `key`, which must be present, in
    /// place: the value is taken out of the storage meanwhile, so that an
    /// array kept in a dictionary is appended to without being copied.
    mutating func modifyValue<R>(forKey key: Value, _ body: (inout Value) throws -> R) rethrows -> R {
        guard let i = index[key] else {
            var missing = Value.void
            return try body(&missing)
        }
        return try modifyValue(at: i, body)
    }

    /// Where `key`'s value is stored (for `modifyValue(at:)`), nil when it is absent.
    func position(of key: Value) -> Int? { index[key] }

    /// Adds `key`, which must be absent, with `value`; returns where it is stored.
    mutating func appendNew(_ key: Value, _ value: Value) -> Int {
        index[key] = keys.count
        keys.append(key)
        values.append(value)
        return keys.count - 1
    }

    /// `modifyValue(forKey:_:)` for the value at a known position (no hashing).
    mutating func modifyValue<R>(at i: Int, _ body: (inout Value) throws -> R) rethrows -> R {
        var item = Value.void
        swap(&item, &values[i])
        defer { swap(&item, &values[i]) }
        return try body(&item)
    }

    @discardableResult
    public mutating func removeValue(forKey key: Value) -> Value? {
        guard let i = index.removeValue(forKey: key) else { return nil }
        let old = values[i]
        keys.remove(at: i)
        values.remove(at: i)
        for j in i..<keys.count { index[keys[j]] = j }
        return old
    }

    public mutating func removeAll() {
        keys = []
        values = []
        index = [:]
    }

    public static func == (lhs: OrderedDictionary, rhs: OrderedDictionary) -> Bool {
        guard lhs.count == rhs.count else { return false }
        for (k, v) in zip(lhs.keys, lhs.values) where rhs[k] != v { return false }
        return true
    }
}
