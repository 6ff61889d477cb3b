import CellIO
import CellLanguage
import JupyterWire

/// What cells send widgets and what widgets tell cells beyond a value:
/// custom messages both ways (`send`, `onMessage`), and the closures a
/// value set from a cell runs.
extension PracticeBuiltins {
    static func registerWidgetMessages(in r: BuiltinRegistry) {
        struct Message: Decodable { var content: Value, buffers: [[Int]] }
        struct Handler: Decodable { var output: HostArgument<Widget>?, handler: FunctionArgument }
        for type in widgetTypes {
            r.addMethod(on: type, "send(_ content: Any, buffers: [[Int]] = [])",
                        doc: "Sends a custom message to the widget's front end (widget message protocol 'custom'): numbers, text, "
                            + "arrays and [String: Any] dictionaries, with binary buffers as lists of bytes (0 to 255).",
                        example: "degree.send([\"hint\": \"try 3\"])", receiver: Widget.self, options: Message.self) { w, o, rt in
                let content = try WidgetPayload.json(o.content)
                let data: JSON = .object(["method": .string("custom"), "content": content])
                rt.output.comm(CommMessage(.message, commID: w.id, data: data.text, buffers: try WidgetPayload.buffers(o.buffers)))
                return .void
            }
            r.addMethod(on: type, "onMessage(output: Output? = nil, _ handler: (Any, [[Int]]) -> Void)",
                        doc: "Calls the closure with each custom message the front end sends the widget: its content "
                            + "([String: Any] for an object) and, when the closure takes two arguments, its buffers (lists of bytes).",
                        example: "degree.onMessage { content, buffers in print(content) }", receiver: Widget.self,
                        options: Handler.self) { w, o, _ in
                if let area = o.output?.object {
                    guard area.kind == .output else { throw CellError.type("output: needs an Output, not a \(area.typeName)") }
                    w.output = area
                }
                w.messageHandlers.append(o.handler.function)
                return .void
            }
        }
    }

    /// Runs a widget's observers after a cell (or a closure) set its value,
    /// as the learner's change would: closures write to their output area,
    /// `interact` redraws in place; an error stops the cell that set it.
    /// Closures that keep setting each other's values stop at
    /// `WidgetHub.maxNesting`, with a message naming the widgets.
    static func notifyFromCell(_ w: Widget, _ rt: Runtime) throws {
        let hub = WidgetHub.of(rt)
        try hub.nesting(w) {
            let sink = rt.output
            defer { rt.output = sink }
            for observer in w.observers {
                switch observer {
                case .closure(let f):
                    rt.output = w.output.map { OutputAreaSink(area: $0, forward: sink) } ?? sink
                    _ = try f.invoke([w.value], rt)
                    rt.output = sink
                case .interact(let body, let controls, let displayID):
                    let values = controls.map(\.value)
                    let shown: Value
                    switch body {
                    case .closure(let f): shown = try f.invoke(values, rt)
                    case .host(let draw): shown = try draw(values)
                    }
                    sink.display(shown.display, id: displayID, update: true)
                }
            }
        }
    }
}
