import CellIO
import Foundation
import KernelMemory
import Synchronization

/// Lets another thread stop a running cell: checked at loop back-edges and
/// calls by the interpreter, and between batches by long-running builtins.
public final class CancellationToken: Sendable {
    private let flag = Atomic<Bool>(false)

    public init() {}

    public func cancel() { flag.store(true, ordering: .relaxed) }
    public func reset() { flag.store(false, ordering: .relaxed) }
    public var isCancelled: Bool { flag.load(ordering: .relaxed) }

    /// Throws `Interrupted` when cancellation was requested.
    public func check() throws {
        if isCancelled { throw CellError(.interrupted, "the cell was interrupted") }
    }
}

/// A seeded random generator (SplitMix64): the same seed gives the same numbers on every machine.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A slot holding one cell-level (global) variable. Functions compiled in
/// earlier cells refer to the slot, so re-running `let x = …` updates them.
public final class GlobalSlot {
    public let name: String
    public internal(set) var value: Value = .void
    public internal(set) var isDefined = false
    public internal(set) var isConstant = true
    /// Declared without a value (`var n: Int`): until assigned it holds
    /// `()`, and a later cell's read of it is "used before being initialized".
    var declaredWithoutValue = false
    /// Counts the bindings of this slot, so that compiled call sites can
    /// tell cheaply that the function they cached is still the one bound.
    var version = 0

    init(name: String) { self.name = name }
}

/// Storage for a function invocation's locals. Closures keep their defining
/// frame alive through `parent`.
final class Frame {
    private(set) var slots: UnsafeMutablePointer<Value>
    let count: Int
    var parent: Frame?
    /// The next frame in its function's free list.
    var nextFree: Frame?
    /// False for a frame over the machine's registers (see `Machine`).
    private var ownsSlots: Bool

    init(size: Int, parent: Frame?) {
        count = size
        slots = .allocate(capacity: Swift.max(size, 1))
        slots.initialize(repeating: .void, count: size)
        self.parent = parent
        ownsSlots = true
    }

    /// A frame over `count` registers owned by someone else, so that tree
    /// nodes can run against a compiled function's registers.
    init(viewing registers: UnsafeMutablePointer<Value>, count: Int, parent: Frame?) {
        self.count = count
        slots = registers
        self.parent = parent
        ownsSlots = false
    }

    /// Gives a viewing frame storage of its own, a copy of the registers,
    /// before the registers are reused.
    func detach() {
        guard !ownsSlots else { return }
        let own = UnsafeMutablePointer<Value>.allocate(capacity: Swift.max(count, 1))
        own.initialize(from: slots, count: count)
        slots = own
        ownsSlots = true
    }

    /// Empties the slots from `first` on (a cell's compiled temporaries, once it has run).
    func clear(from first: Int) {
        for i in Swift.min(first, count)..<count { slots[i] = .void }
    }

    /// Empties every slot but `kept`.
    func clear(keeping kept: Set<Int>) {
        if kept.isEmpty { return clear(from: 0) }
        for i in 0..<count where !kept.contains(i) { slots[i] = .void }
    }

    /// Empties every slot (before the frame is reused).
    func clear() {
        for i in 0..<count {
            if case .int = slots[i] { continue }
            slots[i] = .void
        }
        parent = nil
    }

    deinit {
        guard ownsSlots else { return }
        slots.deinitialize(count: count)
        slots.deallocate()
    }

    /// The slots of `ancestor(depth)`, found without retaining a frame on
    /// the way: valid while this frame lives and its chain is not changed.
    @inline(__always)
    func ancestorSlots(_ depth: Int) -> UnsafeMutablePointer<Value> {
        var f = Unmanaged.passUnretained(self)
        var d = depth
        while d > 0, let p = f._withUnsafeGuaranteedRef({ $0.parent.map(Unmanaged.passUnretained) }) {
            f = p
            d -= 1
        }
        return f._withUnsafeGuaranteedRef { $0.slots }
    }

    @inline(__always)
    func ancestor(_ depth: Int) -> Frame {
        var f = self
        var d = depth
        // The lowerer counts depths from the same scopes that made the frames.
        while d > 0, let p = f.parent {
            f = p
            d -= 1
        }
        return f
    }
}

/// A user type's way back to the runtime that runs its members, cleared when
/// the runtime goes. Not a `weak` reference: a weakly referenced object counts
/// every retain and release through a side table (the runtime is retained by
/// every closure the machine makes), which cost 4-8 % of a struct's
/// mutating-method calls.
final class RuntimeLink {
    unowned(unsafe) var runtime: Runtime?
    init(_ runtime: Runtime) { self.runtime = runtime }
}

/// What the interpreter needs while a cell runs: the registry, where output
/// goes, limits, cancellation and the random generator.
public final class Runtime {
    public let registry: BuiltinRegistry
    public var output: OutputSink
    public var limits: Limits
    /// When set, builtins that read or write files may only touch paths inside
    /// this folder (grading runs submissions sandboxed in a fresh folder).
    public var sandbox: URL?
    public let cancellation: CancellationToken
    public var random: SeededGenerator
    /// State the host keeps beside a notebook's variables, by name (the
    /// widgets a notebook opened).
    public var hostState: [String: AnyObject] = [:]
    /// An error thrown inside a learner's own `<` or `==` where the caller
    /// cannot throw (`Value.less`, equality): kept here for the caller around
    /// it that can (`UserTypes.less`, from sorting, min and max), which
    /// clears it first and throws it after, instead of counting it as false.
    var comparisonError: Error?

    var callDepth = 0
    /// The notebook's user types (shared with the lowerer's `GlobalTable`).
    var userTypes = UserTypeTable()
    /// The label of the `break`/`continue` being carried out, if any.
    var jumpLabel: String?
    /// The value of the `return` being carried out.
    var returnValue: Value = .void
    var ticks = 0
    var steps = 0
    var deadline: Double?
    /// When memory was last measured for this cell (see `slowTick`).
    var lastMemoryPoll = 0.0
    /// Registers of compiled functions (see `Machine`).
    let registers = RegisterStack()
    /// Compiled functions running, and waiting for those they called.
    let activations = ActivationStack()
    /// Whether user functions run as compiled register code (true) or by
    /// walking their trees; the two give the same results, and tests run both.
    public var compilesFunctions = true
    /// How user types reach this runtime (see `RuntimeLink`).
    private(set) lazy var link = RuntimeLink(self)

    deinit { link.runtime = nil }

    public init(registry: BuiltinRegistry, output: OutputSink, limits: Limits = Limits(),
                cancellation: CancellationToken = CancellationToken(), seed: UInt64 = 0) {
        self.registry = registry
        self.output = output
        self.limits = limits
        self.cancellation = cancellation
        self.random = SeededGenerator(seed: seed)
    }

    func beginCell() {
        callDepth = 0
        ticks = 0
        steps = 0
        deadline = limits.maxSeconds.map { Runtime.now() + $0 }
    }

    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// Called at every loop back-edge and call: cheap, with the expensive
    /// checks (cancellation, time, step budget) every 1,024 ticks.
    @inline(__always)
    func tick(at range: SourceRange) throws {
        ticks &+= 1
        if ticks & 1023 == 0 {
            do { try slowTick() } catch let e as CellError { throw e.located(range) }
        }
    }

    func slowTick() throws {
        try cancellation.check()
        steps += 1024
        if let max = limits.maxSteps, steps > max {
            throw CellError(.resourceLimit, "the cell ran more than \(max) steps; is a loop missing its exit?")
        }
        let now = Runtime.now()
        if let deadline, now > deadline {
            let secs = limits.maxSeconds ?? 0
            throw CellError(.resourceLimit, "the cell ran longer than its time limit of \(Value.format(secs)) seconds")
        }
        if now - lastMemoryPoll > 0.05 {
            // Twenty times a second at most: what was allocated without a charge
            // (closures, frames) still stops at the budget.
            lastMemoryPoll = now
            do { try MemoryBudget.poll() } catch { throw Memory.refused(error, "", at: .unknown) }
        }
    }

    /// Checks that a collection of `count` elements may be built.
    public func checkCount(_ count: Int) throws {
        if count > limits.maxCollectionCount || count < 0 {
            throw CellError(.resourceLimit,
                            "a collection of \(count) elements is larger than the limit of \(limits.maxCollectionCount)")
        }
    }

    /// Writes text to the cell's standard output.
    public func print(_ text: String) { output.write(text, to: .stdout) }
}
