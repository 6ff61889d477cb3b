import CellIO
import JupyterWire

/// Sends what a widget's callback prints and shows into an `Output`
/// widget's area (its `outputs` state), one update per change, instead of
/// the cell's output.
final class OutputAreaSink: OutputSink {
    let area: Widget
    let forward: OutputSink
    private var outputs: [JSON]
    /// The display id of each output, for displays replaced in place.
    private var ids: [String?]

    init(area: Widget, forward: OutputSink) {
        self.area = area
        self.forward = forward
        outputs = area.outputs
        ids = Array(repeating: nil, count: outputs.count)
    }

    private func push() { area.set(["outputs": .array(outputs)], sink: forward) }

    func write(_ text: String, to stream: OutputStreamName) {
        if let last = outputs.last, last["output_type"]?.string == "stream", last["name"]?.string == stream.rawValue {
            outputs[outputs.count - 1] = .object(["output_type": .string("stream"), "name": .string(stream.rawValue),
                                                  "text": .string((last["text"]?.string ?? "") + text)])
        } else {
            outputs.append(.object(["output_type": .string("stream"), "name": .string(stream.rawValue), "text": .string(text)]))
            ids.append(nil)
        }
        push()
    }

    func display(_ display: Display, id: String?, update: Bool) {
        let output = OutputAreaSink.output(display)
        if update, let id, let i = ids.firstIndex(of: id) {
            outputs[i] = output
        } else if !update {
            outputs.append(output)
            ids.append(id)
        } else {
            return
        }
        push()
    }

    func clearOutput(wait: Bool) {
        outputs = []
        ids = []
        push()
    }

    /// Shows an error the way a cell's error is shown.
    func error(_ e: PresentedError) {
        outputs.append(.object(["output_type": .string("error"), "ename": .string(e.ename), "evalue": .string(e.evalue),
                                "traceback": .array(e.traceback.map(JSON.string))]))
        ids.append(nil)
        push()
    }

    func readLine(prompt: String) -> String? { nil }
    func comm(_ message: CommMessage) { forward.comm(message) }

    /// A display as a Jupyter output dictionary.
    static func output(_ d: Display) -> JSON {
        var data: [String: JSON] = [:]
        for (mime, text) in d.data {
            data[mime] = mime.hasSuffix("json") ? (try? JSON.parse(text)) ?? .string(text) : .string(text)
        }
        return .object(["output_type": .string("display_data"), "data": .object(data),
                        "metadata": .object(d.metadata.mapValues { .object($0.mapValues(JSON.int)) })])
    }
}
