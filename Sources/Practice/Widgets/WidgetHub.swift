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
            let s = open(Widget(.style(style), state: [:]), sink: sink)
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
        sink.comm(CommMessage(.open(target: "jupyter.widget"), commID: w.id, data: w.stateMessage.text,
                              metadata: metadata.text))
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
    }

    /// Applies a comm message from the front end: state changes are checked
    /// and echoed, state requests answered; returns the callbacks to run.
    func receive(_ message: CommMessage, sink: OutputSink) throws -> Request {
        switch message.kind {
        case .open(let target):
            guard target == "jupyter.widget.control" else { throw UnknownTarget() }
            lock.lock()
            controlComms.insert(message.commID)
            lock.unlock()
            return .done
        case .close:
            lock.lock()
            defer { lock.unlock() }
            if controlComms.remove(message.commID) != nil || widgets.removeValue(forKey: message.commID) != nil { return .done }
            throw WidgetError("no comm '\(message.commID)' is open")
        case .message:
            break
        }
        let data: JSON
        do { data = try JSON.parse(message.data) } catch { throw WidgetError("the comm message's data is not JSON: \(error)") }
        let method = data["method"]?.string ?? ""
        lock.lock()
        let isControl = controlComms.contains(message.commID)
        lock.unlock()
        if isControl {
            guard method == "request_states" else {
                throw WidgetError("the widget control comm does not know the method '\(method)'")
            }
            lock.lock()
            let states = widgets.mapValues { JSON.object($0.state) }
            lock.unlock()
            let reply: JSON = .object(["method": .string("update_states"), "states": .object(states),
                                       "buffer_paths": .array([])])
            sink.comm(CommMessage(.message, commID: message.commID, data: reply.text))
            return .done
        }
        guard let w = widget(message.commID) else { throw WidgetError("no comm '\(message.commID)' is open") }
        switch method {
        case "update":
            guard let changes = data["state"]?.object else {
                throw WidgetError("an update needs a 'state' object")
            }
            if let paths = data["buffer_paths"]?.array, !paths.isEmpty {
                throw WidgetError("\(w.article) \(w.typeName) has no binary attributes, but the update sent \(paths.count) buffers")
            }
            let before = w.value
            var accepted: [String: JSON] = [:]
            for (key, value) in changes.sorted(by: { $0.key < $1.key }) { accepted[key] = try w.accepted(key, value) }
            // Echo what was received (protocol 2.1), then send what clamping changed.
            w.set(changes, sink: sink, method: "echo_update")
            let clamped = accepted.filter { changes[$0.key] != $0.value }
            if !clamped.isEmpty { w.set(clamped, sink: sink) }
            let after = w.value
            guard !w.observers.isEmpty, !(before.description == after.description && before.typeName == after.typeName) else {
                return .done
            }
            return .callbacks(w, arguments: [after])
        case "request_state":
            sink.comm(CommMessage(.message, commID: w.id,
                                  data: JSON.object(["method": .string("update"), "state": .object(w.state),
                                                     "buffer_paths": .array([])]).text))
            return .done
        case "custom":
            guard let content = data["content"] else { throw WidgetError("a custom message needs 'content'") }
            if content["event"]?.string == "click", w.kind == .button || w.kind == .stopButton {
                return w.observers.isEmpty ? .done : .callbacks(w, arguments: [])
            }
            throw WidgetError("\(w.article) \(w.typeName) does not take the custom message \(content.text)")
        default:
            throw WidgetError("a widget does not know the method '\(method)'")
        }
    }

    struct UnknownTarget: Error {}
}
