/// The dictionary behind `[K: V]` values.
///
/// Keys keep their insertion order so that printing a dictionary gives the
/// same text on every run (Swift's own order is unspecified). Lookup is O(1);
/// removal is O(n).
///
/// One reference to its storage, copied on write: a `Value` holds it without
/// a box of its own, so `counts[w, default: 0] += 1` changes the entry in
/// place instead of boxing the dictionary again after every change.
public struct OrderedDictionary: Equatable {
    final class Storage {
        var keys: [Value]
        var values: [Value]
        var index: [Value: Int]

        init(keys: [Value] = [], values: [Value] = [], index: [Value: Int] = [:]) {
            self.keys = keys
            self.values = values
            self.index = index
        }
    }

    private var storage: Storage

    public var keys: [Value] { storage.keys }
    public var values: [Value] { storage.values }

    public init() { storage = Storage() }

    public init(_ pairs: [(Value, Value)]) {
        storage = Storage()
        for (k, v) in pairs { self[k] = v }
    }

    public var count: Int { storage.keys.count }
    public var isEmpty: Bool { storage.keys.isEmpty }
    /// How many entries fit before the storage grows.
    var capacity: Int { storage.keys.capacity }

    /// Whether this dictionary owns its storage alone (changing it will not copy).
    mutating func isUniquelyStored() -> Bool {
        isKnownUniquelyReferenced(&storage) && Memory.isUnique(&storage.keys)
    }

    /// The storage, copied first when another value shares it.
    @inline(__always)
    private mutating func unique() -> Storage {
        if !isKnownUniquelyReferenced(&storage) {
            storage = Storage(keys: storage.keys, values: storage.values, index: storage.index)
        }
        return storage
    }

    public subscript(key: Value) -> Value? {
        get { storage.index[key].map { storage.values[$0] } }
        set {
            if let newValue {
                let s = unique()
                if let i = s.index[key] {
                    s.values[i] = newValue
                } else {
                    s.index[key] = s.keys.count
                    s.keys.append(key)
                    s.values.append(newValue)
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
        guard let i = storage.index[key] else {
            var missing = Value.void
            return try body(&missing)
        }
        return try modifyValue(at: i, body)
    }

    /// The Int stored for `key` replaced by `combine` of it, in place, when
    /// this dictionary owns its storage alone and `key` holds an Int; false,
    /// with nothing changed, otherwise (absent key, shared storage, another
    /// value, `combine` giving nil), for the general path to insert, copy,
    /// charge or report.
    @inline(__always)
    mutating func updateInt(forKey key: Value, _ combine: (Int) -> Int?) -> Bool {
        guard isKnownUniquelyReferenced(&storage), let i = storage.index[key] else { return false }
        let s = storage
        guard Memory.isUnique(&s.values), case .int(let x) = s.values[i], let y = combine(x) else { return false }
        s.values[i] = .int(y)
        return true
    }

    /// Where `key`'s value is stored (for `modifyValue(at:)`), nil when it is absent.
    func position(of key: Value) -> Int? { storage.index[key] }

    /// Replaces the value at a known position (no hashing). Not
    /// `modifyValue(at:)` with a closure: generic, it is not specialised when
    /// called from another file, and `d[k] = v` measured 5 % slower through it.
    mutating func replaceValue(at i: Int, with value: Value) {
        unique().values[i] = value
    }

    /// Adds `key`, which must be absent, with `value`; returns where it is stored.
    mutating func appendNew(_ key: Value, _ value: Value) -> Int {
        let s = unique()
        s.index[key] = s.keys.count
        s.keys.append(key)
        s.values.append(value)
        return s.keys.count - 1
    }

    /// `modifyValue(forKey:_:)` for the value at a known position (no hashing).
    mutating func modifyValue<R>(at i: Int, _ body: (inout Value) throws -> R) rethrows -> R {
        let s = unique()
        var item = Value.void
        swap(&item, &s.values[i])
        defer { swap(&item, &s.values[i]) }
        return try body(&item)
    }

    @discardableResult
    public mutating func removeValue(forKey key: Value) -> Value? {
        guard storage.index[key] != nil else { return nil }
        let s = unique()
        guard let i = s.index.removeValue(forKey: key) else { return nil }
        let old = s.values[i]
        s.keys.remove(at: i)
        s.values.remove(at: i)
        for j in i..<s.keys.count { s.index[s.keys[j]] = j }
        return old
    }

    public mutating func removeAll() {
        storage = Storage()
    }

    public static func == (lhs: OrderedDictionary, rhs: OrderedDictionary) -> Bool {
        guard lhs.count == rhs.count else { return false }
        for (k, v) in zip(lhs.keys, lhs.values) where rhs[k] != v { return false }
        return true
    }
}
