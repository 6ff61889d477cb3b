import Foundation

/// One long-lived thread that runs the jobs handed to it, one at a time:
/// the session's large-stack thread for cells and the kernel's cell runner.
/// The thread holds the state strongly; its owner calls `stop()` when done.
public final class JobThread: @unchecked Sendable {
    private let condition = NSCondition()
    private var job: (() -> Void)?
    private var thread: Thread?
    private var stopping = false
    private let name: String
    private let stackSize: Int?

    public init(name: String, stackSize: Int? = nil) {
        self.name = name
        self.stackSize = stackSize
    }

    /// Hands `body` to the thread (started on first use). False, running
    /// nothing, when a job is already waiting, the thread is stopping, or the
    /// caller is the thread itself (it would wait for itself).
    public func submit(_ body: @escaping () -> Void) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard job == nil, !stopping, thread == nil || Thread.current !== thread else { return false }
        if thread == nil {
            let t = Thread { [self] in loop() }
            if let stackSize { t.stackSize = stackSize }
            t.name = name
            thread = t
            t.start()
        }
        job = body
        condition.signal()
        return true
    }

    /// Lets the thread end once it is idle.
    public func stop() {
        condition.lock()
        stopping = true
        condition.signal()
        condition.unlock()
    }

    private func loop() {
        condition.lock()
        while true {
            while job == nil && !stopping { condition.wait() }
            guard let body = job else { break }
            job = nil
            condition.unlock()
            body()
            condition.lock()
        }
        condition.unlock()
    }
}
