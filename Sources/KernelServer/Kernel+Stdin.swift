import Foundation
import JupyterWire

/// input_request round trips on the stdin socket.
extension Kernel {
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
