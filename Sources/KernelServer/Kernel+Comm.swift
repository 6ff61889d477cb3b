import CellIO
import Dispatch
import Foundation
import JupyterWire

/// Comm messages from the front end (widgets), and the shell socket watched
/// while a cell or a widget callback runs, so that a stop button's click can
/// interrupt it.
extension Kernel {
    /// comm_open, comm_msg and comm_close from the front end: handed to the
    /// backend; an unknown target's comm is closed again, and a message that
    /// cannot be handled is answered with an `error` on iopub (and a
    /// comm_open that could not be served, with a comm_close too).
    func commFromFrontEnd(_ request: Message, on socket: MessageSocket) {
        let c = request.content
        guard let id = c["comm_id"]?.string, !id.isEmpty else {
            commError("a \(request.msgType) message needs a 'comm_id'", parent: request)
            return
        }
        let kind: CommMessage.Kind
        switch request.msgType {
        case "comm_open":
            guard let target = c["target_name"]?.string else {
                commError("a comm_open message needs a 'target_name'", parent: request)
                return
            }
            kind = .open(target: target)
        case "comm_close": kind = .close
        default: kind = .message
        }
        let message = CommMessage(kind, commID: id, data: (c["data"] ?? .object([:])).text,
                                  metadata: request.metadata.text, buffers: request.buffers)
        let output = IOPubOutput(kernel: self, parent: request, silent: false, allowStdin: false)
        let outcome = watchingShell(socket) { self.backend.comm(message, output: output) }
        output.flush()
        switch outcome {
        case .handled: break
        case .unknownTarget:
            // Nobody serves this target: close it so the front end does not wait.
            publish(type: "comm_close", content: .object(["comm_id": .string(id), "data": .object([:])]), parent: request)
        case .failed(let problem):
            commError(problem, parent: request)
            // A comm the kernel could not open is closed, so the front end does not keep a model nobody serves.
            if case .open = kind {
                publish(type: "comm_close", content: .object(["comm_id": .string(id), "data": .object([:])]), parent: request)
            }
        }
    }

    /// A comm message the kernel could not handle: logged, and published as
    /// an `error` (comm messages have no reply to carry it).
    func commError(_ problem: String, parent: Message) {
        log("\(parent.msgType): \(problem)")
        let error = PresentedError(ename: "CommError", evalue: problem, traceback: ["CommError: \(problem)"])
        publish(type: "error", content: .object(error.json), parent: parent)
    }

    /// Runs `body` (a cell, a widget callback) on another thread while this
    /// one reads the shell socket: a comm message the backend says
    /// interrupts (a stop button's click) stops the run at once; every
    /// message read waits, in order, in `deferred` for the shell loop. Quick
    /// runs end before the socket is touched.
    func watchingShell<T>(_ socket: MessageSocket, _ body: @escaping () -> T) -> T {
        guard socket === shell else { return body() }
        let done = DispatchSemaphore(value: 0)
        let box = ResultBox<T>()
        let job: @Sendable () -> Void = { box.value = body(); done.signal() }
        if backend.cellThread?.submit(job) != true { runner.run(job) }
        if done.wait(timeout: .now() + 0.05) == .success { return box.value! }
        while done.wait(timeout: .now()) != .success {
            guard let frames = try? shell.receive(timeout: 0.01) else { continue }
            guard let m = try? codec.decode(frames) else {
                log("dropped a message on shell")
                continue
            }
            if m.msgType == "comm_msg", let id = m.content["comm_id"]?.string,
               backend.commInterrupts(CommMessage(.message, commID: id, data: (m.content["data"] ?? .object([:])).text)) {
                log("a stop button was pressed: interrupting")
                backend.interrupt()
            }
            deferred.append(m)
        }
        return box.value!
    }
}

/// One long-lived thread that runs what the shell thread hands it (a cell, a
/// widget callback) while the shell thread watches the socket. A thread made
/// for each execute cost a clone, an 8 MiB stack mapped and given back, and
/// a new thread's first scheduling on every round trip.
final class ShellRunner: @unchecked Sendable {
    private let thread = JobThread(name: "shoal-shell-runner")

    /// Starts `body` on the runner thread, after what it runs now; on a
    /// thread of its own if a job is already waiting or the runner itself asks.
    func run(_ body: @escaping @Sendable () -> Void) {
        if !thread.submit(body) { Thread(block: body).start() }
    }

    /// Lets the thread end once it is idle.
    func stop() { thread.stop() }
}

/// Where a run on another thread leaves its result.
private final class ResultBox<T>: @unchecked Sendable {
    var value: T?
}
