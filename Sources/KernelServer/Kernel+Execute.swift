import CellIO
import JupyterWire

/// execute_request: run the cell, publish what it shows, reply; after an
/// error, abort what was queued; user expressions.
extension Kernel {
    func executeRequest(_ request: Message, on socket: MessageSocket) {
        let c = request.content
        let code = c["code"]?.string ?? ""
        let silent = c["silent"]?.bool ?? false
        let storeHistory = silent ? false : (c["store_history"]?.bool ?? true)
        if storeHistory {
            executionCount += 1
            history.append(line: executionCount, input: code)
        }
        let count = executionCount
        if !silent {
            publish(type: "execute_input", content: .object(["code": .string(code), "execution_count": .int(count)]),
                    parent: request)
        }
        let output = IOPubOutput(kernel: self, parent: request, silent: silent,
                                 allowStdin: c["allow_stdin"]?.bool ?? false)
        let result = watchingShell(socket) {
            self.backend.execute(code: code, silent: silent, allowStdin: output.allowStdin, output: output)
        }
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
            if storeHistory, let text = result.value?.plainText { history.setLastOutput(text) }
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
        var queued = socket === shell ? deferred : []
        if socket === shell { deferred = [] }
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
}
