#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// The kernel's one memory budget: everything a cell makes (strings, arrays,
/// dictionaries, nested values, tensors, pictures) counts against it, and an
/// allocation that would take the process past it is refused before it is
/// made, so that the cell stops with a `ResourceLimit` and the kernel keeps
/// every earlier variable.
///
/// What is in use is measured, not guessed: the process's resident memory
/// (`/proc/self/statm`), less what caches hold only for reuse (registered
/// with `addReclaimable`). Measuring costs a system call, so each allocation
/// is *charged* instead, an atomic add against a threshold, and memory is
/// measured again only when the charges since the last measurement pass an
/// eighth of what is left (or a charge alone could cross the budget), and by
/// `poll()`, which running cells call a few times a second to catch anything
/// that was not charged. Charges over-count (memory freed since is not
/// subtracted); that costs only an earlier measurement.
///
/// One budget per process: a kernel is one process with one notebook; grading
/// runs its submissions in one process and shares it between them.
public enum MemoryBudget {
    private static let cap = Atomic<Int>(0)
    /// Bytes charged since memory was last measured.
    @usableFromInline static let pending = Atomic<Int>(0)
    /// Measure again once `pending` passes this.
    @usableFromInline static let threshold = Atomic<Int>(0)
    private static let state = Mutex(State())

    private struct State {
        var reclaimables: [Reclaimable] = []
    }

    /// Memory held only for reuse (a pool of freed buffers): not counted as in
    /// use, and given back before an allocation is refused.
    public struct Reclaimable: Sendable {
        public let held: @Sendable () -> Int
        public let release: @Sendable () -> Void
        public init(held: @escaping @Sendable () -> Int, release: @escaping @Sendable () -> Void) {
            self.held = held
            self.release = release
        }
    }

    /// The budget in bytes. Until set, `defaultLimit`.
    public static var limit: Int {
        get {
            let c = cap.load(ordering: .relaxed)
            return c > 0 ? c : configureDefault()
        }
        set {
            cap.store(max(1 << 20, newValue), ordering: .relaxed)
            threshold.store(0, ordering: .relaxed)
            // A new budget starts without the reserve an earlier refusal opened.
            reserveOpen.store(false, ordering: .relaxed)
            overSeen.store(false, ordering: .relaxed)
        }
    }

    /// Half of the machine's memory, or less where the process is held to
    /// less: seven eighths of its control group's `memory.max`, or half of
    /// what its address-space limit (`ulimit -v`) leaves above what is mapped now.
    public static var defaultLimit: Int {
        var best = physicalMemory() / 2
        if let group = cgroupLimit() { best = min(best, group / 8 * 7) }
        var rl = rlimit()
        if getrlimit(Int32(RLIMIT_AS.rawValue), &rl) == 0, rl.rlim_cur != rlim_t.max {
            let room = Int(clamping: rl.rlim_cur) - mappedBytes()
            best = min(best, max(64 << 20, room / 2))
        }
        return max(64 << 20, best)
    }

    private static func configureDefault() -> Int {
        let d = defaultLimit
        // A concurrent `limit = …` wins over the default.
        _ = cap.compareExchange(expected: 0, desired: d, ordering: .relaxed)
        return cap.load(ordering: .relaxed)
    }

    /// The budget for a kernel whose memory limit (what `shoal kernel --memory`
    /// or `MEM_LIMIT` sets) is `limit`: seven eighths of it, the rest left for
    /// what is not charged between two measurements.
    public static func budget(forLimit limit: Int) -> Int { limit / 8 * 7 }

    // MARK: Charging

    /// Charges `bytes` that are about to be allocated; throws, allocating
    /// nothing, when they would take the process past the budget.
    /// `-Xswiftc -DSHOAL_NO_BUDGET` compiles the charge out: only the base
    /// build `benchmarks/accounting_overhead.py` measures against.
    @inlinable @inline(__always)
    public static func charge(_ bytes: Int) throws(MemoryRefusal) {
        #if !SHOAL_NO_BUDGET
        let p = pending.wrappingAdd(bytes, ordering: .relaxed).newValue
        let t = threshold.load(ordering: .relaxed)
        // `bytes > t` too: a huge charge must not wrap the sum past the test.
        if p > t || bytes > t { try settle(bytes) }
        #endif
    }

    /// After a refusal, allocations of at most this many bytes may use a
    /// reserve above the budget (until memory in use is below the budget
    /// again), so that the next cells can still look at their variables,
    /// print, and empty the big ones (`hoard = []`).
    public static let smallAllocation = 64 << 10

    /// The reserve above the budget for small allocations after a refusal.
    public static func reserve(_ budget: Int) -> Int { max(16 << 20, budget / 32) }

    private static let reserveOpen = Atomic<Bool>(false)
    /// A poll found memory past the budget and left the refusal to the next
    /// charge (see `settle`); cleared once memory is below the budget again.
    private static let overSeen = Atomic<Bool>(false)
    private static let refusalCount = Atomic<Int>(0)

    /// How many allocations have been refused so far (a cell that saw this
    /// change ended at the budget).
    public static var refusals: Int { refusalCount.load(ordering: .relaxed) }

    /// Measures memory in use and decides on an allocation of `bytes`
    /// (nothing to decide for 0 bytes, unless `polling`).
    @usableFromInline
    static func settle(_ bytes: Int, polling: Bool = false) throws(MemoryRefusal) {
        let budget = limit
        var used = inUse()
        pending.store(0, ordering: .relaxed)
        if used < budget {
            reserveOpen.store(false, ordering: .relaxed)
            overSeen.store(false, ordering: .relaxed)
        }
        let open = reserveOpen.load(ordering: .relaxed) && bytes <= smallAllocation
        let allowed = open ? budget + reserve(budget) : budget
        if polling && bytes == 0 && used > allowed && used - allowed <= reserve(budget)
            && !overSeen.exchange(true, ordering: .relaxed) {
            // Found a little past the budget between two measurements of a
            // cell that is charging its allocations: its next charge measures
            // and is refused with what it needed. Only when a second poll still
            // finds memory past the budget (nothing charged since: closures,
            // frames) or memory is far past it does the poll itself stop the cell.
            threshold.store(0, ordering: .relaxed)
            return
        }
        if bytes > allowed - used && (bytes > 0 || polling) {
            reclaim()
            used = inUse()
            if bytes > allowed - used {
                setThreshold(used: used, budget: budget)
                reserveOpen.store(true, ordering: .relaxed)
                refusalCount.wrappingAdd(1, ordering: .relaxed)
                throw MemoryRefusal(requested: bytes, inUse: used, budget: budget)
            }
        }
        // This allocation is not resident yet: it stays charged until the next measurement.
        pending.store(bytes, ordering: .relaxed)
        setThreshold(used: used + bytes, budget: budget)
    }

    private static func setThreshold(used: Int, budget: Int) {
        threshold.store(max(256 << 10, (budget - used) / 8), ordering: .relaxed)
    }

    /// Measures memory in use now; throws when it is already past the budget
    /// (something was allocated without a charge). Cheap enough for a few
    /// times a second.
    public static func poll() throws(MemoryRefusal) {
        try settle(0, polling: true)
    }

    /// Bytes the process holds now: resident memory less reclaimable caches.
    public static func inUse() -> Int {
        let held = state.withLock { s in s.reclaimables.reduce(0) { $0 + $1.held() } }
        return max(0, residentBytes() - held)
    }

    /// Registers a cache whose memory is given back under pressure.
    public static func addReclaimable(_ r: Reclaimable) {
        state.withLock { $0.reclaimables.append(r) }
    }

    /// Gives back what caches hold and what the allocator keeps free: before
    /// a refusal, and after a cell that ended at the budget (what it held is
    /// free then).
    public static func reclaim() {
        let caches = state.withLock { $0.reclaimables }
        for c in caches { c.release() }
        trimHeap?(0)
        threshold.store(0, ordering: .relaxed)
    }

    /// glibc's `malloc_trim`, which gives free pages inside the heap back to
    /// the system (not in the C module Swift imports, so looked up by name).
    private static let trimHeap: (@convention(c) (Int) -> Int32)? = {
        #if os(Linux)
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (Int) -> Int32).self)
        #else
        return nil
        #endif
    }()

    // MARK: Measuring

    private static let statm = Atomic<Int32>(-1)

    /// Resident memory of this process in bytes (0 where it cannot be read).
    public static func residentBytes() -> Int {
        statmField(1)
    }

    /// Mapped (virtual) memory of this process in bytes.
    public static func mappedBytes() -> Int {
        statmField(0)
    }

    private static func statmField(_ index: Int) -> Int {
        #if os(Linux)
        var fd = statm.load(ordering: .relaxed)
        if fd < 0 {
            let opened = open("/proc/self/statm", O_RDONLY | O_CLOEXEC)
            guard opened >= 0 else { return 0 }
            let (exchanged, existing) = statm.compareExchange(expected: -1, desired: opened, ordering: .relaxed)
            if !exchanged { close(opened) }
            fd = exchanged ? opened : existing
        }
        var buffer = (UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        let n = withUnsafeMutableBytes(of: &buffer) { pread(fd, $0.baseAddress, $0.count - 1, 0) }
        guard n > 0 else { return 0 }
        return withUnsafeBytes(of: &buffer) { raw -> Int in
            var field = 0, value = 0
            for i in 0..<n {
                let c = raw[i]
                if c == UInt8(ascii: " ") {
                    if field == index { break }
                    field += 1
                    value = 0
                } else if c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") {
                    value = value * 10 + Int(c - UInt8(ascii: "0"))
                }
            }
            return value * pageSize
        }
        #else
        return 0
        #endif
    }

    private static let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))

    private static func physicalMemory() -> Int {
        Int(sysconf(Int32(_SC_PHYS_PAGES))) * pageSize
    }

    /// The control group's memory limit (cgroup v2 `memory.max`), when there is one.
    private static func cgroupLimit() -> Int? {
        #if os(Linux)
        let fd = open("/sys/fs/cgroup/memory.max", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 64)
        let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, 63) }
        guard n > 0 else { return nil }
        let text = String(decoding: buffer[0..<n], as: UTF8.self).trimmingWhitespace
        return Int(text)
        #else
        return nil
        #endif
    }

    // MARK: Sizes

    /// Reads a size such as `2G`, `1500M`, `512MiB` or `1073741824` (bytes).
    public static func parseSize(_ text: String) -> Int? {
        var t = Substring(text.trimmingWhitespace.uppercased())
        if t.hasSuffix("IB") { t = t.dropLast(2) } else if t.hasSuffix("B") { t = t.dropLast() }
        let units: [Character: Double] = ["K": 0x1p10, "M": 0x1p20, "G": 0x1p30, "T": 0x1p40]
        var scale = 1.0
        if let last = t.last, let u = units[last] {
            scale = u
            t = t.dropLast()
        }
        guard let n = Double(t), n > 0, n * scale < 0x1p62 else { return nil }
        return Int(n * scale)
    }

    /// `1.5 GiB`, `300.0 MiB`, `512 bytes`.
    public static func format(_ bytes: Int) -> String {
        let units = ["bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        if unit == 0 { return "\(bytes) bytes" }
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10) \(units[unit])"
    }
}

/// An allocation the budget refused: what it needed, what was in use, the budget.
public struct MemoryRefusal: Error, Sendable, CustomStringConvertible {
    /// Bytes the refused allocation needed (0 when memory was found past the budget afterwards).
    public let requested: Int
    public let inUse: Int
    public let budget: Int

    public init(requested: Int, inUse: Int, budget: Int) {
        self.requested = requested
        self.inUse = inUse
        self.budget = budget
    }

    /// "this kernel holds 1.2 GiB of its 1.5 GiB memory budget".
    public var holding: String {
        "this kernel holds \(MemoryBudget.format(inUse)) of its \(MemoryBudget.format(budget)) memory budget"
    }

    public var description: String {
        if requested == 0 { return "the kernel's memory use went past its budget: \(holding)" }
        return "\(MemoryBudget.format(requested)) more would not fit: \(holding)"
    }
}

extension String {
    fileprivate var trimmingWhitespace: String {
        var s = Substring(self)
        while let c = s.first, c.isWhitespace { s = s.dropFirst() }
        while let c = s.last, c.isWhitespace { s = s.dropLast() }
        return String(s)
    }
}
