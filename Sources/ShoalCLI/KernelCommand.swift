import ArgumentParser
import Foundation
import JupyterWire
import KernelServer

/// `shoal kernel --connection-file FILE`: the entry point Jupyter starts.
struct KernelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kernel",
        abstract: "Run as a Jupyter kernel (Jupyter starts this through the kernelspec)."
    )

    @Option(name: [.customLong("connection-file"), .customShort("f")], help: "The connection file Jupyter wrote.")
    var connectionFile: String

    @Option(name: .long, help: "The kernel's memory limit, such as 2G (default: MEM_LIMIT, else half the machine's memory).")
    var memory: String?

    func run() throws { try KernelCommand.serve(connectionFile: connectionFile, memory: memory) }

    static func serve(connectionFile: String, memory: String? = nil) throws {
        let limit = try MemoryLimit.configure(memory)
        let info: ConnectionInfo
        do { info = try ConnectionInfo(path: connectionFile) } catch { throw ValidationError("\(error)") }
        let backend = SessionBackend()
        let kernel = try Kernel(connection: info, backend: MemoryGuard.guarding(backend, limit: MemoryGuard.line(limit: limit)))
        backend.prepare()
        Signals.install(interrupt: { backend.interrupt() })
        ParentWatch.start()
        kernel.run()
    }
}

/// SIGINT (signal-mode interrupt) sets a flag; a watcher thread turns it
/// into an interrupt of the running cell. It never kills the process.
enum Signals {
    nonisolated(unsafe) static var flag: sig_atomic_t = 0

    static func install(interrupt: @escaping @Sendable () -> Void) {
        signal(SIGINT) { _ in Signals.flag = 1 }
        Thread.detachNewThread {
            while true {
                usleep(20_000)
                if Signals.flag != 0 {
                    Signals.flag = 0
                    interrupt()
                }
            }
        }
    }
}

/// Exits when the process named by `JPY_PARENT_PID` is gone.
enum ParentWatch {
    static func start() {
        guard let text = ProcessInfo.processInfo.environment["JPY_PARENT_PID"], let pid = Int32(text), pid > 1 else {
            return
        }
        Thread.detachNewThread {
            while true {
                sleep(1)
                if kill(pid, 0) != 0 && errno == ESRCH { exit(0) }
            }
        }
    }
}
