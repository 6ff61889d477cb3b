import CellIO
import Foundation

/// Runs cells: parse with SwiftParser, lower to the AST, walk it. Globals
/// persist across cells; a failed cell keeps everything that ran before it.
public final class Interpreter {
    public let registry: BuiltinRegistry
    public let globals = GlobalTable()
    public let runtime: Runtime
    /// How many cells `run` has been given; each cell's ranges carry its number.
    public private(set) var cellNumber = 0
    /// Builtin names the last cell declared at its top level (`func check`),
    /// known once it was read, whether or not it ran to the end.
    public private(set) var lastShadowedBuiltins: [String] = []
    /// The text of earlier cells (their functions and closures may still run).
    private var sources: [Int: String] = [:]

    /// The text of cell run `number`, when it is kept.
    public func source(ofCell number: Int) -> String? { sources[number] }

    public init(registry: BuiltinRegistry = .core(), output: OutputSink, limits: Limits = Limits(),
                cancellation: CancellationToken = CancellationToken()) {
        self.registry = registry
        self.runtime = Runtime(registry: registry, output: output, limits: limits, cancellation: cancellation)
        runtime.userTypes = globals.userTypes
    }

    /// Runs one cell and returns the value of its last expression (nil when
    /// the cell ends in a statement or a Void value).
    ///
    /// - Parameter builtinsFirst: names resolve to builtins and types before
    ///   globals (a grader's checks, see `Lowerer.builtinsFirst`).
    /// - Throws: `CellError` for syntax errors, unsupported constructs and run-time errors.
    public func run(_ source: String, builtinsFirst: Bool = false) throws -> Value? {
        cellNumber += 1
        lastShadowedBuiltins = []
        let (tree, parseErrors) = CellParser.parse(source)
        if let e = CellParser.combine(parseErrors) { throw e }
        let lowerer = Lowerer(registry: registry, globals: globals, cell: cellNumber)
        lowerer.builtinsFirst = builtinsFirst
        lowerer.source = (source, tree.id)
        defer { lastShadowedBuiltins = lowerer.shadowedBuiltins }
        let declaredTypes = globals.userTypes.types
        let lowered: (body: [Stmt], result: Expr?, frameSize: Int)
        do {
            lowered = try lowerer.lowerCell(tree)
        } catch {
            // A cell that does not compile declares no types.
            globals.userTypes.types = declaredTypes
            throw error
        }
        // Functions and closures keep ranges into this text; errors inside them
        // are shown against it. A cell without braces defines none, and its
        // own errors are shown from the text its caller holds: not kept, so
        // that thousands of cells do not add up (the soak in benchmarks/).
        if source.utf8.contains(UInt8(ascii: "{")) { sources[cellNumber] = source }
        let compiled = runtime.compilesFunctions
            ? FunctionCompiler.compileCell(lowered.body, frameSize: lowered.frameSize) : nil
        let frame = Frame(size: compiled?.0.registerCount ?? lowered.frameSize, parent: nil)
        runtime.beginCell()
        // Values that finished compiled calls left in their registers go with the cell.
        defer { runtime.registers.clear() }
        // So do the cell's own temporaries (a loop's array, a value on its way) and
        // its blocks' locals (a loop's variable), but those a closure or function
        // defined inside one of its blocks reads: a type the cell declares keeps
        // this frame, and its instances held there would keep the type, so
        // re-running the cell would never free them (a cycle). Names at the cell's
        // top level are globals.
        let kept = lowerer.scope.hasFunctionsInBlocks ? lowerer.scope.capturedSlots : []
        defer { frame.clear(keeping: kept) }
        do {
            // The lowerer rejects break, continue and return at cell level,
            // so every top-level statement ends normally.
            if let (code, decl) = compiled {
                try withExtendedLifetime(decl) { try Machine.runCell(code, frame, runtime) }
            } else {
                _ = try execBlock(lowered.body, runtime, frame)
            }
            if let r = lowered.result {
                let v = try r.eval(runtime, frame)
                if case .void = v { return nil }
                return v
            }
            return nil
        } catch is OptionalChainNil {
            return .none
        }
    }
}

/// A thread with a large stack that runs work handed to it, one job at a
/// time, so deep recursion in a cell reaches the interpreter's own limit
/// long before the machine's. A Session keeps one for all its cells; the
/// thread ends when its LargeStack is released.
public final class LargeStack: @unchecked Sendable {
    public static let size = 512 << 20

    /// The thread itself: a kernel hands a cell's whole run to it, so that
    /// `run` from inside is a plain call instead of a second hop.
    public let thread = JobThread(name: "shoal-cell", stackSize: LargeStack.size)

    public init() {}

    deinit { thread.stop() }

    /// Runs `body` on the large-stack thread and waits for its result (at
    /// once, on this thread, when the large-stack thread itself asks).
    public func run<T>(_ body: @escaping () -> T) -> T {
        let box = LargeStackBox(body)
        let done = DispatchSemaphore(value: 0)
        guard thread.submit({
            box.value = box.body()
            done.signal()
        }) else { return body() }
        done.wait()
        // The job always sets the value before signalling; run here if it somehow did not.
        guard let value = box.value else { return body() }
        return value
    }
}

private final class LargeStackBox<T>: @unchecked Sendable {
    var value: T?
    let body: () -> T
    init(_ b: @escaping () -> T) { body = b }
}
