import Foundation
import Testing
import TrainingEngine
@testable import ModelExport

/// A network with every layer kind the writers translate: a convolution with
/// a batch norm to fold, a residual block (depthwise, ReLU6), pooling, a batch
/// norm that cannot fold (after a pool), and the dense head.
private func sampleModel(seed: UInt64 = 1) throws -> Model {
    var random = EngineRandom(seed: seed)
    let norm = try BatchNorm(features: 4)
    try norm.setBuffer("runningMean", Tensor(shape: [4], scalars: [0.1, -0.2, 0.3, 0.05]))
    try norm.setBuffer("runningVariance", Tensor(shape: [4], scalars: [0.5, 2, 1.5, 0.8]))
    norm.scale.value = try Tensor(shape: [4], scalars: [1.2, 0.7, 1, 0.9])
    let loose = try BatchNorm(features: 4)
    try loose.setBuffer("runningMean", Tensor(shape: [4], scalars: [0.3, 0.1, -0.1, 0.2]))
    let network = Sequential([
        try Conv2D(3, 4, kernelSize: 3, stride: 1, padding: .same, random: &random), norm, ReLU(),
        Residual(Sequential([try DepthwiseConv2D(channels: 4, kernelSize: 3, random: &random), ReLU(cap: 6)])),
        try MaxPool(size: 2), loose,
        try Conv2D(4, 6, kernelSize: 3, stride: 2, padding: .valid, random: &random), ReLU(),
        GlobalAveragePool(), try Dropout(rate: 0.3), try Dense(6, 3, random: &random),
    ])
    return try Model(network: network, inputShape: [9, 9, 3], classNames: ["a", "b", "c"])
}

private func pictures(_ n: Int, seed: UInt64 = 2) throws -> Tensor {
    var random = EngineRandom(seed: seed)
    return try Tensor(shape: [n, 9, 9, 3]) { _ in random.uniform(-1, 1) }
}

private func temporaryFolder() throws -> URL {
    let url = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("shoal-export-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

@Suite("model export")
struct ModelExportTests {
    @Test func theExportedGraphComputesWhatTheModelComputes() throws {
        let model = try sampleModel()
        let graph = try ExportGraph(model: model)
        // The first batch norm folds into its convolution and the ReLUs fuse:
        // no separate node is left for them.
        #expect(graph.nodes.count == 9)
        let x = try pictures(5)
        let ours = try GraphRunner(graph: graph, precision: .float32).run(x)
        #expect(try ours.maxAbsDifference(model.probabilities(x)) < 1e-5)
    }

    @Test func int8NumbersStayCloseToTheFloatModel() throws {
        let model = try sampleModel()
        let graph = try ExportGraph(model: model)
        let plan = try Int8Plan(graph: graph, samples: try pictures(40, seed: 3))
        let x = try pictures(20, seed: 4)
        let float = try model.probabilities(x), int8 = try GraphRunner(graph: graph, precision: .int8(plan)).run(x)
        #expect(try float.maxAbsDifference(int8) < 0.05)
        // Zero is exact on every value's grid, and the probabilities use TFLite's fixed grid.
        for p in plan.params {
            #expect(p.zeroPoint >= -128 && p.zeroPoint <= 127 && p.scale > 0)
        }
        #expect(plan.params[graph.output] == QuantParams(scale: 1 / 256, zeroPoint: -128))
    }

    @Test func halfPrecisionRoundsToNearestEven() {
        #expect(halfBits(1) == 0x3C00)
        #expect(halfBits(-2) == 0xC000)
        #expect(halfBits(65504) == 0x7BFF)
        #expect(halfBits(1e6) == 0x7C00)
        #expect(halfBits(Float(1) + 0x1p-11) == 0x3C00)
        #expect(halfBits(Float(1) + 3 * 0x1p-11) == 0x3C02)
        #expect(halfBits(0x1p-24) == 0x0001)
        #expect(floatFromHalf(0x3555) == Float(0.333251953125))
        #expect(floatFromHalf(halfBits(0.1)) == Float(0.0999755859375))
    }

    @Test func zipChecksumsAreCRC32() {
        #expect(StoredZip.crc32(Array("123456789".utf8)) == 0xCBF4_3926)
    }

    /// Reads back what the builder wrote, the way a FlatBuffers reader does.
    @Test func flatBuffersPointForwardAndAlign() {
        var b = FlatBufferBuilder(capacity: 8)
        let data = b.bytes([1, 2, 3], alignment: 16)
        let name = b.string("fish")
        b.startTable(fields: 3)
        b.add(slot: 0, Int32(7), default: 0)
        b.addOffset(slot: 1, name)
        b.addOffset(slot: 2, data)
        let bytes = b.finish(root: b.endTable(), identifier: "TEST")
        func u32(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 | Int(bytes[at + 2]) << 16 | Int(bytes[at + 3]) << 24 }
        func u16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
        #expect(String(decoding: bytes[4..<8], as: UTF8.self) == "TEST")
        let table = u32(0)
        let vtable = table - Int(Int32(truncatingIfNeeded: u32(table)))
        func field(_ slot: Int) -> Int { table + u16(vtable + 4 + 2 * slot) }
        #expect(u16(vtable) == 10)
        #expect(u32(field(0)) == 7)
        let string = field(1) + u32(field(1))
        #expect(String(decoding: bytes[(string + 4)..<(string + 4 + u32(string))], as: UTF8.self) == "fish")
        let vector = field(2) + u32(field(2))
        #expect((vector + 4) % 16 == 0)
        #expect(Array(bytes[(vector + 4)..<(vector + 7)]) == [1, 2, 3])
    }

    @Test func aPaddingTFLiteCannotExpressIsRefusedAndNothingIsWritten() throws {
        var random = EngineRandom(seed: 5)
        let network = Sequential([try Conv2D(3, 4, kernelSize: 3, stride: 2, padding: .explicit(1), random: &random), Flatten(),
                                  try Dense(64, 2, random: &random)])
        let model = try Model(network: network, inputShape: [8, 8, 3], classNames: ["x", "y"])
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(throws: ExportError("a 3×3 convolution padded by 1 pixel on every side cannot be written to a TFLite file, whose "
                                    + "convolutions and pools pad only \"same\" or \"valid\"; export it as .onnx, or train it with "
                                    + "padding \"same\"")) {
            _ = try ModelExporter.export(model, to: folder.appendingPathComponent("m.tflite"), format: .tflite, options: ExportOptions())
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
        // ONNX pads explicitly: the same network exports.
        let report = try ModelExporter.export(model, to: folder.appendingPathComponent("m.onnx"), format: .onnx, options: ExportOptions())
        #expect(report.bytes > 64 * 4)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["m.onnx"])
    }

    @Test func badOptionsAreRefusedBeforeAnyWork() throws {
        #expect(throws: ExportError("Shoal cannot export .h5 files: use .tflite (TensorFlow Lite), .onnx (ONNX) or .safetensors "
                                    + "(Shoal's own, read back by loadModel)")) { _ = try ExportFormat.resolve("fish.h5") }
        #expect(try ExportFormat.resolve("fish-classifier") == ("fish-classifier.safetensors", .safetensors))
        #expect(throws: ExportError("unknown quantization \"int4\": use \"float16\" (half-size weights) or \"int8\" (quarter size, "
                                    + "integer arithmetic), or leave it out for float32")) { _ = try Quantization(name: "int4") }
        let model = try sampleModel()
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var options = ExportOptions()
        options.quantization = .int8
        #expect(throws: ExportError("int8 quantization needs calibration pictures to measure each layer's range: add calibration: "
                                    + "train (a sample of the training pictures is used)")) {
            _ = try ModelExporter.export(model, to: folder.appendingPathComponent("m.tflite"), format: .tflite, options: options)
        }
        options.quantization = .float16
        #expect(throws: ExportError("quantization is for .tflite files; a .onnx file keeps float32 weights")) {
            _ = try ModelExporter.export(model, to: folder.appendingPathComponent("m.onnx"), format: .onnx, options: options)
        }
        let file = folder.appendingPathComponent("notes.txt")
        try Data("keep me".utf8).write(to: file)
        #expect(throws: ExportError("cannot write \(file.path)/m.tflite: \(file.path) is a file, not a folder")) {
            _ = try ModelExporter.export(model, to: file.appendingPathComponent("m.tflite"), format: .tflite, options: ExportOptions())
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["notes.txt"])
    }

    @Test func anExportReplacesTheOldFileWhole() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("m.tflite")
        try Data("old".utf8).write(to: url)
        let report = try ModelExporter.export(try sampleModel(), to: url, format: .tflite, options: ExportOptions())
        let bytes = try Data(contentsOf: url)
        #expect(bytes.count == report.bytes)
        #expect(String(decoding: bytes[4..<8], as: UTF8.self) == "TFL3")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["m.tflite"])
    }
}
