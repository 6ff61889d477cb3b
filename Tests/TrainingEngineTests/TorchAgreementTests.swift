import Foundation
import Testing
@testable import TrainingEngine

/// Why a test cannot run here (no venv, no weights): it is skipped and says why.
struct Skip: Error, CustomStringConvertible {
    let description: String
    init(_ reason: String) { description = reason }
}

extension Result where Failure == Error {
    /// The value; a `Skip` failure skips the calling test instead of failing it.
    func valueOrSkip() throws -> Success {
        do { return try get() } catch let skip as Skip { try Test.cancel(Comment(rawValue: skip.description)) }
    }
}

/// Reference files written once per run by `torch_reference.py` with the
/// project venv's Python (torch 2.13.0+cpu and scikit-learn, installed by
/// `make test`). Without them the tests that need them skip and say why.
enum Reference {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static let directory: Result<URL, Error> = {
        let python = ProcessInfo.processInfo.environment["SHOAL_PYTHON"]
            ?? repository.appendingPathComponent(".venv/bin/python").path
        guard FileManager.default.isExecutableFile(atPath: python) else {
            return .failure(Skip("no Python venv at \(python): run `make test`, which installs torch into .venv"))
        }
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("shoal-reference-\(getpid())")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [repository.appendingPathComponent("Tests/TrainingEngineTests/torch_reference.py").path, out.path]
        let errors = Pipe()
        process.standardError = errors
        do { try process.run() } catch { return .failure(Skip("cannot run \(python): \(error)")) }
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            if message.contains("No module named") {
                return .failure(Skip("torch or scikit-learn is not installed in the venv (`make test` installs them): "
                                        + (message.split(separator: "\n").last.map(String.init) ?? "")))
            }
            return .failure(NSError(domain: "torch_reference.py", code: 1, userInfo: [NSLocalizedDescriptionKey: message]))
        }
        return .success(out)
    }()

    static func file(_ name: String) throws -> SafeTensors.File {
        try SafeTensors.read(directory.valueOrSkip().appendingPathComponent(name))
    }
}

@Suite final class TorchAgreementTests {
    /// Trains `network` on the case's batches with `optimizer` and `loss`,
    /// from torch's initial weights, and compares every step's loss and the
    /// final weights (and batch-norm statistics) with torch's.
    func agree(_ name: String, network: Sequential, optimizer: Optimizer, loss: SoftmaxCrossEntropy,
               sourceLocation: SourceLocation = #_sourceLocation) throws {
        let reference = try Reference.file("case_\(name).safetensors")
        let named = network.namedTensors
        for entry in named {
            let initial = try #require(reference.tensors["init.\(entry.name)"], "no initial \(entry.name)")
            try Sequential.assign(entry, initial)
        }
        let x = try #require(reference.tensors["x"]), y = try #require(reference.tensors["y"])
        let losses = try #require(reference.tensors["losses"]).scalars
        let batch = x.shape[0] / losses.count
        for (step, expected) in losses.enumerated() {
            let rows = step * batch..<(step + 1) * batch
            let logits = try network.forward(x.slice(rows), training: true)
            let result = try loss(logits, labels: rows.map { Int(y[flat: $0]) })
            _ = try network.backward(result.gradient, needInputGradient: false)
            try optimizer.update(network.parameters)
            #expect(abs(result.value - expected) <= (1e-4 * max(1, abs(expected))), "\(name): loss of step \(step + 1)", sourceLocation: sourceLocation)
        }
        for entry in network.namedTensors {
            let expected = try #require(reference.tensors["final.\(entry.name)"])
            let difference = try entry.value.maxAbsDifference(expected)
            #expect(difference < (1e-4), "\(name): \(entry.name) after \(losses.count) steps", sourceLocation: sourceLocation)
        }
    }

    @Test func mlpWithNesterovMomentumWeightDecayAndLabelSmoothing() throws {
        var r = EngineRandom(seed: 1)
        let net = Sequential([try Dense(6, 8, random: &r), ReLU(), try Dense(8, 3, random: &r)])
        try agree("mlp_sgd_nesterov", network: net,
                  optimizer: SGD(learningRate: 0.1, momentum: 0.9, nesterov: true, weightDecay: 1e-3),
                  loss: SoftmaxCrossEntropy(labelSmoothing: 0.1))
    }

    @Test func cnnWithBatchNormSamePaddingDepthwiseAndAdam() throws {
        var r = EngineRandom(seed: 1)
        let net = Sequential([
            try Conv2D(2, 4, kernelSize: 3, padding: .explicit(1), useBias: false, random: &r), try BatchNorm(features: 4), ReLU(),
            try MaxPool(size: 2),
            try Conv2D(4, 4, kernelSize: 3, stride: 2, padding: .same, useBias: false, random: &r),
            try DepthwiseConv2D(channels: 4, kernelSize: 3, padding: .same, random: &r), ReLU(cap: 6),
            GlobalAveragePool(), try Dense(4, 3, random: &r),
        ])
        try agree("cnn_adam", network: net, optimizer: Adam(learningRate: 0.01), loss: SoftmaxCrossEntropy())
    }

    /// The engine bench's CNN in small: the second convolution (8 to 16
    /// channels on 4×4 pixels) runs as Winograd's F(2×2, 3×3) with its ReLU
    /// and max pool in one pass, and trains as torch's direct convolution does.
    @Test func cnnWithWinogradConvolutionAndSGD() throws {
        var r = EngineRandom(seed: 1)
        let net = Sequential([
            try Conv2D(3, 8, kernelSize: 3, padding: .explicit(1), random: &r), ReLU(), try MaxPool(size: 2),
            try Conv2D(8, 16, kernelSize: 3, padding: .explicit(1), random: &r), ReLU(), try MaxPool(size: 2),
            GlobalAveragePool(), try Dense(16, 3, random: &r),
        ])
        #expect(Conv2D.runsWinograd(try WindowGeometry(input: [6, 4, 4, 8], kernel: (3, 3), stride: 1,
                                                       padding: .explicit(1), layer: "second"), outputs: 16) == Narrow.supported)
        try agree("winograd_sgd", network: net, optimizer: SGD(learningRate: 0.05, momentum: 0.9), loss: SoftmaxCrossEntropy())
    }

    @Test func mlpWithAdamW() throws {
        var r = EngineRandom(seed: 1)
        let net = Sequential([try Dense(5, 7, random: &r), ReLU(), try Dense(7, 4, random: &r)])
        try agree("mlp_adamw", network: net, optimizer: Adam.adamW(learningRate: 0.02, weightDecay: 0.1),
                  loss: SoftmaxCrossEntropy())
    }

    /// torch's legacy (non-zip) files, as the pretrained weights ship, read
    /// without torch: views, offsets and scalars included, integer tensors left out.
    @Test func readsLegacyTorchFiles() throws {
        let directory = try Reference.directory.valueOrSkip()
        let read = try TorchLegacyFile.read(directory.appendingPathComponent("legacy.pth"))
        let expected = try SafeTensors.read(directory.appendingPathComponent("legacy-expected.safetensors"))
        #expect(read.map(\.name) == ["conv.weight", "fc.weight", "fc.transposed", "fc.row", "scalar"])
        for (name, tensor) in read {
            let want = try #require(expected.tensors[name])
            #expect(tensor.shape == want.shape, "\(name)")
            #expect(tensor.scalars == want.scalars, "\(name)")
        }
        if let error = #expect(throws: (any Error).self, performing: { try TorchLegacyFile.decode(Array("not a pickle".utf8)) }) { #expect(error is ModelFileError) }
        let bytes = try [UInt8](Data(contentsOf: directory.appendingPathComponent("legacy.pth")))
        #expect(throws: (any Error).self) { try TorchLegacyFile.decode(Array(bytes.prefix(bytes.count / 2))) }
    }

    /// Python's safetensors library reads what Shoal writes, names, shapes,
    /// values and metadata included.
    @Test func pythonReadsShoalModelFiles() throws {
        let directory = try Reference.directory.valueOrSkip()
        var r = EngineRandom(seed: 4)
        let model = try Model(network: Sequential([try Dense(3, 2, random: &r)]), inputShape: [3], classNames: ["cod", "eel"])
        let url = directory.appendingPathComponent("from-shoal.safetensors")
        try model.save(to: url)
        let python = ProcessInfo.processInfo.environment["SHOAL_PYTHON"]
            ?? Reference.repository.appendingPathComponent(".venv/bin/python").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", """
            import json, sys
            from safetensors import safe_open
            with safe_open(sys.argv[1], framework="pt") as f:
                w = f.get_tensor("0.weight")
                print(json.dumps({"shape": list(w.shape), "first": float(w[0, 0]),
                                  "classes": json.loads(f.metadata()["classNames"])}))
            """, url.path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let text = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let read = try #require(try JSONSerialization.jsonObject(with: text) as? [String: Any])
        #expect((read["shape"] as? [Int]) == [3, 2])
        #expect((read["classes"] as? [String]) == ["cod", "eel"])
        #expect(abs(((read["first"] as? Double).map(Float.init) ?? .nan) - (model.network.namedTensors[0].value[flat: 0])) <= (1e-7))
    }
}

@Suite final class LearningTests {
    /// An MLP learns scikit-learn's digits: at least 97% on a held-out test split.
    @Test func mlpReachesNinetySevenPercentOnDigits() throws {
        let digits = try Reference.file("digits.safetensors")
        let x = try #require(digits.tensors["x"]), y = try #require(digits.tensors["y"])
        let data = try LabelledDataset(inputs: x, labels: y.scalars.map { Int($0) }, classNames: (0...9).map(String.init))
        #expect(data.count == 1797)
        let parts = try data.split(fractions: [0.7, 0.15, 0.15], seed: 1)
        let (train, validation, test) = (parts[0], parts[1], parts[2])
        #expect(LabelledDataset.overlap(train, test) == [])
        var r = EngineRandom(seed: 2)
        let model = try Model(network: Sequential([try Dense(64, 128, random: &r), ReLU(), try Dense(128, 10, random: &r)]),
                              inputShape: [64], classNames: data.classNames)
        let history = try model.fit(train, epochs: 40, batchSize: 32, validation: validation,
                                    optimizer: Adam(learningRate: 0.002), seed: 3)
        #expect(history.epochs.count == 40)
        #expect(history.epochs.last!.trainingLoss < (history.epochs.first!.trainingLoss / 5))
        let accuracy = try model.evaluate(test).accuracy
        #expect(accuracy >= 0.97, "test accuracy on digits")
    }
}
