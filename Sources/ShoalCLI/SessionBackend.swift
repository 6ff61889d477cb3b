import CellIO
import Foundation
import JupyterWire
import KernelServer
import Lessons
import Practice

/// Puts a `Practice.Session` behind the kernel's `KernelBackend` interface.
final class SessionBackend: KernelBackend {
    private let lock = NSLock()
    private var made: Session?

    /// The Session is made on first use (or by `prepare()` right after the
    /// sockets are bound), so that the kernel answers kernel_info at once.
    var session: Session {
        lock.lock()
        defer { lock.unlock() }
        if let made { return made }
        let s = Session()
        made = s
        return s
    }

    /// Makes the Session in the background.
    func prepare() {
        Thread.detachNewThread { [self] in _ = session }
    }

    var kernelInfo: [String: JSON] {
        [
            "implementation": .string("shoal"),
            "implementation_version": .string(ShoalVersion.current),
            "banner": .string("Shoal \(ShoalVersion.current) — Swift cells for learning model training"),
            "help_links": .array([]),
            "language_info": .object([
                "name": .string("swift"),
                "version": .string("6"),
                "mimetype": .string("text/x-swift"),
                "file_extension": .string(".swift"),
                "pygments_lexer": .string("swift"),
                "codemirror_mode": .string("swift"),
            ]),
        ]
    }

    /// Which cell text last declared each name, for nbgrader's test cells.
    private var declarations = LessonNameGuard()
    /// Executes that count as Jupyter's `In [N]` (not silent ones).
    private var executed = 0

    /// An exported nbgrader test cell runs with Shoal's own `check` and
    /// builtins first, whatever the notebook declared (`NbgraderFormat.runsBuiltinsFirst`),
    /// and fails without running when a lesson name its checks use was
    /// declared again by another cell (`LessonNameGuard`).
    func execute(code: String, silent: Bool, allowStdin: Bool, output: OutputSink) -> ExecutionResult {
        if !silent { executed += 1 }
        defer { declarations.ran(code, place: silent ? "a silent execute" : "the cell run as In [\(executed)]") }
        if let problem = declarations.problem(before: code) {
            return ExecutionResult(error: PresentedError(ename: "CheckFailed", evalue: problem,
                                                         traceback: ["CheckFailed: " + problem]))
        }
        return session.execute(code, sink: output, builtinsFirst: NbgraderFormat.runsBuiltinsFirst(code))
    }

    func complete(code: String, cursor: Int) -> (matches: [String], start: Int, end: Int) {
        let c = session.complete(code, cursor: cursor)
        return (c.matches, c.cursorStart, c.cursorEnd)
    }

    func inspect(code: String, cursor: Int) -> String? { session.inspect(code, cursor: cursor)?.text }

    func isComplete(code: String) -> (status: String, indent: String) {
        switch session.isComplete(code) {
        case .complete: return ("complete", "")
        case .incomplete(let indent): return ("incomplete", indent)
        case .invalid: return ("invalid", "")
        }
    }

    func comm(_ message: CommMessage, output: OutputSink) -> CommOutcome { session.comm(message, sink: output) }
    /// Executes run on the session's large-stack thread, handed there by the shell thread directly.
    var cellThread: JobThread? { session.cellThread }

    func openComms(target: String?) -> [String: String] { session.openComms(target: target) }

    func commInterrupts(_ message: CommMessage) -> Bool {
        lock.lock()
        let s = made
        lock.unlock()
        return s?.commInterrupts(message) ?? false
    }

    func interrupt() {
        lock.lock()
        let s = made
        lock.unlock()
        s?.cancellation.cancel()
    }
}

enum ShoalVersion {
    static let current = "0.1.0"
}
