import JupyterWire

/// The models of ipywidgets 8 that Shoal's widgets are: module names and
/// versions, model and view names, and the keys each model syncs (the
/// front end fills in what is not sent with its defaults).
extension Widget {
    static let controls = "@jupyter-widgets/controls"
    static let base = "@jupyter-widgets/base"
    static let outputModule = "@jupyter-widgets/output"
    /// Widget message protocol version, sent in every comm_open's metadata.
    static let protocolVersion = "2.1.0"

    static func modelKeys(_ kind: Kind) -> [String: JSON] {
        func model(_ name: String, view: String?, module: String = controls, version: String = "2.0.0",
                   viewModule: String? = nil) -> [String: JSON] {
            ["_model_name": .string(name), "_model_module": .string(module), "_model_module_version": .string(version),
             "_view_name": view.map(JSON.string) ?? .null, "_view_module": .string(viewModule ?? module),
             "_view_module_version": .string(version), "_view_count": .null]
        }
        let dom: [String: JSON] = ["_dom_classes": .array([]), "tabbable": .null, "tooltip": .null]
        let described = dom.merging(["description": .string(""), "description_allow_html": .bool(false)]) { $1 }
        let slider: [String: JSON] = ["orientation": .string("horizontal"), "readout": .bool(true),
                                      "continuous_update": .bool(true), "disabled": .bool(false),
                                      "behavior": .string("drag-tap")]
        switch kind {
        case .intSlider:
            return model("IntSliderModel", view: "IntSliderView").merging(described) { $1 }.merging(slider) { $1 }
                .merging(["readout_format": .string("d")]) { $1 }
        case .floatSlider:
            return model("FloatSliderModel", view: "FloatSliderView").merging(described) { $1 }.merging(slider) { $1 }
                .merging(["readout_format": .string(".2f")]) { $1 }
        case .logSlider:
            return model("FloatLogSliderModel", view: "FloatLogSliderView").merging(described) { $1 }
                .merging(slider) { $1 }.merging(["readout_format": .string(".3~g"), "base": .double(10)]) { $1 }
        case .dropdown(let options):
            return model("DropdownModel", view: "DropdownView").merging(described) { $1 }
                .merging(["_options_labels": .array(options.map(JSON.string)), "disabled": .bool(false)]) { $1 }
        case .checkbox:
            return model("CheckboxModel", view: "CheckboxView").merging(described) { $1 }
                .merging(["value": .bool(false), "disabled": .bool(false), "indent": .bool(true)]) { $1 }
        case .button, .stopButton:
            return model("ButtonModel", view: "ButtonView").merging(dom) { $1 }
                .merging(["description": .string(""), "button_style": .string(kind == .stopButton ? "danger" : ""),
                          "icon": .string(kind == .stopButton ? "stop" : ""), "disabled": .bool(false)]) { $1 }
        case .label:
            return model("LabelModel", view: "LabelView").merging(described) { $1 }.merging(["value": .string("")]) { $1 }
        case .output:
            return model("OutputModel", view: "OutputView", module: outputModule, version: "1.0.0")
                .merging(dom) { $1 }.merging(["outputs": .array([]), "msg_id": .string("")]) { $1 }
        case .hbox:
            return model("HBoxModel", view: "HBoxView").merging(dom) { $1 }
                .merging(["children": .array([]), "box_style": .string("")]) { $1 }
        case .vbox:
            return model("VBoxModel", view: "VBoxView").merging(dom) { $1 }
                .merging(["children": .array([]), "box_style": .string("")]) { $1 }
        case .layout:
            return model("LayoutModel", view: "LayoutView", module: base, version: "2.0.0")
        case .style(let name):
            var s = model(name, view: "StyleView", viewModule: base)
            s["description_width"] = .string("")
            return s
        case .frontEnd:
            return [:]   // the front end sends its model's state
        }
    }

    /// The style model a kind of widget refers to, if any.
    static func styleModel(_ kind: Kind) -> String? {
        switch kind {
        case .intSlider, .floatSlider, .logSlider: return "SliderStyleModel"
        case .dropdown: return "DescriptionStyleModel"
        case .checkbox: return "CheckboxStyleModel"
        case .button, .stopButton: return "ButtonStyleModel"
        case .label: return "LabelStyleModel"
        default: return nil
        }
    }

    /// `IPY_MODEL_<id>`: how a widget's state refers to another widget.
    var reference: JSON { .string("IPY_MODEL_\(id)") }
}
