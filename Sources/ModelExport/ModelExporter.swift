import Foundation
import TrainingEngine
#if canImport(Glibc)
import Glibc
#endif

/// The file formats a trained model can be exported to.
public enum ExportFormat: String, CaseIterable, Sendable {
    /// Shoal's own: weights, architecture and class names (`loadModel` reads it back).
    case safetensors
    /// TensorFlow Lite, for phones and field devices (LiteRT).
    case tflite
    /// ONNX, for onnxruntime and the tools that read it.
    case onnx

    /// The path with its extension, and the format it names; a path without
    /// an extension gets `.safetensors`, as `export` always did.
    public static func resolve(_ path: String) throws -> (path: String, format: ExportFormat) {
        let name = (path as NSString).lastPathComponent
        let ext = (name as NSString).pathExtension
        guard !name.isEmpty, !path.hasSuffix("/") else { throw ExportError("\"\(path)\" names a folder: give a file name such as fish.tflite") }
        if ext.isEmpty { return (path + ".safetensors", .safetensors) }
        guard let format = ExportFormat(rawValue: ext.lowercased()) else {
            throw ExportError("Shoal cannot export .\(ext) files: use .tflite (TensorFlow Lite), .onnx (ONNX) "
                              + "or .safetensors (Shoal's own, read back by loadModel)")
        }
        return (path, format)
    }

    public var title: String {
        switch self {
        case .safetensors: return "safetensors (Shoal model file)"
        case .tflite: return "TensorFlow Lite (builtin operators, Model Maker metadata)"
        case .onnx: return "ONNX (opset \(ONNXWriter.opset))"
        }
    }
}

/// What to export besides the weights (Model Maker's options, in Swift spelling).
public struct ExportOptions {
    public var quantization: Quantization = .none
    /// Pictures whose value ranges set an int8 file's scales (a sample of the training set).
    public var calibration: LabelledDataset?
    /// Pictures on which the report measures the file's accuracy against the float model.
    public var evaluation: LabelledDataset?
    /// An int8 file's input and output types (float32 keeps float input and output).
    public var inputType: InferenceType = .float32
    public var outputType: InferenceType = .float32
    /// The model's name and a sentence about it, written into TFLite and ONNX metadata.
    public var name = "classifier"
    public var description = "A classifier trained with Shoal."
    /// Extra entries for a safetensors file's metadata.
    public var safetensorsMetadata: [String: String] = [:]

    public init() {}
}

/// What an export wrote, for the report shown after it.
public struct ExportReport: Sendable {
    public struct Accuracy: Sendable {
        /// How many pictures were measured.
        public let samples: Int
        /// The exported file's accuracy (as Shoal computes it with the file's numbers).
        public let accuracy: Double
        /// The float32 model's accuracy on the same pictures.
        public let floatAccuracy: Double
        /// The share of pictures on which the file and the float model give the same class.
        public let agreement: Double
    }

    public let path: String
    public let format: ExportFormat
    public let bytes: Int
    public let inputShape: [Int]
    public let inputType: InferenceType
    public let outputType: InferenceType
    public let takesPictures: Bool
    public let classNames: [String]
    public let quantization: Quantization
    public let calibrationSamples: Int
    public let accuracy: Accuracy?
}

/// Writes trained models to files other programs run: TFLite (float32,
/// float16 or int8), ONNX and safetensors. Options are checked and the
/// network translated before anything is computed, and the file is written
/// to a temporary name and renamed into place, so a failed or interrupted
/// export leaves nothing behind.
public enum ModelExporter {
    /// At most this many calibration pictures are used (taken in turn from each class).
    public static let calibrationLimit = 100

    /// Exports `model` to `url` in `format`. `progress` hears what is being
    /// computed; `shouldStop` is asked between batches (then `ExportCancelled`).
    public static func export(_ model: Model, to url: URL, format: ExportFormat, options: ExportOptions,
                              progress: (String) -> Void = { _ in }, shouldStop: () -> Bool = { false }) throws -> ExportReport {
        try check(options, format: format, model: model)
        let graph = format == .safetensors ? nil : try ExportGraph(model: model)
        try checkWritable(url)

        var plan: Int8Plan?
        var calibrationSamples = 0
        if let graph, options.quantization == .int8, let calibration = options.calibration {
            let sample = try calibration.subset(calibration.roundRobin(calibrationLimit))
            calibrationSamples = sample.count
            progress("calibrating int8 ranges on \(sample.count) pictures")
            plan = try Int8Plan(graph: graph, samples: sample.inputs, shouldStop: shouldStop)
        }

        var accuracy: ExportReport.Accuracy?
        if let data = options.evaluation {
            progress("measuring the float32 model on \(data.count) pictures")
            let reference = try floatPredictions(model, data.inputs, shouldStop: shouldStop)
            var predicted = reference
            if let graph, options.quantization != .none {
                progress("measuring the \(options.quantization.rawValue) file's numbers on \(data.count) pictures")
                let runner = try GraphRunner(graph: graph, precision: plan.map { .int8($0) } ?? .float16)
                predicted = try runner.predictions(data.inputs, shouldStop: shouldStop)
            }
            func share(_ a: [Int], _ b: [Int]) -> Double {
                a.isEmpty ? 0 : Double(zip(a, b).filter { $0 == $1 }.count) / Double(a.count)
            }
            accuracy = .init(samples: data.count, accuracy: share(predicted, data.labels), floatAccuracy: share(reference, data.labels),
                             agreement: share(predicted, reference))
        }

        let bytes: Data
        switch format {
        case .safetensors:
            bytes = try model.safetensors(metadata: options.safetensorsMetadata)
        case .onnx:
            var writer = ONNXWriter(graph: graph!)
            bytes = try writer.encode(description: options.description, metadata: onnxMetadata(graph!, options))
        case .tflite:
            let precision: TFLitePrecision
            switch options.quantization {
            case .none: precision = .float32
            case .float16: precision = .float16
            case .int8: precision = .int8(plan!, input: options.inputType, output: options.outputType)
            }
            bytes = try tflite(graph!, precision: precision, options: options)
        }
        try writeAtomically(bytes, to: url)
        let pictures = model.inputShape.count == 3 && model.inputShape[2] == 3
        return ExportReport(path: url.path, format: format, bytes: bytes.count, inputShape: model.inputShape,
                            inputType: options.inputType, outputType: options.outputType, takesPictures: pictures,
                            classNames: model.classNames, quantization: options.quantization,
                            calibrationSamples: calibrationSamples, accuracy: accuracy)
    }

    /// Every option against the format and the model, before any work.
    static func check(_ options: ExportOptions, format: ExportFormat, model: Model) throws {
        if options.quantization != .none, format != .tflite {
            throw ExportError("quantization is for .tflite files; a .\(format.rawValue) file keeps float32 weights")
        }
        if options.quantization == .int8, options.calibration == nil {
            throw ExportError("int8 quantization needs calibration pictures to measure each layer's range: "
                              + "add calibration: train (a sample of the training pictures is used)")
        }
        if options.calibration != nil, options.quantization != .int8 {
            throw ExportError("calibration pictures are only used by int8 quantization (quantization: \"int8\")")
        }
        if options.inputType != .float32 || options.outputType != .float32, options.quantization != .int8 {
            throw ExportError("int8 and uint8 input and output types need an int8 file (quantization: \"int8\")")
        }
        for (data, role) in [(options.calibration, "calibration"), (options.evaluation, "evaluation")] {
            guard let data else { continue }
            guard data.count > 0 else { throw ExportError("the \(role) set is empty") }
            guard data.sampleShape == model.inputShape else {
                throw ExportError("the \(role) samples have shape \(data.sampleShape) but the model takes \(model.inputShape)")
            }
            guard data.classNames == model.classNames else {
                throw ExportError("the \(role) set's classes \(data.classNames) are not the model's \(model.classNames)")
            }
        }
    }

    private static func floatPredictions(_ model: Model, _ inputs: Tensor, shouldStop: () -> Bool) throws -> [Int] {
        var out: [Int] = []
        let n = inputs.shape[0]
        for start in stride(from: 0, to: n, by: 32) {
            if shouldStop() { throw ExportCancelled() }
            out += try model.logits(inputs.slice(start..<min(n, start + 32)), batchSize: 32).argmaxRows()
        }
        return out
    }

    private static func tflite(_ graph: ExportGraph, precision: TFLitePrecision, options: ExportOptions) throws -> Data {
        let writer = try TFLiteWriter(graph: graph, precision: precision)
        // The values the input tensor takes: normalised pixels, or the integer range.
        var range: (Float, Float)? = graph.takesPictures ? (-1, 1) : nil
        if case .int8(_, let input, _) = precision, input != .float32 {
            let shift: Float = input == .uint8 ? 128 : 0
            range = (-128 + shift, 127 + shift)
        }
        let metadata = TFLiteMetadata.encode(
            name: options.name, description: options.description, version: "1",
            input: .init(name: graph.inputName, takesPictures: graph.takesPictures, shape: graph.inputShape, range: range,
                         normalised: graph.takesPictures),
            classes: graph.classNames)
        var bytes = writer.encode(description: options.description, metadata: metadata)
        bytes += StoredZip.archive([(TFLiteMetadata.labelsFile, TFLiteMetadata.labels(graph.classNames))], base: bytes.count)
        return Data(bytes)
    }

    private static func onnxMetadata(_ graph: ExportGraph, _ options: ExportOptions) throws -> [(String, String)] {
        let classes = String(decoding: try JSONEncoder().encode(graph.classNames), as: UTF8.self)
        var entries = [("classes", classes), ("name", options.name)]
        entries.append(("input_layout", graph.inputShape.count == 3 ? "NHWC" : "NC"))
        if graph.takesPictures {
            entries.append(("preprocessing", "RGB pixels scaled to [-1, 1]: (value - 127.5) / 127.5"))
        }
        return entries
    }

    // MARK: Files

    /// Fails early, before any calibration, when `url` cannot be written.
    static func checkWritable(_ url: URL) throws {
        let fm = FileManager.default
        var isFolder: ObjCBool = false
        if fm.fileExists(atPath: url.path, isDirectory: &isFolder), isFolder.boolValue {
            throw ExportError("\(url.path) is a folder; give a file name inside it, such as \(url.path)/model.\(url.pathExtension)")
        }
        var folder = url.deletingLastPathComponent()
        while !fm.fileExists(atPath: folder.path, isDirectory: &isFolder) {
            let parent = folder.deletingLastPathComponent()
            if parent.path == folder.path { break }
            folder = parent
        }
        guard isFolder.boolValue else {
            throw ExportError("cannot write \(url.path): \(folder.path) is a file, not a folder")
        }
        guard fm.isWritableFile(atPath: folder.path) else {
            throw ExportError("cannot write \(url.path): the folder \(folder.path) is not writable")
        }
    }

    /// Writes `bytes` beside `url` under a temporary name, then renames it into
    /// place: readers see the old file or the whole new one, never half of one.
    static func writeAtomically(_ bytes: Data, to url: URL) throws {
        let fm = FileManager.default
        let folder = url.deletingLastPathComponent()
        do { try fm.createDirectory(at: folder, withIntermediateDirectories: true) } catch {
            throw ExportError("cannot create the folder \(folder.path): \(error.localizedDescription)")
        }
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString.prefix(8)).partial")
        guard fm.createFile(atPath: temporary.path, contents: bytes) else {
            try? fm.removeItem(at: temporary)
            throw ExportError("cannot write \(url.path): the folder \(folder.path) is not writable or the disk is full")
        }
        guard rename(temporary.path, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? fm.removeItem(at: temporary)
            throw ExportError("cannot write \(url.path): \(reason)")
        }
    }
}
