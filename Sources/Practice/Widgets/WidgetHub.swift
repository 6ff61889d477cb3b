import CellIO
import CellLanguage
import Foundation
import JupyterWire

/// The widgets one notebook opened, by comm id, and the front end's comms
/// to them: it opens a widget's comm, answers the front end's updates,
/// state requests, clicks and `jupyter.widget.control` requests, and runs
/// the closures attached to a widget.
final class WidgetHub {
    /// Read from the kernel's shell thread (`interrupts`) while a callback runs.
    private let lock = NSLock()
    private var widgets: [String: Widget] = [:]
    private var controlComms: Set<String> = []
    /// The widgets whose closures are running because a value was set, outermost first.
    private var notifying: [Widget] = []
    /// How deep closures may set values that run closures again.
    static let maxNesting = 20

    /// The notebook's hub, kept with its runtime.
    static func of(_ rt: Runtime) -> WidgetHub {
        if let hub = rt.hostState["widgets"] as? WidgetHub { return hub }
        let hub = WidgetHub()
        rt.hostState["widgets"] = hub
        return hub
    }

    /// The notebook's hub if it has one, without making one (from another thread).
    static func existing(_ rt: Runtime) -> WidgetHub? { rt.hostState["widgets"] as? WidgetHub }

    /// Makes a widget with its layout (and style), opening their comms.
    func make(_ kind: Widget.Kind, state: [String: JSON], children: [Widget] = [], sink: OutputSink) -> Widget {
        let layout = open(Widget(.layout, state: [:]), sink: sink)
        var state = state
        var parts = [layout]
        state["layout"] = layout.reference
        if let style = Widget.styleModel(kind) {
            // A long description gets the room it needs instead of being cut ("learning r...").
            let long = (state["description"]?.string?.count ?? 0) > 10
            let s = open(Widget(.style(style), state: long ? ["description_width": .string("initial")] : [:]), sink: sink)
            state["style"] = s.reference
            parts.append(s)
        }
        if !children.isEmpty { state["children"] = .array(children.map(\.reference)) }
        return open(Widget(kind, state: state, parts: parts + children), sink: sink)
    }

    private func open(_ w: Widget, sink: OutputSink) -> Widget {
        lock.lock()
        widgets[w.id] = w
        lock.unlock()
        let metadata: JSON = .object(["version": .string(Widget.protocolVersion)])
        let (data, buffers) = w.stateMessage()
        sink.comm(CommMessage(.open(target: "jupyter.widget"), commID: w.id, data: data.text, metadata: metadata.text,
                              buffers: buffers))
        return w
    }

    /// Closes a widget's comm (and its layout's and style's) from the kernel side.
    func close(_ w: Widget, sink: OutputSink) {
        for part in [w] + w.parts.filter(\.isStyling) {
            lock.lock()
            let wasOpen = widgets.removeValue(forKey: part.id) != nil
            lock.unlock()
            if wasOpen { sink.comm(CommMessage(.close, commID: part.id)) }
        }
        w.observers = []
    }

    /// Runs `body` (a widget's closures after its value was set) one level
    /// deeper; past `maxNesting` levels, throws a `CellError` that names the loop.
    func nesting(_ w: Widget, _ body: () throws -> Void) throws {
        guard notifying.count < WidgetHub.maxNesting else {
            var loop: [Widget] = []
            for v in notifying + [w] where !loop.contains(where: { $0 === v }) { loop.append(v) }
            let names = loop.map(\.shortName)
            let cycle = (names + [names[0]]).joined(separator: " → ")
            throw CellError.value("setValue went \(WidgetHub.maxNesting) deep: observe closures keep setting values whose closures set "
                                  + "them again (\(cycle) → …) without end; set a value only when it is not already what you want")
        }
        notifying.append(w)
        defer { notifying.removeLast() }
        try body()
    }

    func widget(_ id: String) -> Widget? {
        lock.lock()
        defer { lock.unlock() }
        return widgets[id]
    }

    /// Open comms, comm id → target name.
    func openComms(target: String?) -> [String: String] {
        lock.lock()
        defer { lock.unlock() }
        var all = widgets.mapValues { _ in "jupyter.widget" }
        for id in controlComms { all[id] = "jupyter.widget.control" }
        return target.map { t in all.filter { $0.value == t } } ?? all
    }

    /// Whether the message is a click on a stop button.
    func interrupts(_ message: CommMessage) -> Bool {
        guard let w = widget(message.commID), w.kind == .stopButton,
              let data = try? JSON.parse(message.data) else { return false }
        return data["method"]?.string == "custom" && data["content"]?["event"]?.string == "click"
    }

    /// What a comm message from the front end asks, without running anything
    /// yet: the work to do (on the cell thread), or why it cannot be done.
    enum Request {
        case done
        /// Closures to call with the widget's new value (or with nothing for a click).
        case callbacks(Widget, arguments: [Value])
        /// `onMessage` closures to call with a custom message's content and buffers.
        case message(Widget, content: Value, buffers: Value)
    }

    /// Applies a comm message from the front end: state changes are checked
    /// and echoed, state requests answered; returns the callbacks to run.
    func receive(_ message: CommMessage, sink: OutputSink) throws -> Request {
        let data: JSON
        do { data = try JSON.parse(message.data) } catch { throw WidgetError("the comm message's data is not JSON: \(error)") }
        switch message.kind {
        case .open(let target):
            return try opened(target, message, data: data)
        case .close:
            lock.lock()
            defer { lock.unlock() }
            if controlComms.remove(message.commID) != nil || widgets.removeValue(forKey: message.commID) != nil { return .done }
            throw WidgetError("no comm '\(message.commID)' is open")
        case .message:
            break
        }
        let method = data["method"]?.string ?? ""
        lock.lock()
        let isControl = controlComms.contains(message.commID)
        lock.unlock()
        if isControl {
            guard method == "request_states" else {
                throw WidgetError("the widget control comm does not know the method '\(method)'")
            }
            sink.comm(allStates(to: message.commID))
            return .done
        }
        guard let w = widget(message.commID) else { throw WidgetError("no comm '\(message.commID)' is open") }
        switch method {
        case "update":
            return try update(w, data, buffers: message.buffers, sink: sink)
        case "request_state":
            let (state, buffers) = w.stateMessage(method: "update")
            sink.comm(CommMessage(.message, commID: w.id, data: state.text, buffers: buffers))
            return .done
        case "custom":
            guard let content = data["content"] else { throw WidgetError("a custom message needs 'content'") }
            if content["event"]?.string == "click", w.kind == .button || w.kind == .stopButton {
                return w.observers.isEmpty ? .done : .callbacks(w, arguments: [])
            }
            if !w.messageHandlers.isEmpty {
                return .message(w, content: WidgetPayload.value(content), buffers: WidgetPayload.bytes(message.buffers))
            }
            // A model the front end made may talk to its own kind; nothing here listens.
            if case .frontEnd = w.kind { return .done }
            throw WidgetError("\(w.article) \(w.typeName) does not take the custom message \(content.text) (give it onMessage)")
        default:
            throw WidgetError("a widget does not know the method '\(method)'")
        }
    }

    /// A comm the front end opens: the control comm, or a widget model the
    /// front end made (widget message protocol 2.1), whose state the kernel keeps.
    private func opened(_ target: String, _ message: CommMessage, data: JSON) throws -> Request {
        let id = message.commID
        lock.lock()
        let taken = widgets[id] != nil || controlComms.contains(id)
        lock.unlock()
        switch target {
        case "jupyter.widget.control":
            guard !taken else { throw WidgetError("a comm '\(id)' is already open") }
            lock.lock()
            controlComms.insert(id)
            lock.unlock()
            return .done
        case "jupyter.widget":
            guard !taken else { throw WidgetError("a comm '\(id)' is already open") }
            guard let state = data["state"]?.object else {
                throw WidgetError("a jupyter.widget comm_open needs its model's 'state' object")
            }
            guard let model = state["_model_name"]?.string, !model.isEmpty else {
                throw WidgetError("a jupyter.widget comm_open's state needs a '_model_name'")
            }
            let paths = try BufferPath.paths(data, buffers: message.buffers, what: "the comm_open")
            let w = Widget(.frontEnd(model), id: id, state: [:])
            w.set(state, binary: Dictionary(zip(paths, message.buffers)) { $1 }, sink: NullSink())
            lock.lock()
            widgets[id] = w
            lock.unlock()
            return .done
        default:
            throw UnknownTarget()
        }
    }

    /// An `update` from the front end: checked, applied and echoed (protocol
    /// 2.1), then what clamping changed sent back; the closures to run.
    private func update(_ w: Widget, _ data: JSON, buffers: [[UInt8]], sink: OutputSink) throws -> Request {
        guard let changes = data["state"]?.object else {
            throw WidgetError("an update needs a 'state' object")
        }
        let paths = try BufferPath.paths(data, buffers: buffers, what: "the update")
        if case .frontEnd = w.kind {} else if !paths.isEmpty {
            throw WidgetError("\(w.article) \(w.typeName) has no binary attributes, but the update sent \(paths.count) "
                              + "buffer\(paths.count == 1 ? "" : "s")")
        }
        let before = w.value
        var accepted: [String: JSON] = [:]
        for (key, value) in changes.sorted(by: { $0.key < $1.key }) { accepted[key] = try w.accepted(key, value) }
        for key in Set(paths.compactMap(\.key)) { _ = try w.accepted(key, .null) }
        // Echo what was received (protocol 2.1), then send what clamping changed.
        w.set(changes, binary: Dictionary(zip(paths, buffers)) { $1 }, sink: sink, method: "echo_update")
        let clamped = accepted.filter { changes[$0.key] != $0.value }
        if !clamped.isEmpty { w.set(clamped, sink: sink) }
        let after = w.value
        guard !w.observers.isEmpty, !Widget.same(before, after) else { return .done }
        return .callbacks(w, arguments: [after])
    }

    /// `update_states` on the control comm: every widget's state, buffers
    /// included (their paths start with the widget's id).
    private func allStates(to commID: String) -> CommMessage {
        lock.lock()
        let all = widgets
        lock.unlock()
        var paths: [JSON] = [], bytes: [[UInt8]] = []
        for (id, w) in all.sorted(by: { $0.key < $1.key }) {
            let (p, b) = w.buffers
            paths += p.map { .array([.string(id)] + $0.steps.map(\.json)) }
            bytes += b
        }
        let reply: JSON = .object(["method": .string("update_states"), "states": .object(all.mapValues { .object($0.state) }),
                                   "buffer_paths": .array(paths)])
        return CommMessage(.message, commID: commID, data: reply.text, buffers: bytes)
    }

    struct UnknownTarget: Error {}
}
