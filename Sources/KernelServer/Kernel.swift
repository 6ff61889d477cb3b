import Foundation
import JupyterWire

/// A Jupyter kernel: five sockets, heartbeat and control on their own
/// threads, shell requests in order on the calling thread, and the
/// busy → work → reply → idle rule for every request on shell and control.
public final class Kernel: @unchecked Sendable {
    let backend: KernelBackend
    let codec: WireCodec
    let session = Message.newID()
    let shell, control, stdin, iopub, heartbeat: MessageSocket
    let iopubLock = NSLock()
    let stdinLock = NSLock()
    let stateLock = NSLock()
    var shuttingDown = false
    var executionCount = 0
    var history = HistoryLog()
    /// Shell requests read while a cell or a widget callback ran, waiting in
    /// order for the shell loop (see `Kernel+Comm.swift`).
    var deferred: [Message] = []
    /// The thread cells and widget callbacks run on while the shell thread watches the socket.
    let runner = ShellRunner()
    /// Log lines go to standard error (Jupyter shows them in its server log).
    /// Set it before `run()`.
    public var log: (String) -> Void = { FileHandle.standardError.write(Data(("[shoal] " + $0 + "\n").utf8)) }

    /// A kernel on the ZeroMQ sockets of a connection file.
    public convenience init(connection: ConnectionInfo, backend: KernelBackend) throws {
        let context = try ZMQContext()
        func socket(_ kind: ZMQSocket.Kind, _ port: Int) throws -> ZMQSocket {
            let s = try ZMQSocket(context, kind)
            try s.bind(connection.endpoint(port))
            return s
        }
        self.init(key: connection.key, backend: backend,
                  sockets: (try socket(.router, connection.shellPort), try socket(.router, connection.controlPort),
                            try socket(.router, connection.stdinPort), try socket(.pub, connection.iopubPort),
                            try socket(.rep, connection.hbPort)))
    }

    /// A kernel on any transport, e.g. `InMemorySocket`s in unit tests.
    public init(key: String, backend: KernelBackend,
                sockets: (shell: MessageSocket, control: MessageSocket, stdin: MessageSocket, iopub: MessageSocket,
                          heartbeat: MessageSocket)) {
        self.backend = backend
        codec = WireCodec(key: key)
        shell = sockets.shell
        control = sockets.control
        stdin = sockets.stdin
        iopub = sockets.iopub
        heartbeat = sockets.heartbeat
    }

    deinit { runner.stop() }

    /// Asks the kernel to stop serving (as a shutdown request does).
    public func stop() {
        stateLock.lock()
        shuttingDown = true
        stateLock.unlock()
    }

    var isShuttingDown: Bool {
        stateLock.lock()
        defer { stateLock.unlock() }
        return shuttingDown
    }

    /// Serves until a shutdown request (or the parent process going away).
    public func run() {
        startThread("shoal-heartbeat") { [self] in heartbeatLoop() }
        startThread("shoal-control") { [self] in serve(control, isControl: true) }
        publish(type: "status", content: .object(["execution_state": .string("starting")]), parent: nil)
        serve(shell, isControl: false)
    }

    func startThread(_ name: String, _ body: @escaping @Sendable () -> Void) {
        let t = Thread(block: body)
        t.name = name
        t.start()
    }

    func heartbeatLoop() {
        while !isShuttingDown {
            do {
                if let frames = try heartbeat.receive(timeout: 0.2) { try heartbeat.send(frames) }
            } catch {
                log("heartbeat: \(error)")
            }
        }
    }

    func serve(_ socket: MessageSocket, isControl: Bool) {
        while !isShuttingDown {
            if !isControl, !deferred.isEmpty {
                handle(deferred.removeFirst(), on: socket, isControl: false)
                continue
            }
            let frames: [[UInt8]]
            do {
                guard let f = try socket.receive(timeout: 0.1) else { continue }
                frames = f
            } catch {
                log("receive: \(error)")
                continue
            }
            let message: Message
            do {
                message = try codec.decode(frames)
            } catch {
                log("dropped a message on \(isControl ? "control" : "shell"): \(error)")
                continue
            }
            handle(message, on: socket, isControl: isControl)
        }
    }

    // MARK: Publishing

    func publish(type: String, content: JSON, parent: Message?, metadata: JSON = .object([:]), buffers: [[UInt8]] = []) {
        let m = Message(identities: [Array("kernel.\(session).\(type)".utf8)],
                        header: Message.header(type: type, session: session),
                        parentHeader: parent?.header ?? .object([:]), metadata: metadata, content: content, buffers: buffers)
        iopubLock.lock()
        defer { iopubLock.unlock() }
        do { try iopub.send(codec.encode(m)) } catch { log("iopub: \(error)") }
    }

    func reply(_ request: Message, on socket: MessageSocket, type: String, content: JSON,
               metadata: JSON = .object([:])) {
        let m = Message.reply(to: request, type: type, session: session, content: content, metadata: metadata)
        do { try socket.send(codec.encode(m)) } catch { log("reply \(type): \(error)") }
    }

    // MARK: Requests (each handled in Kernel+Execute, Kernel+History, RequestSchema)

    func handle(_ request: Message, on socket: MessageSocket, isControl: Bool) {
        publish(type: "status", content: .object(["execution_state": .string("busy")]), parent: request)
        defer { publish(type: "status", content: .object(["execution_state": .string("idle")]), parent: request) }
        if let problem = Kernel.contentProblem(request) {
            log("\(request.msgType): \(problem)")
            refuse(request, on: socket, because: problem)
            return
        }
        let c = request.content
        switch request.msgType {
        case "kernel_info_request":
            var info = backend.kernelInfo
            info["status"] = .string("ok")
            info["protocol_version"] = .string("5.3")
            reply(request, on: socket, type: "kernel_info_reply", content: .object(info))
        case "execute_request":
            executeRequest(request, on: socket)
        case "complete_request":
            let code = c["code"]?.string ?? ""
            let r = backend.complete(code: code, cursor: c["cursor_pos"]?.int ?? code.unicodeScalars.count)
            reply(request, on: socket, type: "complete_reply", content: .object([
                "status": .string("ok"), "matches": .array(r.matches.map(JSON.string)),
                "cursor_start": .int(r.start), "cursor_end": .int(r.end), "metadata": .object([:]),
            ]))
        case "inspect_request":
            let code = c["code"]?.string ?? ""
            let text = backend.inspect(code: code, cursor: c["cursor_pos"]?.int ?? code.unicodeScalars.count)
            reply(request, on: socket, type: "inspect_reply", content: .object([
                "status": .string("ok"), "found": .bool(text != nil),
                "data": .object(text.map { ["text/plain": .string($0)] } ?? [:]), "metadata": .object([:]),
            ]))
        case "is_complete_request":
            let r = backend.isComplete(code: c["code"]?.string ?? "")
            var content: [String: JSON] = ["status": .string(r.status)]
            if r.status == "incomplete" { content["indent"] = .string(r.indent) }
            reply(request, on: socket, type: "is_complete_reply", content: .object(content))
        case "history_request":
            reply(request, on: socket, type: "history_reply", content: historyReply(c))
        case "comm_info_request":
            let comms = backend.openComms(target: c["target_name"]?.string)
            reply(request, on: socket, type: "comm_info_reply", content: .object([
                "status": .string("ok"),
                "comms": .object(comms.mapValues { .object(["target_name": .string($0)]) }),
            ]))
        case "comm_open", "comm_msg", "comm_close":
            commFromFrontEnd(request, on: socket)
        case "interrupt_request":
            backend.interrupt()
            reply(request, on: socket, type: "interrupt_reply", content: .object(["status": .string("ok")]))
        case "shutdown_request":
            let restart = c["restart"]?.bool ?? false
            reply(request, on: socket, type: "shutdown_reply",
                  content: .object(["status": .string("ok"), "restart": .bool(restart)]))
            stateLock.lock()
            shuttingDown = true
            stateLock.unlock()
            backend.interrupt()
        default:
            log("unknown message type '\(request.msgType)'")
        }
    }
}
