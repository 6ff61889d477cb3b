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
}

extension Display {
    /// Jupyter's `data` and `metadata` objects.
    var json: (data: [String: JSON], metadata: [String: JSON]) {
        (data.mapValues(JSON.string), metadata.mapValues { .object($0.mapValues(JSON.int)) })
    }
}

extension PresentedError {
    /// Jupyter's `ename`, `evalue` and `traceback`: the content of an `error`
    /// message, and the heart of every error reply.
    var json: [String: JSON] {
        ["ename": .string(ename), "evalue": .string(evalue), "traceback": .array(traceback.map(JSON.string))]
    }
}
