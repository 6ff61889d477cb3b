import CellIO
import Foundation
import JupyterWire
import KernelServer
import Testing

/// A backend that echoes: prints the code, returns its length, fails on "fail".
final class EchoBackend: KernelBackend, @unchecked Sendable {
    var interrupted = false
    var kernelInfo: [String: JSON] { ["implementation": .string("echo"), "language_info": .object(["name": .string("echo")])] }

    func execute(code: String, silent: Bool, allowStdin: Bool, output: OutputSink) -> ExecutionResult {
        if code == "fail" {
            return ExecutionResult(error: PresentedError(ename: "ValueError", evalue: "asked to fail", traceback: ["cell:1:1: error"]))
        }
        if code == "wait" {
            // Runs until interrupted (a stop button's click), as training does.
            let end = Date().addingTimeInterval(10)
            while !interrupted && Date() < end { usleep(2000) }
            return ExecutionResult(error: PresentedError(ename: "Interrupted", evalue: "stopped", traceback: []))
        }
        output.write("echo: \(code)\n", to: .stdout)
        if code.hasPrefix("show ") { output.display(.text(String(code.dropFirst(5))), id: "d1", update: false) }
        return ExecutionResult(value: .text(String(code.count)))
    }
    func complete(code: String, cursor: Int) -> (matches: [String], start: Int, end: Int) { (["echo"], 0, cursor) }
    func inspect(code: String, cursor: Int) -> String? { code.isEmpty ? nil : "about \(code)" }
    func isComplete(code: String) -> (status: String, indent: String) {
        code.hasSuffix("{") ? ("incomplete", "    ") : ("complete", "")
    }
    func interrupt() { interrupted = true }
    /// Comm messages handled, in order.
    var comms: [CommMessage] = []
    func comm(_ message: CommMessage, output: OutputSink) -> CommOutcome {
        if case .open = message.kind { return .unknownTarget }
        comms.append(message)
        return message.commID == "broken" ? .failed("this comm is broken") : .handled
    }
    func commInterrupts(_ message: CommMessage) -> Bool { message.commID == "stop" }
}

/// A client on in-memory sockets driving a kernel running on its own thread.
final class TestClient {
    let codec = WireCodec(key: "test-key")
    let shell, control, stdin, iopub, heartbeat: InMemorySocket
    let kernel: Kernel
    let backend = EchoBackend()

    init(log: ((String) -> Void)? = nil) {
        let (ks, cs) = InMemorySocket.pair()
        let (kc, cc) = InMemorySocket.pair()
        let (ki, ci) = InMemorySocket.pair()
        let (kio, cio) = InMemorySocket.pair()
        let (kh, ch) = InMemorySocket.pair()
        shell = cs; control = cc; stdin = ci; iopub = cio; heartbeat = ch
        kernel = Kernel(key: "test-key", backend: backend, sockets: (ks, kc, ki, kio, kh))
        if let log { kernel.log = log }
        let k = kernel
        Thread.detachNewThread { k.run() }
    }

    deinit { kernel.stop() }

    func request(_ type: String, _ content: [String: JSON], on socket: InMemorySocket? = nil, key: String? = nil) -> Message {
        let m = Message(identities: [Array("client".utf8)], header: Message.header(type: type, session: "client-session"),
                        content: .object(content))
        let c = key.map { WireCodec(key: $0) } ?? codec
        try? (socket ?? shell).send(c.encode(m))
        return m
    }

    func reply(on socket: InMemorySocket? = nil) throws -> Message? {
        guard let frames = try (socket ?? shell).receive(timeout: 2) else { return nil }
        return try codec.decode(frames)
    }

    /// iopub messages caused by `parent`, up to and including its idle status.
    func outputs(of parent: Message) throws -> [Message] {
        var out: [Message] = []
        while let frames = try iopub.receive(timeout: 2) {
            let m = try codec.decode(frames)
            guard m.parentHeader["msg_id"] == parent.header["msg_id"] else { continue }
            out.append(m)
            if m.msgType == "status", m.content["execution_state"] == .string("idle") { break }
        }
        return out
    }
}

@Suite("kernel lifecycle (in-memory transport)")
struct KernelLifecycleTests {
    @Test func kernelInfoIsBusyReplyIdle() throws {
        let c = TestClient()
        let req = c.request("kernel_info_request", [:])
        let reply = try #require(try c.reply())
        #expect(reply.msgType == "kernel_info_reply")
        #expect(reply.parentHeader == req.header)
        #expect(reply.content["protocol_version"] == .string("5.3"))
        #expect(reply.identities == [Array("client".utf8)])
        let states = try c.outputs(of: req).map { $0.content["execution_state"]?.string ?? $0.msgType }
        #expect(states == ["busy", "idle"])
    }

    @Test func executePublishesInputOutputResultThenRepliesAndGoesIdle() throws {
        let c = TestClient()
        let req = c.request("execute_request", ["code": .string("show hi"), "silent": .bool(false)])
        let reply = try #require(try c.reply())
        #expect(reply.content["status"] == .string("ok"))
        #expect(reply.content["execution_count"] == .int(1))
        let kinds = try c.outputs(of: req).map(\.msgType)
        #expect(kinds == ["status", "execute_input", "stream", "display_data", "execute_result", "status"])
    }

    @Test func errorsAbortQueuedExecutes() throws {
        let c = TestClient()
        let bad = c.request("execute_request", ["code": .string("fail")])
        let queued = c.request("execute_request", ["code": .string("never")])
        let r1 = try #require(try c.reply())
        let r2 = try #require(try c.reply())
        #expect(r1.parentHeader == bad.header && r1.content["status"] == .string("error"))
        #expect(r1.content["ename"] == .string("ValueError"))
        #expect(r2.parentHeader == queued.header && r2.content["status"] == .string("aborted"))
    }

    @Test func badlySignedMessagesAreDroppedWithoutAReply() throws {
        let c = TestClient()
        _ = c.request("kernel_info_request", [:], key: "wrong-key")
        try c.shell.send([Array("client".utf8), Array("<IDS|MSG>".utf8), [], Array("{".utf8)])
        let good = c.request("is_complete_request", ["code": .string("for x in y {")])
        let reply = try #require(try c.reply())
        #expect(reply.parentHeader == good.header)
        #expect(reply.content["status"] == .string("incomplete"))
        #expect(reply.content["indent"] == .string("    "))
    }

    @Test func wrongFieldTypesGetAnErrorReplyAndRunNothing() throws {
        var logged: [String] = []
        let lock = NSLock()
        let c = TestClient(log: { line in lock.withLock { logged.append(line) } })
        let bad = c.request("execute_request", ["code": .int(5), "silent": .string("no")])
        let reply = try #require(try c.reply())
        #expect(reply.msgType == "execute_reply" && reply.parentHeader == bad.header)
        #expect(reply.content["status"] == .string("error"))
        #expect(reply.content["ename"] == .string("BadRequest"))
        #expect(reply.content["evalue"] == .string("'code' should be a string, not a number"))
        #expect(reply.content["execution_count"] == .int(0))
        #expect(try c.outputs(of: bad).map(\.msgType) == ["status", "status"])

        let history = c.request("history_request", ["hist_access_type": .string("tail"), "n": .string("ten")])
        let hr = try #require(try c.reply())
        #expect(hr.msgType == "history_reply" && hr.parentHeader == history.header)
        #expect(hr.content["evalue"] == .string("'n' should be an integer, not a string"))

        // The next well-formed execute runs as the first cell.
        let good = c.request("execute_request", ["code": .string("ok"), "user_expressions": .null])
        let gr = try #require(try c.reply())
        #expect(gr.parentHeader == good.header && gr.content["status"] == .string("ok"))
        #expect(gr.content["execution_count"] == .int(1))
        #expect(lock.withLock { logged } == [
            "execute_request: 'code' should be a string, not a number",
            "history_request: 'n' should be an integer, not a string",
        ])
    }

    /// history_request gives back each stored cell's code and, asked for
    /// them, its result's text: after many cells, with text of every kind.
    @Test func historyGivesBackEveryCellAndItsOutput() throws {
        let c = TestClient()
        let codes = ["let π = 3.14", "fail", "", "show 🐟 fish", String(repeating: "long line ", count: 50)]
            + (1...200).map { "cell \($0)" }
        for code in codes {
            _ = c.request("execute_request", ["code": .string(code)])
            _ = try #require(try c.reply())
        }
        _ = c.request("execute_request", ["code": .string("not kept"), "store_history": .bool(false)])
        _ = try #require(try c.reply())
        _ = c.request("history_request", ["hist_access_type": .string("range"), "output": .bool(true),
                                          "start": .int(0), "stop": .int(1_000)])
        let reply = try #require(try c.reply())
        let rows = try #require(reply.content["history"]?.array)
        #expect(rows.count == codes.count)
        for (i, row) in rows.enumerated() {
            let expected: JSON = .array([.int(1), .int(i + 1), .array([.string(codes[i]),
                                                                       .string(codes[i] == "fail" ? "" : String(codes[i].count))])])
            #expect(row == expected, "row \(i + 1)")
        }
        _ = c.request("history_request", ["hist_access_type": .string("tail"), "n": .int(2)])
        let tail = try #require(try c.reply())
        #expect(tail.content["history"] == .array([.array([.int(1), .int(204), .string("cell 199")]),
                                                   .array([.int(1), .int(205), .string("cell 200")])]))
    }

    @Test func controlChannelInterruptsAndHeartbeatEchoes() throws {
        let c = TestClient()
        let req = c.request("interrupt_request", [:], on: c.control)
        let reply = try #require(try c.reply(on: c.control))
        #expect(reply.msgType == "interrupt_reply" && reply.parentHeader == req.header)
        #expect(c.backend.interrupted)
        try c.heartbeat.send([Array("ping".utf8)])
        #expect(try c.heartbeat.receive(timeout: 2) == [Array("ping".utf8)])
    }

    @Test func unknownCommsAreClosed() throws {
        let c = TestClient()
        let req = c.request("comm_open", ["comm_id": .string("c1"), "target_name": .string("jupyter.widget")])
        let out = try c.outputs(of: req)
        #expect(out.map(\.msgType) == ["status", "comm_close", "status"])
        #expect(out[1].content["comm_id"] == .string("c1"))
    }

    @Test func aStopButtonsClickInterruptsARunningCellAndWaitsItsTurn() throws {
        let c = TestClient()
        let run = c.request("execute_request", ["code": .string("wait")])
        Thread.sleep(forTimeInterval: 0.2)
        let click = c.request("comm_msg", ["comm_id": .string("stop"), "data": .object(["method": .string("custom")])])
        let after = c.request("comm_msg", ["comm_id": .string("slider"), "data": .object(["method": .string("update")])])
        let reply = try #require(try c.reply())
        #expect(reply.parentHeader == run.header && reply.content["ename"] == .string("Interrupted"))
        #expect(c.backend.interrupted, "the click was read while the cell ran")
        // Both comm messages are then handled in the order they came, each busy → idle.
        #expect(try c.outputs(of: click).map(\.msgType) == ["status", "status"])
        #expect(try c.outputs(of: after).map(\.msgType) == ["status", "status"])
        #expect(c.backend.comms.map(\.commID) == ["stop", "slider"])
    }

    @Test func commMessagesThatCannotBeHandledAreAnsweredWithAnError() throws {
        let c = TestClient()
        for content: [String: JSON] in [["data": .object([:])], ["comm_id": .int(3)], ["comm_id": .string("c"), "data": .string("x")],
                                        ["comm_id": .string("broken"), "data": .object([:])]] {
            let req = c.request("comm_msg", content)
            let out = try c.outputs(of: req)
            #expect(out.map(\.msgType) == ["status", "error", "status"], "\(content)")
            #expect(out.dropFirst().first?.content["ename"] == .string("CommError"))
        }
        let info = c.request("comm_info_request", ["target_name": .string("jupyter.widget")])
        let reply = try #require(try c.reply())
        #expect(reply.parentHeader == info.header && reply.content["comms"] == .object([:]))
    }
}

/// iopub on real ZeroMQ: a burst bigger than ZeroMQ's default high-water
/// mark, sent before the subscriber reads anything, arrives whole (a PUB
/// socket drops silently what its mark does not hold).
@Test func iopubLosesNoMessageOfABurstNobodyReadsYet() throws {
    let context = try ZMQContext()
    let publisher = try ZMQSocket(context, .pub)
    #expect(publisher.sendHighWaterMark == 0)
    try publisher.bind("inproc://iopub-burst")
    let subscriber = try ZMQSocket(context, .sub)
    subscriber.subscribeAll()
    try subscriber.connect("inproc://iopub-burst")
    // The subscription travels to the publisher first; until then it sends to nobody.
    var subscribed = false
    for _ in 0..<200 where !subscribed {
        try publisher.send([Array("probe".utf8)])
        subscribed = try subscriber.receive(timeout: 0.01) != nil
    }
    #expect(subscribed)
    while try subscriber.receive(timeout: 0.05) != nil {}
    let burst = 5_000
    for i in 0..<burst { try publisher.send([Array("display \(i)".utf8), Array(repeating: 7, count: 200)]) }
    var received = 0
    var last = ""
    while let frames = try subscriber.receive(timeout: 0.5) {
        received += 1
        last = String(decoding: frames[0], as: UTF8.self)
    }
    #expect(received == burst)
    #expect(last == "display \(burst - 1)")
}
