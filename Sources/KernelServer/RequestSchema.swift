import CellIO
import JupyterWire

/// What each request the kernel reads must hold, and the error reply
/// (`BadRequest`) for one that does not.
extension Kernel {
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
        "comm_msg": ["comm_id": .string, "data": .object],
        "comm_close": ["comm_id": .string, "data": .object],
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
        if request.msgType.hasPrefix("comm_"), !request.msgType.hasSuffix("_request") {
            commError(problem, parent: request)
            return
        }
        guard request.msgType.hasSuffix("_request") else { return }
        var content = PresentedError(ename: "BadRequest", evalue: problem, traceback: ["BadRequest: \(problem)"]).json
        content["status"] = .string("error")
        if request.msgType == "execute_request" { content["execution_count"] = .int(executionCount) }
        let type = String(request.msgType.dropLast("_request".count)) + "_reply"
        reply(request, on: socket, type: type, content: .object(content))
    }
}
