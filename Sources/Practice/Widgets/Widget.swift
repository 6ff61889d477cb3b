import CellIO
import CellLanguage
import Foundation
import JupyterWire

/// A Jupyter widget's kernel side: its model state, synced with JupyterLab's
/// ipywidgets 8 manager over a `jupyter.widget` comm (widget message
/// protocol 2.1), and the closures cells attach to it.
public final class Widget: HostObject {
    /// What the widget is; the kind decides its model, its value and what
    /// the front end may change.
    enum Kind: Equatable {
        case intSlider, floatSlider, logSlider, dropdown([String]), checkbox, button, stopButton, label, output
        case hbox, vbox, layout, style(String)
        /// A model the front end opened (a `jupyter.widget` comm_open from
        /// JupyterLab), by its `_model_name`: the kernel keeps its state.
        case frontEnd(String)
    }

    let kind: Kind
    /// The comm id, which is also the model id views refer to.
    public let id: String
    /// The synced state (the keys ipywidgets' model defines).
    private(set) var state: [String: JSON]
    /// The state's binary values, by where they sit in it (`buffer_paths`).
    private(set) var binary: [BufferPath: [UInt8]] = [:]
    /// Closures called with the new value when the front end changes it
    /// (or with nothing when a button is clicked).
    var observers: [Observer] = []
    /// Closures called with a custom message's content (and its buffers)
    /// when the front end sends one (`onMessage`).
    var messageHandlers: [Callable] = []
    /// Where the callbacks' output goes; nil: to the kernel's log in the front end.
    var output: Widget?
    /// The widgets this one refers to (its layout and style, a box's children).
    var parts: [Widget] = []
    /// Outputs held by an output area (Jupyter output dictionaries).
    var outputs: [JSON] { state["outputs"]?.array ?? [] }

    init(_ kind: Kind, id: String? = nil, state: [String: JSON], parts: [Widget] = []) {
        self.kind = kind
        self.id = id ?? UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        self.parts = parts
        var s = Widget.modelKeys(kind)
        s.merge(state) { $1 }
        self.state = s
    }

    public var typeName: String {
        switch kind {
        case .intSlider: return "IntSlider"
        case .floatSlider, .logSlider: return "FloatSlider"
        case .dropdown: return "Dropdown"
        case .checkbox: return "Checkbox"
        case .button: return "Button"
        case .stopButton: return "StopButton"
        case .label: return "Label"
        case .output: return "Output"
        case .hbox: return "HBox"
        case .vbox: return "VBox"
        case .layout: return "Layout"
        case .style: return "Style"
        case .frontEnd(let model): return model
        }
    }

    public var textDescription: String {
        let label = state["description"]?.string.flatMap { $0.isEmpty ? nil : "\"\($0)\", " } ?? ""
        switch kind {
        case .hbox, .vbox: return "\(typeName)(\(parts.filter { !$0.isStyling }.count) widgets)"
        case .output: return "Output(\(outputs.count) outputs)"
        case .button, .stopButton: return "\(typeName)(\"\(state["description"]?.string ?? "")\")"
        case .frontEnd: return "\(typeName) (opened by the front end)"
        default: return "\(typeName)(\(label)value: \(value.description))"
        }
    }

    /// The widget's type and description, for messages: `IntSlider "degree"`.
    var shortName: String {
        let label = state["description"]?.string ?? ""
        return label.isEmpty ? typeName : "\(typeName) \"\(label)\""
    }

    /// "a" or "an", for messages.
    var article: String { "AEIOU".contains(typeName.first ?? "x") ? "an" : "a" }

    var isStyling: Bool {
        switch kind {
        case .layout, .style: return true
        default: return false
        }
    }

    /// A widget view for JupyterLab, with its text form for everyone else.
    public func display() -> Display? {
        let view: JSON = .object(["model_id": .string(id), "version_major": .int(2), "version_minor": .int(0)])
        return Display(data: ["text/plain": textDescription, "application/vnd.jupyter.widget-view+json": view.text])
    }

    /// The value cells see: a slider's number, a dropdown's choice, a
    /// checkbox's state, a label's text.
    public var value: Value {
        switch kind {
        case .intSlider: return .int(state["value"]?.int ?? 0)
        case .floatSlider, .logSlider: return .double(Widget.number(state["value"]) ?? 0)
        case .dropdown(let options):
            guard let i = state["index"]?.int, options.indices.contains(i) else { return .none }
            return .string(options[i])
        case .checkbox: return .bool(state["value"]?.bool ?? false)
        case .label: return .string(state["value"]?.string ?? "")
        case .button, .stopButton: return .string(state["description"]?.string ?? "")
        default: return .void
        }
    }

    /// The binary values in a fixed order, with their paths.
    var buffers: (paths: [BufferPath], bytes: [[UInt8]]) {
        let sorted = binary.sorted { $0.key < $1.key }
        return (sorted.map(\.key), sorted.map(\.value))
    }

    /// The full state as it is sent: the comm_open's and request_state's
    /// `data` (with `method` when given), and its buffers.
    func stateMessage(method: String? = nil) -> (data: JSON, buffers: [[UInt8]]) {
        let (paths, bytes) = buffers
        var data: [String: JSON] = ["state": .object(state), "buffer_paths": .array(paths.map(\.json))]
        if let method { data["method"] = .string(method) }
        return (.object(data), bytes)
    }

    /// Changes synced keys (and binary values) and sends them to the front
    /// end (`update`), or echoes what the front end sent (`echo_update`).
    func set(_ changes: [String: JSON], binary changed: [BufferPath: [UInt8]] = [:], sink: OutputSink, method: String = "update") {
        state.merge(changes) { $1 }
        // A key given anew loses the buffers it held.
        let replaced = Set(changes.keys).union(changed.keys.compactMap(\.key))
        binary = binary.filter { !replaced.contains($0.key.key ?? "") }.merging(changed) { $1 }
        let sent = changed.sorted { $0.key < $1.key }
        let data: JSON = .object(["method": .string(method), "state": .object(changes),
                                  "buffer_paths": .array(sent.map(\.key.json))])
        sink.comm(CommMessage(.message, commID: id, data: data.text, buffers: sent.map(\.value)))
    }

    /// Sets the value from a cell, checked like the front end's changes;
    /// returns whether the value changed.
    @discardableResult
    func setValue(_ v: Value, sink: OutputSink) throws -> Bool {
        let before = value
        try assign(v, sink: sink)
        return !Widget.same(before, value)
    }

    /// Whether two widget values are the same value.
    static func same(_ a: Value, _ b: Value) -> Bool { a.description == b.description && a.typeName == b.typeName }

    private func assign(_ v: Value, sink: OutputSink) throws {
        let json: JSON
        switch (kind, v) {
        case (.intSlider, .int(let n)): json = .int(n)
        case (.floatSlider, .int(let n)), (.logSlider, .int(let n)): json = .double(Double(n))
        case (.floatSlider, .double(let d)), (.logSlider, .double(let d)): json = .double(d)
        case (.checkbox, .bool(let b)): json = .bool(b)
        case (.label, .string(let s)): json = .string(s)
        case (.dropdown(let options), .string(let s)):
            guard let i = options.firstIndex(of: s) else {
                throw CellError.value("\"\(s)\" is not one of the dropdown's options (\(options.joined(separator: ", ")))")
            }
            set(["index": .int(i)], sink: sink)
            return
        default:
            throw CellError.type("\(article) \(typeName)'s value cannot be set to a value of type '\(v.typeName)'")
        }
        let key = "value"
        set([key: try accepted(key, json)], sink: sink)
    }

    /// A change the front end (or a cell) asks for, checked and clamped as
    /// ipywidgets does; throws `WidgetError` for a key or a value the widget
    /// does not take.
    func accepted(_ key: String, _ value: JSON) throws -> JSON {
        func bounded(_ x: Double) -> Double {
            let lo = Widget.number(state["min"]) ?? x, hi = Widget.number(state["max"]) ?? x
            return Swift.min(Swift.max(x, lo), hi)
        }
        switch (kind, key) {
        case (.intSlider, "value"):
            guard case .int(let n) = value else { throw WidgetError("an IntSlider's value must be an integer, not \(value.text)") }
            return .int(Int(bounded(Double(n))))
        case (.floatSlider, "value"):
            guard let x = Widget.number(value), x.isFinite else { throw WidgetError("a FloatSlider's value must be a number, not \(value.text)") }
            return .double(bounded(x))
        case (.logSlider, "value"):
            guard let x = Widget.number(value), x > 0, x.isFinite else {
                throw WidgetError("a log-scale FloatSlider's value must be a positive number, not \(value.text)")
            }
            let base = Widget.number(state["base"]) ?? 10
            let lo = pow(base, Widget.number(state["min"]) ?? 0), hi = pow(base, Widget.number(state["max"]) ?? 0)
            return .double(Swift.min(Swift.max(x, lo), hi))
        case (.dropdown(let options), "index"):
            guard let i = value.int, options.indices.contains(i) else {
                throw WidgetError("a Dropdown's index must be an integer from 0 to \(options.count - 1), not \(value.text)")
            }
            return .int(i)
        case (.checkbox, "value"):
            guard case .bool = value else { throw WidgetError("a Checkbox's value must be true or false, not \(value.text)") }
            return value
        case (.label, "value"):
            guard case .string = value else { throw WidgetError("a Label's value must be text, not \(value.text)") }
            return value
        case (.frontEnd, _):
            // The front end's own model: any key, but its model and view stay what they were opened as.
            if key.hasPrefix("_model_") || key.hasPrefix("_view_module") || key == "_view_name", let old = state[key], old != value {
                throw WidgetError("\(article) \(typeName)'s '\(key)' cannot be changed")
            }
            return value
        default:
            guard let old = state[key] else { throw WidgetError("\(article) \(typeName) has no attribute '\(key)'") }
            guard key.first != "_" else { throw WidgetError("\(article) \(typeName)'s '\(key)' cannot be changed") }
            guard Widget.sameKind(old, value) else {
                throw WidgetError("\(article) \(typeName)'s '\(key)' cannot become \(value.text)")
            }
            return value
        }
    }

    static func number(_ j: JSON?) -> Double? {
        switch j {
        case .int(let n)?: return Double(n)
        case .double(let d)?: return d
        default: return nil
        }
    }

    static func sameKind(_ a: JSON, _ b: JSON) -> Bool {
        switch (a, b) {
        case (.null, _), (_, .null), (.bool, .bool), (.string, .string), (.array, .array), (.object, .object): return true
        case (.int, .int), (.int, .double), (.double, .int), (.double, .double): return true
        default: return false
        }
    }
}

/// What runs when the front end changes a widget.
enum Observer {
    /// A cell's closure, called with the new value (nothing for a click).
    case closure(Callable)
    /// `interact`'s closure (or a lesson tool's drawing), called with every
    /// control's value; its result replaces the display with `displayID`.
    case interact(body: InteractBody, controls: [Widget], displayID: String)
}

/// What an interactive display redraws with.
enum InteractBody {
    /// A cell's closure.
    case closure(Callable)
    /// A lesson tool's drawing, from the controls' values.
    case host(([Value]) throws -> Value)
}

/// A comm message the widget cannot take; the kernel publishes it as an error.
struct WidgetError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
