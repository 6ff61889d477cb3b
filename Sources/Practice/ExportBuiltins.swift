import CellIO
import CellLanguage
import Foundation
import ModelExport
import Rendering
import TrainingEngine

/// What `export` wrote: shown as a short table (file, format, input, classes,
/// quantization and, when asked for, the file's accuracy against the float model).
public final class ExportReportObject: HostObject {
    public let report: ExportReport
    let name: String
    init(_ report: ExportReport, name: String) { (self.report, self.name) = (report, name) }
    public var typeName: String { "ExportReport" }
    public var textDescription: String { table.plainText }
    public func display() -> Display? { table.display }

    static func size(_ bytes: Int) -> String {
        if bytes < 10_000 { return "\(NumberText.count(bytes)) bytes" }
        if bytes < 1_000_000 { return String(format: "%.1f kB", Double(bytes) / 1000) }
        return String(format: "%.1f MB", Double(bytes) / 1_000_000)
    }

    var table: Table {
        let r = report
        let samples = r.takesPictures ? "pictures" : "samples"
        let shape = "[" + ([1] + r.inputShape).map(String.init).joined(separator: ", ") + "]"
        var input = "\(shape) \(r.inputType.rawValue)"
        switch (r.takesPictures, r.inputType) {
        case (true, .float32): input += ": an RGB picture, (pixel − 127.5) / 127.5"
        case (true, _): input += ": an RGB picture, quantized as the file's input tensor says"
        default: break
        }
        var rows = [["file", "\(name) · \(Self.size(r.bytes))"], ["format", r.format.title], ["input", input]]
        if r.format != .safetensors {
            rows.append(["output", "[1, \(r.classNames.count)] \(r.outputType.rawValue): the probability of each class"])
        }
        let listed = r.classNames.prefix(8).joined(separator: ", ") + (r.classNames.count > 8 ? ", …" : "")
        rows.append(["classes", "\(r.classNames.count): \(listed)" + (r.format == .tflite ? " (labels.txt inside the file)" : "")])
        switch r.quantization {
        case .none: rows.append(["quantization", "none: float32 weights"])
        case .float16: rows.append(["quantization", "float16 weights (float32 arithmetic)"])
        case .int8: rows.append(["quantization", "int8 weights and activations, calibrated on \(NumberText.count(r.calibrationSamples)) \(samples)"])
        }
        if let a = r.accuracy {
            var text = "\(NumberText.percent(a.accuracy)) on \(NumberText.count(a.samples)) \(samples)"
            if r.quantization != .none {
                text += " · float32 model \(NumberText.percent(a.floatAccuracy)) · same answer on \(NumberText.percent(a.agreement))"
            }
            rows.append(["accuracy", text])
        }
        return Table(caption: "Exported \(name)", columns: [.init(""), .init("")], rows: rows)
    }
}

extension ImageClassifierObject {
    /// What computes `data`'s outputs, and on what: the head on the backbone's
    /// (cached) features while the backbone is frozen, else the whole network
    /// on the pictures. Checks the data first.
    func route(_ data: LabelledDataset, _ rt: Runtime) throws -> (Model, LabelledDataset) {
        try check(data)
        return unfrozen == 0 ? (headModel, try features(data, rt)) : (full, data)
    }
}

extension PracticeBuiltins {
    /// The model a Sequential has once it has trained (its input shape and classes come from the data).
    static func trained(_ m: ModelObject) throws -> Model {
        guard let model = m.model else {
            throw CellError.value("train the model before exporting it (its input shape and classes come from the data)")
        }
        return model
    }

    static let exportSignature = "export(_ path: String, quantization: String = \"none\", calibration: Dataset? = nil, "
        + "evaluateOn: Dataset? = nil, inferenceInputType: String = \"float32\", inferenceOutputType: String = \"float32\") -> ExportReport"

    static let exportDoc = "Saves the model for other programs: .tflite (TensorFlow Lite, with the class names inside), .onnx, or "
        + ".safetensors (Shoal's own; also when the name has no extension). quantization \"float16\" halves a .tflite file; "
        + "\"int8\" quarters it and needs calibration pictures (a sample of the training set). evaluateOn measures the file's "
        + "accuracy on those pictures against the float model. An int8 file keeps float input and output unless "
        + "inferenceInputType / inferenceOutputType say \"uint8\" or \"int8\"."

    /// `export`'s arguments (see `exportSignature`), decoded by the registry.
    struct ExportArguments: Decodable {
        var path: String
        var quantization: String
        var calibration: HostArgument<DatasetObject>?
        var evaluateOn: HostArgument<DatasetObject>?
        var inferenceInputType: String
        var inferenceOutputType: String

        /// The datasets given, for a receiver to check they fit it.
        var datasets: [LabelledDataset] { [calibration, evaluateOn].compactMap { $0?.object.data } }
    }

    /// `export` for any trained model: options from the cell, a progress line, the report.
    /// Export errors are a ValueError (or Interrupted) through the error table; nothing is written.
    static func export(_ model: Model, _ a: ExportArguments, _ rt: Runtime, name: String, description: String,
                       safetensorsMetadata: [String: String] = [:]) throws -> Value {
        let (path, format) = try ExportFormat.resolve(a.path)
        var options = ExportOptions()
        options.name = name
        options.description = description
        options.safetensorsMetadata = safetensorsMetadata
        options.quantization = try Quantization(name: a.quantization)
        options.calibration = a.calibration?.object.data
        options.evaluation = a.evaluateOn?.object.data
        options.inputType = try InferenceType(name: a.inferenceInputType, role: "inferenceInputType")
        options.outputType = try InferenceType(name: a.inferenceOutputType, role: "inferenceOutputType")
        let url = try allowedPath(path, rt)
        let id = "shoal-export-\(UUID().uuidString.lowercased())"
        var shown = false
        let report = try ModelExporter.export(model, to: url, format: format, options: options, progress: { step in
            guard rt.output.showsLiveDisplays else { return }
            rt.output.display(.text("Exporting \(path): \(step)…"), id: id, update: shown)
            shown = true
        }, shouldStop: { rt.cancellation.isCancelled })
        if shown { rt.output.display(.text("Exported \(path)"), id: id, update: true) }
        return .object(ExportReportObject(report, name: path))
    }

    static func probabilityRows(_ p: Tensor) -> Value {
        let k = p.shape.count == 2 ? p.shape[1] : 1
        let s = p.scalars
        return .array(stride(from: 0, to: s.count, by: max(k, 1)).map { start in .array(s[start..<(start + k)].map { .double(Double($0)) }) })
    }

    static func registerExport(in r: BuiltinRegistry) {
        r.addType("ExportReport", doc: "What export wrote: file size, format, input, classes, quantization and accuracy.")
        r.addMethod(on: "ImageClassifier", exportSignature, doc: exportDoc,
                    example: "model.export(\"fish.tflite\", quantization: \"int8\", calibration: train, evaluateOn: test)",
                    receiver: ImageClassifierObject.self, options: ExportArguments.self) { c, o, rt in
            for d in o.datasets { try c.check(d) }
            let classes = c.full.classNames
            return try export(c.full, o, rt, name: "image_classifier",
                              description: "EfficientNet-Lite0 (ImageNet) with a new head, trained with Shoal to tell "
                                  + "\(classes.count) classes apart: \(classes.joined(separator: ", ")).",
                              safetensorsMetadata: ["backbone": "efficientnet-lite0"])
        }
        r.addMethod(on: "Sequential", exportSignature, doc: exportDoc, example: "model.export(\"spirals.onnx\")",
                    receiver: ModelObject.self, options: ExportArguments.self) { m, o, rt in
            let model = try trained(m)
            return try export(model, o, rt, name: "classifier",
                              description: "A network trained with Shoal to tell \(model.classNames.count) classes apart: "
                                  + "\(model.classNames.joined(separator: ", ")).")
        }
        r.addMethod(on: "ImageClassifier", "probabilities(_ data: Dataset) -> [[Double]]",
                    doc: "How sure the model is of each class, for every picture: one row per picture, in the order of data.classes.",
                    example: "let p = model.probabilities(test)", receiver: ImageClassifierObject.self, options: OnData.self) { c, o, rt in
            let (model, inputs) = try c.route(o.data.object.data, rt)
            return probabilityRows(try model.probabilities(inputs.inputs, batchSize: 32))
        }
        r.addMethod(on: "Sequential", "probabilities(_ data: Dataset) -> [[Double]]",
                    doc: "How sure the model is of each class, for every sample: one row per sample, in the order of data.classes.",
                    example: "let p = model.probabilities(test)", receiver: ModelObject.self, options: OnData.self) { m, o, _ in
            let data = o.data.object.data
            return probabilityRows(try m.model(for: data).probabilities(data.inputs, batchSize: 32))
        }
        r.addProperty(on: "ExportReport", "bytes: Int", doc: "The size of the file written, in bytes.",
                      receiver: ExportReportObject.self) { r, _ in .int(r.report.bytes) }
        r.addProperty(on: "ExportReport", "format: String", doc: "\"tflite\", \"onnx\" or \"safetensors\".",
                      receiver: ExportReportObject.self) { r, _ in .string(r.report.format.rawValue) }
        r.addProperty(on: "ExportReport", "accuracy: Double?", doc: "The file's accuracy on the evaluateOn pictures (nil without them).",
                      receiver: ExportReportObject.self) { r, _ in Value.optional(r.report.accuracy.map { .double($0.accuracy) }) }
        r.addProperty(on: "ExportReport", "floatAccuracy: Double?", doc: "The float32 model's accuracy on the same pictures (nil without them).",
                      receiver: ExportReportObject.self) { r, _ in Value.optional(r.report.accuracy.map { .double($0.floatAccuracy) }) }
    }
}
