import CellIO
import JupyterWire

/// What the kernel needs from a language: xeus's interpreter interface,
/// separate from the transport. `shoal kernel` adapts `Practice.Session` to it.
public protocol KernelBackend: AnyObject {
    /// kernel_info_reply content without `status` and `protocol_version`.
    var kernelInfo: [String: JSON] { get }
    /// Runs a cell, sending what it shows to `output` (published on iopub).
    func execute(code: String, silent: Bool, allowStdin: Bool, output: OutputSink) -> ExecutionResult
    func complete(code: String, cursor: Int) -> (matches: [String], start: Int, end: Int)
    func inspect(code: String, cursor: Int) -> String?
    /// `complete`, `incomplete` (with indent) or `invalid`.
    func isComplete(code: String) -> (status: String, indent: String)
    /// Stops the running execution (called from another thread).
    func interrupt()
    /// Handles a comm message from the front end (a widget's update, a click),
    /// publishing what it causes on `output`.
    func comm(_ message: CommMessage, output: OutputSink) -> CommOutcome
    /// The comms open now, comm id → target name, for comm_info (all when `target` is nil).
    func openComms(target: String?) -> [String: String]
    /// Whether a comm message that arrives while the kernel is busy must stop
    /// what is running (a stop button's click); called from another thread.
    func commInterrupts(_ message: CommMessage) -> Bool
    /// The thread the backend runs its cells on, if it has one: the kernel
    /// hands each execute straight to it instead of to a runner thread of
    /// its own that would only wait for it (nil: the kernel's runner).
    var cellThread: JobThread? { get }
}

extension KernelBackend {
    public func comm(_ message: CommMessage, output: OutputSink) -> CommOutcome {
        if case .open = message.kind { return .unknownTarget }
        return .failed("no comm '\(message.commID)' is open")
    }
    public func openComms(target: String?) -> [String: String] { [:] }
    public func commInterrupts(_ message: CommMessage) -> Bool { false }
    public var cellThread: JobThread? { nil }
}

extension Display {
    /// Jupyter's `data` and `metadata` objects.
    var json: (data: [String: JSON], metadata: [String: JSON]) {
        // JSON types (a widget view) travel as objects, everything else as text.
        (data.reduce(into: [:]) { out, item in
            out[item.key] = item.key.hasSuffix("json") ? (try? JSON.parse(item.value)) ?? .string(item.value) : .string(item.value)
        }, metadata.mapValues { .object($0.mapValues(JSON.int)) })
    }
}

extension PresentedError {
    /// Jupyter's `ename`, `evalue` and `traceback`: the content of an `error`
    /// message, and the heart of every error reply.
    var json: [String: JSON] {
        ["ename": .string(ename), "evalue": .string(evalue), "traceback": .array(traceback.map(JSON.string))]
    }
}
