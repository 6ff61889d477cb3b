import Foundation
import KernelMemory
import Synchronization

/// Bytes held by tensors, counted exactly (allocation and release), for the
/// peak a training run reports. The limit itself is the kernel's one memory
/// budget (`KernelMemory.MemoryBudget`), which every fresh tensor allocation
/// is charged against first: a model or batch that would not fit fails with
/// `ResourceLimit` before the machine starts to swap.
public enum TensorMemory {
    private static let process = Tally()

    /// Bytes held by live tensors now (all tensors of the process).
    public static var bytesInUse: Int { process.bytesInUse }

    /// The most bytes held at once since `resetPeak()` (all tensors of the
    /// process, so two trainings at once add up; a training run measures its
    /// own with `Tally`).
    public static var peakBytes: Int { process.peakBytes }

    /// Starts a new peak from what is held now.
    public static func resetPeak() { process.resetPeak() }

    /// The tensors allocated less those released on one thread while the
    /// tally is that thread's (`counting`): what one training run holds,
    /// whatever another thread (another submission being graded) holds at
    /// the same time. Starts at zero.
    public final class Tally: @unchecked Sendable {
        private let used = Atomic<Int>(0)
        private let highest = Atomic<Int>(0)

        public init() {}

        public var bytesInUse: Int { used.load(ordering: .relaxed) }
        /// The most bytes this tally held at once.
        public var peakBytes: Int { highest.load(ordering: .relaxed) }

        func resetPeak() { highest.store(bytesInUse, ordering: .relaxed) }

        func add(_ bytes: Int) {
            let now = used.wrappingAdd(bytes, ordering: .relaxed).newValue
            var seen = highest.load(ordering: .relaxed)
            while now > seen {
                let (exchanged, original) = highest.compareExchange(expected: seen, desired: now, ordering: .relaxed)
                if exchanged { break }
                seen = original
            }
        }

        func remove(_ bytes: Int) { used.wrappingSubtract(bytes, ordering: .relaxed) }
    }

    /// The calling thread's tally, kept in a thread-specific slot.
    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()

    private static var current: Tally? {
        pthread_getspecific(key).map { Unmanaged<Tally>.fromOpaque($0).takeUnretainedValue() }
    }

    /// Makes `tally` count the tensors this thread allocates and releases
    /// (nil: none) and gives back the tally it replaces, to be put back
    /// after. The caller keeps `tally` alive while it is the thread's.
    public static func setThreadTally(_ tally: Tally?) -> Tally? {
        let previous = current
        pthread_setspecific(key, tally.map { Unmanaged.passUnretained($0).toOpaque() })
        return previous
    }

    /// Charges a new buffer of `bytes` to the budget (nothing when the pool
    /// has one to reuse: that memory is already counted) and counts it.
    static func reserve(_ bytes: Int, fresh: Bool) throws {
        if fresh {
            do { try MemoryBudget.charge(bytes) } catch {
                throw ResourceLimit(
                    "a tensor of \(MemoryBudget.format(bytes)) would not fit: \(error.holding); "
                    + "try a smaller batch size or smaller images")
            }
        }
        process.add(bytes)
        current?.add(bytes)
    }

    static func release(_ bytes: Int) {
        process.remove(bytes)
        current?.remove(bytes)
    }
}

/// Recently freed tensor buffers, reused by size: a training step allocates
/// the same shapes every batch, and fresh large allocations cost page faults.
/// Holds at most `limit` bytes (768 MiB, and no more than an eighth of the
/// memory budget); it does not count as memory in use, and the budget
/// empties it before refusing an allocation.
enum BufferPool {
    static var limit: Int { min(768 << 20, MemoryBudget.limit / 8) }
    private struct State { var free: [Int: [UnsafeMutableRawPointer]] = [:]; var bytes = 0 }
    private static let state = Mutex(State())
    /// Registers the pool with the budget, once, before its first buffer.
    static let registered: Bool = {
        MemoryBudget.addReclaimable(.init(held: { BufferPool.bytes }, release: { BufferPool.drain() }))
        return true
    }()

    static var bytes: Int { state.withLock { $0.bytes } }

    static func take(_ bytes: Int) -> UnsafeMutableRawPointer? {
        state.withLock { s in
            guard var list = s.free[bytes], let p = list.popLast() else { return nil }
            s.free[bytes] = list
            s.bytes -= bytes
            return p
        }
    }

    static func give(_ p: UnsafeMutableRawPointer, _ bytes: Int) {
        let cap = limit
        let kept = state.withLock { s -> Bool in
            guard bytes >= 4096, s.bytes + bytes <= cap else { return false }
            s.free[bytes, default: []].append(p)
            s.bytes += bytes
            return true
        }
        if !kept { p.deallocate() }
    }

    static func drain() {
        let all = state.withLock { s -> [UnsafeMutableRawPointer] in
            defer { s = State() }
            return s.free.values.flatMap { $0 }
        }
        for p in all { p.deallocate() }
    }
}

/// Reference-counted, 64-byte aligned Float32 storage, charged to the
/// kernel's memory budget and counted in `TensorMemory`.
@usableFromInline final class TensorStorage: @unchecked Sendable {
    @usableFromInline let base: UnsafeMutablePointer<Float>
    @usableFromInline let count: Int

    init(count: Int) throws {
        _ = BufferPool.registered
        let bytes = max(count, 1) * 4
        let pooled = BufferPool.take(bytes)
        do { try TensorMemory.reserve(count * 4, fresh: pooled == nil) } catch {
            BufferPool.drain()
            throw error
        }
        self.count = count
        let raw = pooled ?? UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64)
        base = raw.bindMemory(to: Float.self, capacity: max(count, 1))
    }

    deinit {
        BufferPool.give(UnsafeMutableRawPointer(base), max(count, 1) * 4)
        TensorMemory.release(count * 4)
    }
}

/// A dense Float32 tensor in row-major (C) order. Images are NHWC:
/// `[batch, height, width, channels]`. Tensors are values: copying one is
/// cheap and the storage is copied only when a shared tensor is written.
public struct Tensor: @unchecked Sendable, CustomStringConvertible {
    public private(set) var shape: [Int]
    @usableFromInline var storage: TensorStorage

    /// The number of elements.
    public var count: Int { storage.count }
    public var rank: Int { shape.count }

    static func elementCount(_ shape: [Int]) throws -> Int {
        var n = 1
        for d in shape {
            guard d >= 0 else { throw ShapeError("a shape cannot have a negative size: \(shapeText(shape))") }
            let (p, overflow) = n.multipliedReportingOverflow(by: d)
            guard !overflow, p < Int(Int32.max) * 8 else {
                throw ResourceLimit("a tensor of shape \(shapeText(shape)) is far too large")
            }
            n = p
        }
        return n
    }

    /// A tensor whose contents are not initialised: for outputs that are
    /// fully written before they are read.
    public init(uninitialized shape: [Int]) throws {
        self.shape = shape
        storage = try TensorStorage(count: Tensor.elementCount(shape))
    }

    public init(zeros shape: [Int]) throws {
        try self.init(repeating: 0, shape: shape)
    }

    public init(repeating value: Float, shape: [Int]) throws {
        try self.init(uninitialized: shape)
        storage.base.initialize(repeating: value, count: storage.count)
    }

    public init(shape: [Int], scalars: [Float]) throws {
        let n = try Tensor.elementCount(shape)
        guard n == scalars.count else {
            throw ShapeError("\(scalars.count) values cannot fill a tensor of shape \(shapeText(shape)) (\(n) values)")
        }
        try self.init(uninitialized: shape)
        scalars.withUnsafeBufferPointer { storage.base.update(from: $0.baseAddress!, count: n) }
    }

    public init(shape: [Int], _ fill: (Int) -> Float) throws {
        try self.init(uninitialized: shape)
        for i in 0..<storage.count { storage.base[i] = fill(i) }
    }

    /// The elements in row-major order.
    public var scalars: [Float] { Array(UnsafeBufferPointer(start: storage.base, count: count)) }

    public subscript(flat i: Int) -> Float {
        get { storage.base[i] }
        set { makeUnique(); storage.base[i] = newValue }
    }

    /// Read access to the elements.
    @inline(__always)
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: storage.base, count: storage.count))
    }

    /// Write access; the storage is copied first if another tensor shares it.
    @inline(__always)
    public mutating func withUnsafeMutableBufferPointer<R>(
        _ body: (UnsafeMutableBufferPointer<Float>) throws -> R
    ) rethrows -> R {
        makeUnique()
        return try body(UnsafeMutableBufferPointer(start: storage.base, count: storage.count))
    }

    @inlinable var pointer: UnsafeMutablePointer<Float> { storage.base }

    mutating func makeUnique() {
        if !isKnownUniquelyReferenced(&storage) {
            // Copying can only fail on the memory cap; the tensor stays shared then.
            guard let copy = try? TensorStorage(count: storage.count) else { return }
            copy.base.update(from: storage.base, count: storage.count)
            storage = copy
        }
    }

    /// A copy with its own storage (throws on the memory cap, unlike the
    /// implicit copy-on-write).
    public func copy() throws -> Tensor {
        let t = try Tensor(uninitialized: shape)
        t.storage.base.update(from: storage.base, count: count)
        return t
    }

    /// The same elements under another shape of the same size; one size may be -1.
    public func reshaped(_ newShape: [Int]) throws -> Tensor {
        var resolved = newShape
        if let hole = newShape.firstIndex(of: -1) {
            let rest = newShape.enumerated().filter { $0.offset != hole }.reduce(1) { $0 * $1.element }
            guard rest > 0, count % rest == 0 else {
                throw ShapeError("cannot reshape \(shapeText(shape)) to \(shapeText(newShape))")
            }
            resolved[hole] = count / rest
        }
        guard try Tensor.elementCount(resolved) == count else {
            throw ShapeError("cannot reshape \(shapeText(shape)) (\(count) values) to \(shapeText(newShape))")
        }
        var t = self
        t.shape = resolved
        return t
    }

    /// Rows `range` of the first axis.
    public func slice(_ range: Range<Int>) throws -> Tensor {
        guard rank >= 1, range.lowerBound >= 0, range.upperBound <= shape[0] else {
            throw ShapeError("rows \(range) are outside a tensor of shape \(shapeText(shape))")
        }
        let row = shape[0] == 0 ? 0 : count / shape[0]
        let out = try Tensor(uninitialized: [range.count] + shape.dropFirst())
        out.pointer.update(from: pointer + range.lowerBound * row, count: range.count * row)
        return out
    }

    /// Rows picked by index along the first axis (a batch from a dataset).
    public func gather(rows: [Int]) throws -> Tensor {
        guard rank >= 1 else { throw ShapeError("cannot pick rows of a scalar") }
        let row = shape[0] == 0 ? 0 : count / shape[0]
        let out = try Tensor(uninitialized: [rows.count] + shape.dropFirst())
        for (i, r) in rows.enumerated() {
            guard r >= 0, r < shape[0] else {
                throw ShapeError("row \(r) is outside a tensor with \(shape[0]) rows")
            }
            (out.pointer + i * row).update(from: pointer + r * row, count: row)
        }
        return out
    }

    /// Tensors of the same trailing shape stacked along the first axis.
    public static func concatenate(_ parts: [Tensor]) throws -> Tensor {
        guard let first = parts.first else { throw ShapeError("nothing to concatenate") }
        let tail = Array(first.shape.dropFirst())
        var rows = 0
        for p in parts {
            guard Array(p.shape.dropFirst()) == tail else {
                throw ShapeError("cannot concatenate \(shapeText(first.shape)) and \(shapeText(p.shape))")
            }
            rows += p.shape.first ?? 0
        }
        let out = try Tensor(uninitialized: [rows] + tail)
        var offset = 0
        for p in parts {
            (out.pointer + offset).update(from: p.pointer, count: p.count)
            offset += p.count
        }
        return out
    }

    public var description: String {
        let shown = scalars.prefix(8).map { String(format: "%.4g", $0) }.joined(separator: ", ")
        return "Tensor\(shapeText(shape)) [\(shown)\(count > 8 ? ", …" : "")]"
    }
}
