import CellIO
import CellLanguage
import Foundation
import Practice
import Testing

/// `export` as a learner calls it: the report it shows, and the messages
/// for what cannot be exported (with nothing written).
@Suite("export from cells")
struct ExportVocabularyTests {
    /// A session with a small trained network and an empty folder to export into.
    private func trained() throws -> (Session, String) {
        let folder = NSTemporaryDirectory() + "shoal-export-cells-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let s = Session()
        let r = s.execute("""
            let points = Points.spirals(count: 300, classes: 3, seed: 7)
            let (train, test) = points.split(0.8, seed: 1)
            var model = Sequential {
                Dense(2, 16)
                ReLU()
                Dense(16, 3)
            }
            let history = model.train(train, epochs: 3, batchSize: 32)
            """, sink: RecordingSink())
        #expect(r.error == nil, "\(String(describing: r.error?.evalue))")
        return (s, folder)
    }

    private func files(_ folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
    }

    @Test func theReportSaysWhatWasWritten() throws {
        let (s, folder) = try trained()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let r = s.execute("model.export(\"\(folder)/spirals.onnx\", evaluateOn: test)", sink: RecordingSink())
        let text = try #require(r.value?.plainText, "\(String(describing: r.error?.evalue))")
        #expect(text.hasPrefix("Exported \(folder)/spirals.onnx"))
        #expect(text.contains("format        ONNX (opset 17)"))
        #expect(text.contains("input         [1, 2] float32"))
        #expect(text.contains("classes       3: arm 1, arm 2, arm 3"))
        #expect(text.contains("quantization  none: float32 weights"))
        let size = try FileManager.default.attributesOfItem(atPath: "\(folder)/spirals.onnx")[.size] as? Int
        let bytes = s.execute("let report = model.export(\"\(folder)/spirals.onnx\")\nreport.bytes", sink: RecordingSink())
        #expect(bytes.value == Display.text("\(size ?? -1)"))
        let same = s.execute("model.export(\"\(folder)/spirals.onnx\", evaluateOn: test).accuracy! == model.accuracy(on: test)",
                             sink: RecordingSink())
        #expect(same.value == Display.text("true"))
    }

    @Test func aNameWithoutExtensionIsStillShoalsOwnFile() throws {
        let (s, folder) = try trained()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let r = s.execute("""
            model.export("\(folder)/spirals")
            let again = loadModel("\(folder)/spirals")
            again.accuracy(on: test) == model.accuracy(on: test)
            """, sink: RecordingSink())
        #expect(r.value == Display.text("true"), "\(String(describing: r.error?.evalue))")
        #expect(files(folder) == ["spirals.safetensors"])
    }

    @Test(arguments: [
        ("model.export(\"F/spirals.h5\")",
         "Shoal cannot export .h5 files: use .tflite (TensorFlow Lite), .onnx (ONNX) or .safetensors (Shoal's own, read back by loadModel)"),
        ("model.export(\"F/spirals.tflite\", quantization: \"int4\")",
         "unknown quantization \"int4\": use \"float16\" (half-size weights) or \"int8\" (quarter size, integer arithmetic), or leave it out for float32"),
        ("model.export(\"F/spirals.tflite\", quantization: \"int8\")",
         "int8 quantization needs calibration pictures to measure each layer's range: add calibration: train (a sample of the training pictures is used)"),
        ("model.export(\"F/spirals.onnx\", quantization: \"float16\")",
         "quantization is for .tflite files; a .onnx file keeps float32 weights"),
        ("model.export(\"F/spirals.tflite\", calibration: train)",
         "calibration pictures are only used by int8 quantization (quantization: \"int8\")"),
        ("model.export(\"F/spirals.tflite\", quantization: \"int8\", calibration: train, inferenceInputType: \"int16\")",
         "inferenceInputType must be \"float32\", \"int8\" or \"uint8\", not \"int16\""),
        ("model.export(\"F/notes.txt/spirals.tflite\")",
         "cannot write F/notes.txt/spirals.tflite: F/notes.txt is a file, not a folder"),
        ("Sequential { Dense(2, 3) }.export(\"F/untrained.tflite\")",
         "train the model before exporting it (its input shape and classes come from the data)"),
    ])
    func badExportsSayWhyAndWriteNothing(cell: String, message: String) throws {
        let (s, folder) = try trained()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Data("keep".utf8).write(to: URL(fileURLWithPath: folder + "/notes.txt"))
        let r = s.execute(cell.replacingOccurrences(of: "F/", with: folder + "/"), sink: RecordingSink())
        #expect(r.error?.ename == "ValueError")
        #expect(r.error?.evalue == message.replacingOccurrences(of: "F/", with: folder + "/"))
        #expect(files(folder) == ["notes.txt"])
    }
}
