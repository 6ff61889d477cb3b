import Foundation
import Testing
@testable import Datasets
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

/// The converted weights (`shoal models fetch`, run by `make test`) and the
/// reference model's outputs (efficientnet_reference.py with the venv's torch).
enum EfficientNetReference {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static var weights: URL { EfficientNetLite0.cachedWeights }

    static let model: Result<Model, Error> = {
        guard FileManager.default.fileExists(atPath: weights.path) else {
            return .failure(Skip("no converted weights at \(weights.path): run `shoal models fetch` (make test does)"))
        }
        return Result { try EfficientNetLite0.pretrained(weights: weights) }
    }()

    static let directory: Result<URL, Error> = {
        let python = repository.appendingPathComponent(".venv/bin/python").path
        guard FileManager.default.isExecutableFile(atPath: python) else { return .failure(Skip("no .venv: run `make test`")) }
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("shoal-efficientnet-\(getpid())")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [repository.appendingPathComponent("Tests/DatasetsTests/efficientnet_reference.py").path, out.path]
        let errors = Pipe()
        process.standardError = errors
        do { try process.run() } catch { return .failure(error) }
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            if message.contains("No module named") { return .failure(Skip("the reference model is not installed in .venv: \(message.suffix(200))")) }
            return .failure(NSError(domain: "efficientnet_reference.py", code: 1, userInfo: [NSLocalizedDescriptionKey: message]))
        }
        return .success(out)
    }()
}

@Suite final class EfficientNetTests {
    @Test func forwardPassAgreesWithTheReferenceModel() throws {
        let model = try EfficientNetReference.model.valueOrSkip()
        let reference = try SafeTensors.read(try EfficientNetReference.directory.valueOrSkip().appendingPathComponent("reference.safetensors"))
        let x = try #require(reference.tensors["x"]), expected = try #require(reference.tensors["logits"])
        #expect(x.shape == [3, 224, 224, 3])
        let logits = try model.logits(x)
        for image in 0..<3 {
            let ours = try logits.slice(image..<(image + 1)).scalars, theirs = try expected.slice(image..<(image + 1)).scalars
            let spread = (theirs.max() ?? 0) - (theirs.min() ?? 0)
            let worst = zip(ours, theirs).map { abs($0 - $1) }.max() ?? .infinity
            #expect((worst / spread) < (1e-3), "image \(image + 1): largest logit difference \(worst), spread \(spread)")
            #expect((ours.indices.max { ours[$0] < ours[$1] }) == (theirs.indices.max { theirs[$0] < theirs[$1] }))
        }
    }

    func top5(_ file: String) throws -> [String] {
        let model = try EfficientNetReference.model.valueOrSkip()
        let url = try EfficientNetReference.directory.valueOrSkip().appendingPathComponent(file)
        let image = try ImageDecoder.decode(file: url, minimumSide: 224).square(224)
        let x = try Tensor(shape: [1, 224, 224, 3], scalars: image.pixels.map { Float($0) / 127.5 - 1 })
        let p = try model.probabilities(x).scalars
        return p.indices.sorted { p[$0] > p[$1] }.prefix(5).map { model.classNames[$0] }
    }

    @Test func recognisesTheCatAndTheCoffee() throws {
        let cat = try top5("chelsea.png")
        #expect(cat.contains { ["tabby", "tiger cat", "Egyptian cat", "Persian cat", "Siamese cat"].contains($0) }, "\(cat)")
        let coffee = try top5("coffee.png")
        #expect(coffee.contains { ["espresso", "cup", "coffee mug"].contains($0) }, "\(coffee)")
    }

    @Test func architecture() throws {
        let (network, names) = try EfficientNetLite0.make()
        #expect(try (network.outputShape(for: [1, 224, 224, 3])) == [1, 1000])
        #expect(try (Sequential(Array(network.layers.prefix(EfficientNetLite0.featureLayers))).outputShape(for: [2, 224, 224, 3])) == [2, 1280])
        #expect(network.trainableParameterCount == 4_652_008, "the reference model's parameter count")
        #expect(Set(names.map(\.name)) == Set(network.namedTensors.map(\.name)))
        #expect(ImageNetClasses.names.count == 1000)
        #expect(ImageNetClasses.names[393] == ("anemone fish"))
    }
}

@Suite final class TransferLearningTests {
    /// A linear head on cached EfficientNet features of the reef fish (the
    /// easy set): six species, thirty training pictures each.
    @Test func linearHeadOnCachedFeaturesLearnsTheFish() throws {
        let pretrained = try EfficientNetReference.model.valueOrSkip()
        let fish = try SyntheticFish.dataset(perClass: 40, imageSize: 224, seed: 7, options: .init(set: .reef))
        let parts = try fish.split(fractions: [0.75, 0.25], seed: 3)
        #expect(parts[0].classCounts == ([Int](repeating: 30, count: 6)))
        let extractor = FeatureExtractor(backbone: Sequential(Array(pretrained.network.layers.prefix(EfficientNetLite0.featureLayers))),
                                         sampleShape: [224, 224, 3])
        let train = try extractor.features(parts[0]), test = try extractor.features(parts[1])
        #expect(train.sampleShape == [1280])
        #expect(extractor.backbonePasses == 240)
        _ = try extractor.features(parts[0])
        #expect(extractor.backbonePasses == 240, "the second time comes from the cache")
        var r = EngineRandom(seed: 1)
        let head = try Model(network: Sequential([try Dense(1280, 6, random: &r)]), inputShape: [1280], classNames: fish.classNames)
        let history = try head.fit(train, epochs: 30, batchSize: 16, optimizer: Adam(learningRate: 0.001), seed: 2)
        #expect(history.epochs.count == 30)
        let accuracy = try head.evaluate(test).accuracy
        #expect(accuracy >= 0.9, "test accuracy of the head")
    }

    @Test func unfreezingFromTheTop() throws {
        let (network, _) = try EfficientNetLite0.make()
        network.unfreezeTop(2)
        #expect(network.trainableParameterCount == (1280 * 1000 + 1000 + 2 * 1280))
        #expect(network.layers[0].isFrozen)
        network.unfreezeTop(4)
        #expect(!network.layers[18].isFrozen, "the last block")
        #expect(network.layers[17].isFrozen)
    }
}
