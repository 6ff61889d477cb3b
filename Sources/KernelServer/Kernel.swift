import CellIO
import Foundation
import JupyterWire

/// A Jupyter kernel: five sockets, heartbeat and control on their own
/// threads, shell requests in order on the calling thread, and the
/// busy → work → reply → idle rule for every request on shell and control.
public final class Kernel: @unchecked Sendable {
    let backend: KernelBackend
    let codec: WireCodec
    let session = UUID().uuidString.lowercased()
    let shell, control, stdin, iopub, heartbeat: MessageSocket
    private let iopubLock = NSLock()
    private let stdinLock = NSLock()
    private let stateLock = NSLock()
    private var shuttingDown = false
    private var executionCount = 0
    private var history: [(session: Int, line: Int, input: String, output: String)] = []
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

    func publish(type: String, content: JSON, parent: Message?, metadata: JSON = .object([:])) {
        let m = Message(identities: [Array("kernel.\(session).\(type)".utf8)],
                        header: Message.header(type: type, session: session),
                        parentHeader: parent?.header ?? .object([:]), metadata: metadata, content: content)
        iopubLock.lock()
        defer { iopubLock.unlock() }
        do { try iopub.send(codec.encode(m)) } catch { log("iopub: \(error)") }
    }

    func reply(_ request: Message, on socket: MessageSocket, type: String, content: JSON,
               metadata: JSON = .object([:])) {
        let m = Message.reply(to: request, type: type, session: session, content: content, metadata: metadata)
        do { try socket.send(codec.encode(m)) } catch { log("reply \(type): \(error)") }
    }

    // MARK: Requests

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
            reply(request, on: socket, type: "comm_info_reply",
                  content: .object(["status": .string("ok"), "comms": .object([:])]))
        case "comm_open":
            // No comm targets: close it so the front end does not wait.
            publish(type: "comm_close", content: .object(["comm_id": c["comm_id"] ?? .string(""), "data": .object([:])]),
                    parent: request)
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

    /// The JSON kind a request field must have.
    enum FieldKind: String {
        case string = "a string", bool = "a boolean", int = "an integer", object = "an object"

        func admits(_ value: JSON) -> Bool {
            switch (self, value) {
            case (_, .null), (.string, .string), (.bool, .bool), (.int, .int), (.object, .object): return true
            default: return false
            }
        }
    }

    /// The fields of each request the kernel reads, with their kinds. Fields
    /// not listed are ignored; `null` counts as absent.
    static let requestFields: [String: [String: FieldKind]] = [
        "kernel_info_request": [:],
        "execute_request": ["code": .string, "silent": .bool, "store_history": .bool, "user_expressions": .object,
                            "allow_stdin": .bool, "stop_on_error": .bool],
        "complete_request": ["code": .string, "cursor_pos": .int],
        "inspect_request": ["code": .string, "cursor_pos": .int, "detail_level": .int],
        "is_complete_request": ["code": .string],
        "history_request": ["output": .bool, "raw": .bool, "hist_access_type": .string, "session": .int,
                            "start": .int, "stop": .int, "n": .int, "pattern": .string, "unique": .bool],
        "comm_info_request": ["target_name": .string],
        "comm_open": ["comm_id": .string, "target_name": .string, "data": .object],
        "interrupt_request": [:],
        "shutdown_request": ["restart": .bool],
    ]

    /// What is wrong with a known request's content, or nil when it can be handled.
    static func contentProblem(_ request: Message) -> String? {
        guard let fields = requestFields[request.msgType] else { return nil }
        guard let content = request.content.object else { return "the content is not a JSON object" }
        for (name, kind) in fields.sorted(by: { $0.key < $1.key }) {
            if let value = content[name], !kind.admits(value) {
                return "'\(name)' should be \(kind.rawValue), not \(describe(value))"
            }
        }
        if request.msgType == "execute_request" {
            for (name, expr) in content["user_expressions"]?.object ?? [:] where expr.string == nil {
                return "user expression '\(name)' should be a string, not \(describe(expr))"
            }
        }
        return nil
    }

    static func describe(_ value: JSON) -> String {
        switch value {
        case .null: return "null"
        case .bool: return "a boolean"
        case .int, .double: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }

    /// Answers a request the kernel cannot handle with an error reply, where
    /// the request is one that owes a reply.
    func refuse(_ request: Message, on socket: MessageSocket, because problem: String) {
        guard request.msgType.hasSuffix("_request") else { return }
        var content = PresentedError(ename: "BadRequest", evalue: problem, traceback: ["BadRequest: \(problem)"]).json
        content["status"] = .string("error")
        if request.msgType == "execute_request" { content["execution_count"] = .int(executionCount) }
        let type = String(request.msgType.dropLast("_request".count)) + "_reply"
        reply(request, on: socket, type: type, content: .object(content))
    }

    func executeRequest(_ request: Message, on socket: MessageSocket) {
        let c = request.content
        let code = c["code"]?.string ?? ""
        let silent = c["silent"]?.bool ?? false
        let storeHistory = silent ? false : (c["store_history"]?.bool ?? true)
        if storeHistory {
            executionCount += 1
            history.append((1, executionCount, code, ""))
        }
        let count = executionCount
        if !silent {
            publish(type: "execute_input", content: .object(["code": .string(code), "execution_count": .int(count)]),
                    parent: request)
        }
        let output = IOPubOutput(kernel: self, parent: request, silent: silent,
                                 allowStdin: c["allow_stdin"]?.bool ?? false)
        let result = backend.execute(code: code, silent: silent, allowStdin: output.allowStdin, output: output)
        output.flush()
        var userExpressions: [String: JSON] = [:]
        if let presented = result.error {
            let error = presented.json
            if !silent { publish(type: "error", content: .object(error), parent: request) }
            var content = error
            content["status"] = .string("error")
            content["execution_count"] = .int(count)
            content["user_expressions"] = .object([:])
            content["payload"] = .array([])
            // What was queued while the cell ran is taken before the reply goes
            // out: a request sent after the client saw the error is not aborted.
            let queued = c["stop_on_error"]?.bool ?? true ? takeQueued(from: socket) : []
            reply(request, on: socket, type: "execute_reply", content: .object(content))
            abort(queued, on: socket)
        } else {
            if storeHistory, let text = result.value?.plainText { history[history.count - 1].output = text }
            if let value = result.value?.json, !silent {
                publish(type: "execute_result", content: .object([
                    "execution_count": .int(count), "data": .object(value.data), "metadata": .object(value.metadata),
                ]), parent: request)
            }
            for (name, expr) in c["user_expressions"]?.object ?? [:] {
                userExpressions[name] = evaluate(expr.string ?? "")
            }
            reply(request, on: socket, type: "execute_reply", content: .object([
                "status": .string("ok"), "execution_count": .int(count),
                "user_expressions": .object(userExpressions), "payload": .array(output.payloads),
            ]))
        }
    }

    /// The requests waiting on a socket now, without waiting for more.
    func takeQueued(from socket: MessageSocket) -> [Message] {
        var queued: [Message] = []
        while let frames = try? socket.receive(timeout: 0) {
            if let m = try? codec.decode(frames) { queued.append(m) }
        }
        return queued
    }

    /// After an error, answers the execute requests that were queued without
    /// running them; other requests are handled as usual.
    func abort(_ queued: [Message], on socket: MessageSocket) {
        for m in queued {
            guard m.msgType == "execute_request" else {
                handle(m, on: socket, isControl: false)
                continue
            }
            publish(type: "status", content: .object(["execution_state": .string("busy")]), parent: m)
            reply(m, on: socket, type: "execute_reply", content: .object([
                "status": .string("aborted"), "execution_count": .int(executionCount),
            ]))
            publish(type: "status", content: .object(["execution_state": .string("idle")]), parent: m)
        }
    }

    func evaluate(_ expression: String) -> JSON {
        let result = backend.execute(code: expression, silent: true, allowStdin: false, output: NullSink())
        if let error = result.error {
            var content = error.json
            content["status"] = .string("error")
            return .object(content)
        }
        let value = (result.value ?? .text("")).json
        return .object(["status": .string("ok"), "data": .object(value.data), "metadata": .object(value.metadata)])
    }

    func historyReply(_ c: JSON) -> JSON {
        var items = history
        switch c["hist_access_type"]?.string ?? "tail" {
        case "range":
            let start = c["start"]?.int ?? 0, stop = c["stop"]?.int ?? Int.max
            items = items.filter { $0.line >= start && $0.line < stop }
        case "search":
            let pattern = c["pattern"]?.string ?? "*"
            items = items.filter { Kernel.glob(pattern, $0.input) }
            if c["unique"]?.bool == true {
                var seen = Set<String>()
                items = items.reversed().filter { seen.insert($0.input).inserted }.reversed()
            }
            if let n = c["n"]?.int, n > 0 { items = Array(items.suffix(n)) }
        default:
            if let n = c["n"]?.int { items = Array(items.suffix(max(0, n))) }
        }
        let withOutput = c["output"]?.bool ?? false
        let rows = items.map { item -> JSON in
            let entry: JSON = withOutput ? .array([.string(item.input), .string(item.output)]) : .string(item.input)
            return .array([.int(item.session), .int(item.line), entry])
        }
        return .object(["status": .string("ok"), "history": .array(rows)])
    }

    /// `*` and `?` wildcards, as IPython's history search uses them.
    static func glob(_ pattern: String, _ text: String) -> Bool {
        let p = Array(pattern), t = Array(text)
        func match(_ i: Int, _ j: Int) -> Bool {
            if i == p.count { return j == t.count }
            if p[i] == "*" { return (j...t.count).contains { match(i + 1, $0) } }
            guard j < t.count, p[i] == "?" || p[i] == t[j] else { return false }
            return match(i + 1, j + 1)
        }
        return match(0, 0)
    }

    /// Sends an input_request to the execute request's client and waits for its reply.
    func requestInput(prompt: String, password: Bool, parent: Message) -> String? {
        stdinLock.lock()
        defer { stdinLock.unlock() }
        let m = Message(identities: parent.identities, header: Message.header(type: "input_request", session: session),
                        parentHeader: parent.header,
                        content: .object(["prompt": .string(prompt), "password": .bool(password)]))
        do { try stdin.send(codec.encode(m)) } catch { log("stdin: \(error)"); return nil }
        while !isShuttingDown {
            guard let frames = try? stdin.receive(timeout: 0.1) else { continue }
            guard let reply = try? codec.decode(frames), reply.msgType == "input_reply" else { continue }
            return reply.content["value"]?.string ?? ""
        }
        return nil
    }
}

/// Publishes a running cell's output on iopub with the request as parent.
/// Stream text is batched so that a tight print loop does not flood the socket.
final class IOPubOutput: OutputSink {
    let kernel: Kernel
    let parent: Message
    let silent: Bool
    let allowStdin: Bool
    private var pending: [(name: String, text: String)] = []
    /// `page` payloads for the execute reply.
    private(set) var payloads: [JSON] = []
    private var pendingBytes = 0
    private var lastFlush = Date()

    init(kernel: Kernel, parent: Message, silent: Bool, allowStdin: Bool) {
        self.kernel = kernel
        self.parent = parent
        self.silent = silent
        self.allowStdin = allowStdin
    }

    func write(_ text: String, to stream: OutputStreamName) {
        guard !silent else { return }
        let name = stream.rawValue
        if let last = pending.last, last.name == name {
            pending[pending.count - 1].text += text
        } else {
            pending.append((name, text))
        }
        pendingBytes += text.utf8.count
        if pendingBytes > 64 << 10 || Date().timeIntervalSince(lastFlush) > 0.05 { flush() }
    }

    func flush() {
        for p in pending {
            kernel.publish(type: "stream", content: .object(["name": .string(p.name), "text": .string(p.text)]),
                           parent: parent)
        }
        pending = []
        pendingBytes = 0
        lastFlush = Date()
    }

    func display(_ display: Display, id displayID: String?, update: Bool) {
        guard !silent else { return }
        flush()
        let json = display.json
        var content: [String: JSON] = ["data": .object(json.data), "metadata": .object(json.metadata)]
        content["transient"] = .object(displayID.map { ["display_id": .string($0)] } ?? [:])
        kernel.publish(type: update ? "update_display_data" : "display_data", content: .object(content), parent: parent)
    }

    func clearOutput(wait: Bool) {
        guard !silent else { return }
        flush()
        kernel.publish(type: "clear_output", content: .object(["wait": .bool(wait)]), parent: parent)
    }

    func page(_ text: String) {
        payloads.append(.object(["source": .string("page"), "data": .object(["text/plain": .string(text)]),
                                 "start": .int(0)]))
    }

    func readLine(prompt: String) -> String? {
        guard allowStdin else { return nil }
        flush()
        return kernel.requestInput(prompt: prompt, password: false, parent: parent)
    }
}
