import JupyterWire

/// Where a running execute request sends its outputs (published on iopub).
public protocol KernelOutput: AnyObject {
    func stream(_ name: String, _ text: String)
    /// `display_data`, or `update_display_data` when `update` is true; `displayID` goes in `transient`.
    func display(data: [String: JSON], metadata: [String: JSON], displayID: String?, update: Bool)
    func clearOutput(wait: Bool)
    /// Asks the front end for a line of input (stdin round trip); nil when stdin is not allowed.
    func input(prompt: String, password: Bool) -> String?
    /// Text for the front end's pager (a `page` payload on the execute reply).
    func page(_ text: String)
}

/// The outcome of one execute request.
public enum ExecuteOutcome {
    /// Success, with the MIME bundle of the last expression, if any.
    case ok(result: (data: [String: JSON], metadata: [String: JSON])?)
    case error(ename: String, evalue: String, traceback: [String])
}

/// What the kernel needs from a language: xeus's interpreter interface,
/// separate from the transport. `shoal kernel` adapts `Practice.Session` to it.
public protocol KernelBackend: AnyObject {
    /// kernel_info_reply content without `status` and `protocol_version`.
    var kernelInfo: [String: JSON] { get }
    func execute(code: String, silent: Bool, allowStdin: Bool, output: KernelOutput) -> ExecuteOutcome
    func complete(code: String, cursor: Int) -> (matches: [String], start: Int, end: Int)
    func inspect(code: String, cursor: Int) -> String?
    /// `complete`, `incomplete` (with indent) or `invalid`.
    func isComplete(code: String) -> (status: String, indent: String)
    /// Stops the running execution (called from another thread).
    func interrupt()
}
