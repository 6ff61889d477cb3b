/// The set behind `Set<T>` values.
///
/// Elements keep their insertion order, so that printing or iterating a set
/// gives the same result on every run (Swift's own order is unspecified and
/// changes between runs). Membership is O(1); removal is O(n). Two sets are
/// equal when they hold the same elements, whatever their order.
public struct OrderedSet: Equatable {
    public private(set) var items: [Value] = []
    private var index: [Value: Int] = [:]

    public init() {}

    public init(_ elements: [Value]) {
        for e in elements { insert(e) }
    }

    public var count: Int { items.count }
    public var isEmpty: Bool { items.isEmpty }

    public func contains(_ v: Value) -> Bool { index[v] != nil }

    /// Adds `v` unless an equal element is present; whether it was added.
    @discardableResult
    public mutating func insert(_ v: Value) -> Bool {
        guard index[v] == nil else { return false }
        index[v] = items.count
        items.append(v)
        return true
    }

    /// Removes the element equal to `v`; the element that was stored.
    @discardableResult
    public mutating func remove(_ v: Value) -> Value? {
        guard let i = index.removeValue(forKey: v) else { return nil }
        let old = items.remove(at: i)
        for j in i..<items.count { index[items[j]] = j }
        return old
    }

    public mutating func removeAll() {
        items = []
        index = [:]
    }

    public static func == (lhs: OrderedSet, rhs: OrderedSet) -> Bool {
        lhs.count == rhs.count && lhs.items.allSatisfy(rhs.contains)
    }
}

extension OrderedSet: Receiver, MutableReceiver {
    public static func receiver(_ value: Value, _ rt: Runtime) throws -> OrderedSet {
        guard case .set(let s) = value else { throw WrongReceiver() }
        return s
    }

    public static func mutate(_ value: inout Value, _ body: (inout OrderedSet) throws -> Value) throws -> Value? {
        guard case .set(var s) = value else { return nil }
        value = .void
        defer { value = .set(s) }
        return try body(&s)
    }
}
