import CellIO
import Foundation
import JupyterWire
import KernelMemory
import KernelServer

/// A per-learner memory limit for kernels on a shared server.
///
/// JupyterHub passes its `Spawner.mem_limit` to each learner's server as
/// `MEM_LIMIT` (bytes), and the server's kernels inherit it (or `shoal
/// kernel --memory` gives one; see `MemoryLimit`). With a limit, the kernel's
/// one memory budget is seven eighths of it: anything a cell makes that would
/// not fit fails with `ResourceLimit` before it is made, the kernel's state
/// kept. This guard is the backstop for what the budget cannot see: a
/// watcher reads the kernel's resident memory five times a second and, past
/// the limit itself, tells the running cell on stderr and exits, so that the
/// Jupyter server restarts it; no other learner's kernel is touched.
///
/// The budget leaves the guard little to do, so `SHOAL_MEMORY_GUARD`
/// (a size, such as 200M) puts the guard's line lower than the limit: the
/// kernel tests use it to walk the restart path a learner would see.
enum MemoryGuard {
    /// Where the guard acts: `SHOAL_MEMORY_GUARD` when it is a size, else the limit.
    static func line(limit: Int?, environment: [String: String] = ProcessInfo.processInfo.environment) -> Int? {
        guard let text = environment["SHOAL_MEMORY_GUARD"], let bytes = MemoryBudget.parseSize(text), bytes > 0 else { return limit }
        return bytes
    }

    /// Wraps `backend` so that the watcher can write into the running cell's output.
    static func guarding(_ backend: KernelBackend, limit: Int?) -> KernelBackend {
        guard let limit else { return backend }
        let guarded = GuardedBackend(backend)
        Thread.detachNewThread {
            while true {
                usleep(200_000)
                let used = residentBytes()
                guard used > limit else { continue }
                guarded.stop(message: message(used: used, limit: limit))
            }
        }
        return guarded
    }

    static func message(used: Int, limit: Int) -> String {
        "\nMemoryLimit: this kernel holds \(mebibytes(used)) MiB, more than the \(mebibytes(limit)) MiB each learner has "
            + "on this server. It restarts now and its variables are gone: run the notebook's cells again from the top, "
            + "with fewer or smaller pictures, a smaller batch size or a smaller model.\n"
    }

    static func mebibytes(_ bytes: Int) -> Int { bytes >> 20 }

    /// Resident memory of this process (`/proc/self/statm`), in bytes; 0 where unknown.
    static func residentBytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }
}

/// Forwards every request to the backend, remembering the running cell's output.
final class GuardedBackend: KernelBackend, @unchecked Sendable {
    private let inner: KernelBackend
    private let lock = NSLock()
    private var running: OutputSink?

    init(_ inner: KernelBackend) { self.inner = inner }

    var kernelInfo: [String: JSON] { inner.kernelInfo }

    func execute(code: String, silent: Bool, allowStdin: Bool, output: OutputSink) -> ExecutionResult {
        lock.lock(); running = output; lock.unlock()
        defer { lock.lock(); running = nil; lock.unlock() }
        return inner.execute(code: code, silent: silent, allowStdin: allowStdin, output: output)
    }

    func complete(code: String, cursor: Int) -> (matches: [String], start: Int, end: Int) { inner.complete(code: code, cursor: cursor) }
    func inspect(code: String, cursor: Int) -> String? { inner.inspect(code: code, cursor: cursor) }
    func isComplete(code: String) -> (status: String, indent: String) { inner.isComplete(code: code) }
    func interrupt() { inner.interrupt() }
    var cellThread: JobThread? { inner.cellThread }
    func comm(_ message: CommMessage, output: OutputSink) -> CommOutcome { inner.comm(message, output: output) }
    func openComms(target: String?) -> [String: String] { inner.openComms(target: target) }
    func commInterrupts(_ message: CommMessage) -> Bool { inner.commInterrupts(message) }

    /// Tells the running cell (and stderr) why, lets IOPub send it, and exits.
    func stop(message: String) -> Never {
        FileHandle.standardError.write(Data(("[shoal] " + message.trimmingCharacters(in: .whitespacesAndNewlines) + "\n").utf8))
        lock.lock(); let output = running; lock.unlock()
        output?.write(message, to: .stderr)
        usleep(300_000)
        exit(3)
    }
}
