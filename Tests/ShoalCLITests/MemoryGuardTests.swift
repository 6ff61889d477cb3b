import CellIO
import JupyterWire
import KernelServer
@testable import ShoalCLI
import Testing

/// A backend that says which of its functions were called.
private final class CountingBackend: KernelBackend {
    var calls: [String] = []
    let thread = JobThread(name: "test-cells")
    var kernelInfo: [String: JSON] { [:] }
    func execute(code: String, silent: Bool, allowStdin: Bool, output: OutputSink) -> ExecutionResult {
        calls.append("execute"); return ExecutionResult()
    }
    func complete(code: String, cursor: Int) -> (matches: [String], start: Int, end: Int) { ([], 0, 0) }
    func inspect(code: String, cursor: Int) -> String? { nil }
    func isComplete(code: String) -> (status: String, indent: String) { ("complete", "") }
    func interrupt() { calls.append("interrupt") }
    func comm(_ message: CommMessage, output: OutputSink) -> CommOutcome { calls.append("comm"); return .handled }
    func openComms(target: String?) -> [String: String] { calls.append("openComms"); return ["w1": "jupyter.widget"] }
    func commInterrupts(_ message: CommMessage) -> Bool { calls.append("commInterrupts"); return true }
    var cellThread: JobThread? { thread }
    deinit { thread.stop() }
}

/// Under a memory limit (JupyterHub's MEM_LIMIT) the kernel talks to the
/// guard, which must pass on everything: widgets (comm messages, the open
/// comms, a stop button's interrupt) and the thread cells run on.
@Suite("memory guard") struct MemoryGuardTests {
    @Test func guardedBackendPassesWidgetsAndTheCellThreadOn() {
        let inner = CountingBackend()
        let guarded = GuardedBackend(inner)
        let click = CommMessage(.message, commID: "w1", data: #"{"method":"custom"}"#)
        #expect(guarded.comm(click, output: RecordingSink()) == .handled)
        #expect(guarded.openComms(target: nil) == ["w1": "jupyter.widget"])
        #expect(guarded.commInterrupts(click))
        #expect(guarded.cellThread === inner.thread)
        _ = guarded.execute(code: "1", silent: false, allowStdin: false, output: RecordingSink())
        #expect(inner.calls == ["comm", "openComms", "commInterrupts", "execute"])
    }
}
