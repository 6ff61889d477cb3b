import CellIO
import CellLanguage
import Foundation
import JupyterWire

/// Widgets in cells: sliders, a dropdown, a checkbox, buttons, a label, an
/// output area, boxes, closures called when the learner changes them, and
/// `interact`, which builds the controls and redraws a picture in place.
extension PracticeBuiltins {
    static let valueWidgets = ["IntSlider", "FloatSlider", "Dropdown", "Checkbox"]
    static let widgetTypes = valueWidgets + ["Button", "StopButton", "Label", "Output", "HBox", "VBox"]

    static func registerWidgets(in r: BuiltinRegistry) {
        registerWidgetConstructors(in: r)
        registerWidgetMembers(in: r)
        registerWidgetMessages(in: r)
        registerInteract(in: r)
        registerLessonWidgets(in: r)
    }

    static func registerWidgetConstructors(in r: BuiltinRegistry) {
        r.addType("IntSlider", doc: "A slider over whole numbers; in JupyterLab the learner drags it, and its closures run.")
        r.addType("FloatSlider", doc: "A slider over decimal numbers, on a linear or a log scale.")
        r.addType("Dropdown", doc: "A choice among texts.")
        r.addType("Checkbox", doc: "An on/off switch.")
        r.addType("Button", doc: "A button whose closures run when it is pressed.")
        r.addType("StopButton", doc: "A button that interrupts what a widget's closure is running (training, say).")
        r.addType("Label", doc: "A line of text beside other widgets.")
        r.addType("Output", doc: "An area where widgets' closures print and show things.")
        r.addType("HBox", doc: "Widgets side by side.")
        r.addType("VBox", doc: "Widgets one above the other.")

        struct IntOptions: Decodable { var value: Int, min: Int, max: Int, step: Int, description: String, continuousUpdate: Bool }
        r.addFunction("IntSlider(value: Int = 0, min: Int = 0, max: Int = 100, step: Int = 1, description: String = \"\", "
                      + "continuousUpdate: Bool = true) -> IntSlider",
                      doc: "A slider over whole numbers from min to max. With continuousUpdate: false, closures run when the learner lets go.",
                      example: "let degree = IntSlider(value: 3, min: 1, max: 9, description: \"degree\")", options: IntOptions.self) { o, rt in
            guard o.min <= o.max else { throw CellError.value("an IntSlider needs min (\(o.min)) at most max (\(o.max))") }
            guard o.step >= 1 else { throw CellError.value("an IntSlider's step must be at least 1, not \(o.step)") }
            return .object(WidgetHub.of(rt).make(.intSlider, state: [
                "value": .int(Swift.min(Swift.max(o.value, o.min), o.max)), "min": .int(o.min), "max": .int(o.max),
                "step": .int(o.step), "description": .string(o.description), "continuous_update": .bool(o.continuousUpdate),
            ], sink: rt.output))
        }
        struct FloatOptions: Decodable {
            var value: Double, min: Double, max: Double, step: Double, description: String, logScale: Bool, continuousUpdate: Bool
        }
        r.addFunction("FloatSlider(value: Double = 0, min: Double = 0, max: Double = 10, step: Double = 0.1, description: String = \"\", "
                      + "logScale: Bool = false, continuousUpdate: Bool = true) -> FloatSlider",
                      doc: "A slider over decimal numbers from min to max. With logScale: true, min and max must be above 0 and step "
                          + "counts powers of ten (0.1: ten steps per factor of 10), for learning rates.",
                      example: "let rate = FloatSlider(value: 0.01, min: 0.0001, max: 1, logScale: true, description: \"rate\")",
                      options: FloatOptions.self) { o, rt in
            guard o.min < o.max, o.min.isFinite, o.max.isFinite else {
                throw CellError.value("a FloatSlider needs min (\(Value.double(o.min).description)) below max (\(Value.double(o.max).description))")
            }
            guard o.step > 0 else { throw CellError.value("a FloatSlider's step must be above 0, not \(Value.double(o.step).description)") }
            var state: [String: JSON] = ["step": .double(o.step), "description": .string(o.description),
                                         "continuous_update": .bool(o.continuousUpdate)]
            if o.logScale {
                guard o.min > 0 else {
                    throw CellError.value("a log-scale FloatSlider needs min above 0, not \(Value.double(o.min).description)")
                }
                state["min"] = .double(log10(o.min))
                state["max"] = .double(log10(o.max))
                state["value"] = .double(Swift.min(Swift.max(o.value, o.min), o.max))
                return .object(WidgetHub.of(rt).make(.logSlider, state: state, sink: rt.output))
            }
            state["min"] = .double(o.min)
            state["max"] = .double(o.max)
            state["value"] = .double(Swift.min(Swift.max(o.value, o.min), o.max))
            return .object(WidgetHub.of(rt).make(.floatSlider, state: state, sink: rt.output))
        }
        struct DropdownOptions: Decodable { var options: [String], value: String?, description: String }
        r.addFunction("Dropdown(_ options: [String], value: String? = nil, description: String = \"\") -> Dropdown",
                      doc: "A choice among the options (the first unless value names another).",
                      example: "let species = Dropdown([\"perch\", \"bass\", \"trout\"], description: \"species\")",
                      options: DropdownOptions.self) { o, rt in
            guard !o.options.isEmpty else { throw CellError.value("a Dropdown needs at least one option") }
            let index = try o.value.map { v -> Int in
                guard let i = o.options.firstIndex(of: v) else {
                    throw CellError.value("\"\(v)\" is not one of the options (\(o.options.joined(separator: ", ")))")
                }
                return i
            } ?? 0
            return .object(WidgetHub.of(rt).make(.dropdown(o.options), state: [
                "index": .int(index), "description": .string(o.description),
            ], sink: rt.output))
        }
        struct CheckboxOptions: Decodable { var value: Bool, description: String }
        r.addFunction("Checkbox(value: Bool = false, description: String = \"\") -> Checkbox",
                      doc: "An on/off switch.", example: "let augment = Checkbox(description: \"augment\")",
                      options: CheckboxOptions.self) { o, rt in
            .object(WidgetHub.of(rt).make(.checkbox, state: ["value": .bool(o.value), "description": .string(o.description)],
                                          sink: rt.output))
        }
        struct Text: Decodable { var text: String }
        r.addFunction("Button(_ text: String) -> Button", doc: "A button; give it closures with onClick.",
                      example: "let again = Button(\"Train again\")", options: Text.self) { o, rt in
            .object(WidgetHub.of(rt).make(.button, state: ["description": .string(o.text)], sink: rt.output))
        }
        r.addFunction("StopButton(_ text: String = \"Stop\") -> StopButton",
                      doc: "A button that interrupts what a widget's closure is running (a training run), as the kernel's stop does; "
                          + "what ran before stays.",
                      example: "let stop = StopButton()", options: Text.self) { o, rt in
            .object(WidgetHub.of(rt).make(.stopButton, state: ["description": .string(o.text)], sink: rt.output))
        }
        r.addFunction("Label(_ text: String = \"\") -> Label", doc: "A line of text; change it with setValue.",
                      example: "let status = Label(\"ready\")", options: Text.self) { o, rt in
            .object(WidgetHub.of(rt).make(.label, state: ["value": .string(o.text)], sink: rt.output))
        }
        struct NoOptions: Decodable {}
        r.addFunction("Output() -> Output",
                      doc: "An area for what widgets' closures print and show: pass it to observe or onClick as output:.",
                      example: "let log = Output()", options: NoOptions.self) { _, rt in
            .object(WidgetHub.of(rt).make(.output, state: [:], sink: rt.output))
        }
        struct Children: Decodable { var children: [HostArgument<Widget>] }
        for (name, kind) in [("HBox", Widget.Kind.hbox), ("VBox", .vbox)] {
            r.addFunction("\(name)(_ children: [Any]) -> \(name)",
                          doc: kind == .hbox ? "Widgets side by side." : "Widgets one above the other.",
                          example: "\(name)([degree, Label(\"the degree of the polynomial\")])", options: Children.self) { o, rt in
                .object(WidgetHub.of(rt).make(kind, state: [:], children: o.children.map(\.object), sink: rt.output))
            }
        }
    }

    static func registerWidgetMembers(in r: BuiltinRegistry) {
        struct Callback: Decodable { var output: HostArgument<Widget>?, callback: FunctionArgument }
        for type in valueWidgets + ["Label"] {
            r.addProperty(on: type, "value: Any", doc: "The widget's value now (as the learner left it).",
                          example: "degree.value", receiver: Widget.self) { w, _ in w.value }
            struct NewValue: Decodable { var value: Value }
            r.addMethod(on: type, "setValue(_ value: Any)",
                        doc: "Changes the widget's value (the front end shows it) and, when it changed, runs its observe closures "
                            + "as the learner's change would.",
                        example: "degree.setValue(5)", receiver: Widget.self, options: NewValue.self) { w, o, rt in
                if try w.setValue(o.value, sink: rt.output) { try notifyFromCell(w, rt) }
                return .void
            }
        }
        for type in valueWidgets {
            r.addMethod(on: type, "observe(output: Output? = nil, _ callback: (Any) -> Void)",
                        doc: "Calls the closure with the new value each time the learner changes the widget; what it prints and "
                            + "shows goes to output (an Output), errors too.",
                        example: "degree.observe { d in print(\"degree \\(d)\") }", receiver: Widget.self,
                        options: Callback.self) { w, o, _ in
                try attach(o.callback.function, output: o.output?.object, to: w)
                return .void
            }
        }
        for type in ["Button", "StopButton"] {
            r.addMethod(on: type, "onClick(output: Output? = nil, _ callback: () -> Void)",
                        doc: "Calls the closure each time the button is pressed; what it prints and shows goes to output.",
                        example: "again.onClick(output: log) { model.train(on: train, epochs: 5) }", receiver: Widget.self,
                        options: Callback.self) { w, o, _ in
                try attach(o.callback.function, output: o.output?.object, to: w)
                return .void
            }
        }
        struct Shown: Decodable { var value: Value }
        r.addMethod(on: "Output", "show(_ value: Any)", doc: "Adds a value's display (a chart, a table, a number) to the area.",
                    example: "log.show(history)", receiver: Widget.self, options: Shown.self) { w, o, rt in
            OutputAreaSink(area: w, forward: rt.output).display(o.value.display, id: nil, update: false)
            return .void
        }
        r.addMethod(on: "Output", "clear()", doc: "Empties the area.", example: "log.clear()", receiver: Widget.self) { w, rt in
            OutputAreaSink(area: w, forward: rt.output).clearOutput(wait: false)
            return .void
        }
        for type in widgetTypes {
            r.addMethod(on: type, "close()", doc: "Closes the widget: the front end removes it and its closures stop.",
                        example: "degree.close()", receiver: Widget.self) { w, rt in
                WidgetHub.of(rt).close(w, sink: rt.output)
                return .void
            }
        }
    }

    static func attach(_ f: Callable, output: Widget?, to w: Widget) throws {
        if let output {
            guard output.kind == .output else {
                throw CellError.type("output: needs an Output, not a \(output.typeName)")
            }
            w.output = output
        }
        w.observers.append(.closure(f))
    }

    static func registerInteract(in r: BuiltinRegistry) {
        struct Interact: Decodable { var first: Value, second: Value?, third: Value?, names: [String], body: FunctionArgument }
        r.addFunction("interact(_ first: Any, _ second: Any? = nil, _ third: Any? = nil, names: [String] = [], "
                      + "_ body: (Any) -> Any)",
                      doc: "Shows a control for each argument (a range of whole numbers: an IntSlider; of decimals: a FloatSlider; "
                          + "[String]: a Dropdown; a Bool: a Checkbox; or a widget you made) and the closure's result, called "
                          + "with the controls' values; each change redraws the result in place.",
                      example: "interact(1...9, names: [\"degree\"]) { degree in fitChart(degree) }", options: Interact.self) { o, rt in
            let hub = WidgetHub.of(rt)
            let arguments = [o.first] + [o.second, o.third].compactMap { $0 }
            let controls = try arguments.enumerated().map { i, v in
                try control(for: v, name: i < o.names.count ? o.names[i] : ["x", "y", "z"][i], hub: hub, sink: rt.output)
            }
            try showInteractive(controls, body: .closure(o.body.function), rt)
            return .void
        }
    }

    /// Shows the controls, then the body's result under a display id that
    /// each change of a control redraws in place.
    static func showInteractive(_ controls: [Widget], body: InteractBody, _ rt: Runtime) throws {
        let box = WidgetHub.of(rt).make(.vbox, state: [:], children: controls, sink: rt.output)
        if let view = box.display() { rt.output.display(view, id: nil, update: false) }
        let displayID = "interact-\(box.id)"
        let values = controls.map(\.value)
        let shown: Value
        switch body {
        case .closure(let f): shown = try f.invoke(values, rt)
        case .host(let draw): shown = try draw(values)
        }
        rt.output.display(shown.display, id: displayID, update: false)
        for c in controls { c.observers.append(.interact(body: body, controls: controls, displayID: displayID)) }
    }

    /// The control `interact` makes for one argument.
    static func control(for v: Value, name: String, hub: WidgetHub, sink: OutputSink) throws -> Widget {
        switch v {
        case .range(let lo, let hi, let closed):
            let top = closed ? hi : hi - 1
            guard lo <= top else { throw CellError.value("interact needs a range with at least one number, not \(v.description)") }
            return hub.make(.intSlider, state: ["value": .int((lo + top) / 2), "min": .int(lo), "max": .int(top), "step": .int(1),
                                                "description": .string(name)], sink: sink)
        case .doubleRange(let lo, let hi, _):
            guard lo < hi else { throw CellError.value("interact needs a range whose lower bound is below its upper bound") }
            return hub.make(.floatSlider, state: ["value": .double((lo + hi) / 2), "min": .double(lo), "max": .double(hi),
                                                  "step": .double((hi - lo) / 100), "description": .string(name)], sink: sink)
        case .array(let items):
            let options = items.compactMap { if case .string(let s) = $0 { return s } else { return nil } }
            guard !options.isEmpty, options.count == items.count else {
                throw CellError.type("interact makes a Dropdown from an array of texts, not from \(v.typeName)")
            }
            return hub.make(.dropdown(options), state: ["index": .int(0), "description": .string(name)], sink: sink)
        case .bool(let b):
            return hub.make(.checkbox, state: ["value": .bool(b), "description": .string(name)], sink: sink)
        case .object(let o as Widget) where valueWidgets.contains(o.typeName):
            return o
        default:
            throw CellError.type("interact makes a control from a range, an array of texts, a Bool or a slider, not from a "
                                 + "value of type '\(v.typeName)'")
        }
    }
}
