import CellIO
import Foundation
import JupyterWire

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

    func comm(_ message: CommMessage) {
        flush()
        var content: [String: JSON] = ["comm_id": .string(message.commID),
                                       "data": (try? JSON.parse(message.data)) ?? .object([:])]
        let type: String
        switch message.kind {
        case .open(let target):
            type = "comm_open"
            content["target_name"] = .string(target)
        case .message: type = "comm_msg"
        case .close: type = "comm_close"
        }
        kernel.publish(type: type, content: .object(content), parent: parent,
                       metadata: (try? JSON.parse(message.metadata)) ?? .object([:]), buffers: message.buffers)
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
