import Foundation
import Testing
@testable import Datasets
@testable import TrainingEngine

/// The lessons' transfer model on the drawn fish: EfficientNet-Lite0, frozen,
/// with a new dropout + dense head trained on its cached features (Adam,
/// learning rate 0.001, batch 32), as `ImageClassifier` builds it.
struct TransferModel {
    let network: Sequential
    let head: Model

    init(training data: LabelledDataset, epochs: Int = 20, seed: UInt64 = 1) throws {
        let pretrained = try EfficientNetReference.model.get()
        let backbone = Sequential(Array(pretrained.network.layers.prefix(EfficientNetLite0.featureLayers)))
        backbone.isFrozen = true
        var random = EngineRandom(seed: seed)
        let layers: [Layer] = [try Dropout(rate: 0.2, seed: random.next()),
                               try Dense(EfficientNetLite0.featureCount, data.classNames.count, random: &random)]
        head = try Model(network: Sequential(layers), inputShape: [EfficientNetLite0.featureCount], classNames: data.classNames)
        let features = try FeatureExtractor(backbone: backbone, sampleShape: [224, 224, 3]).features(data)
        _ = try head.fit(features, epochs: epochs, batchSize: 32, optimizer: Adam(learningRate: 0.001), seed: seed)
        network = Sequential(backbone.layers + layers)
    }

    var dense: Dense? { network.layers.last as? Dense }

    /// The share of each picture's heat inside its fish's outline grown by
    /// 10 % of the picture's side, the heat being for `classes` (by default
    /// the class the model predicts), over the pictures the model classifies
    /// correctly (or all of them).
    func heatInsideTheFish(_ test: SyntheticFish.Drawing, explaining classes: [Int]? = nil, correctOnly: Bool = true) throws -> [Double] {
        let side = test.dataset.sampleShape[0]
        let result = try GradCAM.explain(network, inputShape: test.dataset.sampleShape, inputs: test.dataset.inputs, classes: classes,
                                         score: .logProbability)
        let predicted = try result.probabilities.argmaxRows()
        return test.dataset.labels.indices.filter { !correctOnly || predicted[$0] == test.dataset.labels[$0] }.map { i in
            let heat = GradCAM.resize(result.maps[i], height: result.mapHeight, width: result.mapWidth, toHeight: side, toWidth: side)
            return FishOutline.share(of: heat, inside: FishOutline.grown(test.masks[i], side: side, radius: 0.1 * Double(side)))
        }
    }
}

extension SyntheticFish.Drawing {
    /// The pictures of one class.
    func only(_ label: Int) throws -> SyntheticFish.Drawing {
        let picks = dataset.labels.indices.filter { dataset.labels[$0] == label }
        return SyntheticFish.Drawing(dataset: try dataset.subset(picks), masks: picks.map { masks[$0] }, scenes: picks.map { scenes[$0] })
    }
}

func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(max(values.count, 1)) }

/// Pearson's correlation of two equally long lists.
func correlation(_ a: [Float], _ b: [Float]) -> Double {
    let (x, y) = (a.map(Double.init), b.map(Double.init))
    let (mx, my) = (x.reduce(0, +) / Double(x.count), y.reduce(0, +) / Double(y.count))
    var (sxy, sxx, syy) = (0.0, 0.0, 0.0)
    for (u, v) in zip(x, y) { sxy += (u - mx) * (v - my); sxx += (u - mx) * (u - mx); syy += (v - my) * (v - my) }
    return sxy / max((sxx * syy).squareRoot(), 1e-30)
}

@Suite(.serialized) struct GradCAMTests {
    /// Grad-CAM of six drawn fish against torch's, computed with autograd
    /// hooks on the reference port with the same weights and head, for both scores.
    @Test func agreesWithTorch() throws {
        let model = try TransferModel(training: SyntheticFish.dataset(perClass: 20, imageSize: 224, seed: 31), epochs: 10)
        let pictures = try SyntheticFish.dataset(perClass: 2, imageSize: 224, seed: 32)
        let logit = try GradCAM.explain(model.network, inputShape: [224, 224, 3], inputs: pictures.inputs, score: .logit)
        let logProbability = try GradCAM.explain(model.network, inputShape: [224, 224, 3], inputs: pictures.inputs,
                                                 classes: logit.classes, score: .logProbability)
        let dense = try #require(model.dense)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("shoal-gradcam-\(getpid())")
        let given = folder.appendingPathComponent("given.safetensors"), answer = folder.appendingPathComponent("torch.safetensors")
        try SafeTensors.write([("x", pictures.inputs), ("weight", dense.weight.value), ("bias", dense.bias.value),
                               ("classes", Tensor(shape: [pictures.count], scalars: logit.classes.map(Float.init)))],
                              metadata: [:], to: given)
        try EfficientNetReference.runPython("gradcam_reference.py", [given.path, answer.path])
        let torch = try SafeTensors.read(answer)
        let logits = try #require(torch.tensors["logits"])
        #expect(try logits.argmaxRows() == logit.classes, "torch and Shoal predict the same species")
        for (name, ours) in [("logit_maps", logit), ("log_probability_maps", logProbability)] {
            let maps = try #require(torch.tensors[name])
            #expect(maps.shape == [6, 7, 7])
            for i in 0..<6 {
                let theirs = try maps.slice(i..<(i + 1)).scalars
                let r = correlation(ours.maps[i], theirs)
                #expect(r >= 0.95, "\(name), picture \(i + 1): correlation \(r)")
            }
        }
        // The maps as the pictures show them: resized like torch's interpolate.
        let resized = try #require(torch.tensors["resized"])
        for i in 0..<6 {
            let ours = GradCAM.resize(logProbability.maps[i], height: 7, width: 7, toHeight: 224, toWidth: 224)
            let r = correlation(ours, try resized.slice(i..<(i + 1)).scalars)
            #expect(r >= 0.95, "picture \(i + 1) at 224 pixels: correlation \(r)")
        }
    }

    /// On default fish the transfer model classifies correctly, the heat lies
    /// on the fish: at least 70 % of it inside the outline grown by 10 % of
    /// the picture. A model trained on the shortcut data (striped bass on the
    /// survey's wide, gridded boards 85 % of the time, the others 3 %) looks
    /// at the board as well: on 60 striped bass on boards that it classifies
    /// correctly, that share is at least 20 points lower — lower than on the
    /// default fish, and lower than the default model's heat for striped bass
    /// on the same pictures, so that the drop is the model's, not the pictures'.
    @Test func theHeatLeavesTheFishWhenTheModelLearnedTheBoard() throws {
        let fair = try TransferModel(training: SyntheticFish.drawing(perClass: 100, imageSize: 224, seed: 11).dataset)
        let fairShares = try fair.heatInsideTheFish(SyntheticFish.drawing(perClass: 40, imageSize: 224, seed: 12))
        #expect(fairShares.count >= 50)
        #expect(mean(fairShares) >= 0.70, "\(fairShares.count) pictures: \(mean(fairShares)) of the heat inside the grown outline")

        let shortcut = SyntheticFish.Options(shortcut: true)
        let biased = try TransferModel(training: SyntheticFish.drawing(perClass: 100, imageSize: 224, seed: 11, options: shortcut).dataset)
        let bassOnBoards = try SyntheticFish.drawing(perClass: 60, imageSize: 224, seed: 12, options: .init(shortcut: true, scene: .board)).only(1)
        let bass = [Int](repeating: 1, count: bassOnBoards.dataset.count)
        let biasedShares = try biased.heatInsideTheFish(bassOnBoards, explaining: bass)
        #expect(biasedShares.count >= 50, "the shortcut model calls \(biasedShares.count) of 60 striped bass on boards striped bass")
        #expect(mean(fairShares) - mean(biasedShares) >= 0.20, "default fish \(mean(fairShares)), bass on boards \(mean(biasedShares))")
        let sameShares = try fair.heatInsideTheFish(bassOnBoards, explaining: bass, correctOnly: false)
        let sameBiased = try biased.heatInsideTheFish(bassOnBoards, explaining: bass, correctOnly: false)
        #expect(mean(sameShares) - mean(sameBiased) >= 0.20,
                "heat for striped bass on the same 60 pictures: default model \(mean(sameShares)), shortcut model \(mean(sameBiased))")
    }
}

extension EfficientNetReference {
    /// Runs one of this folder's scripts with the venv's Python; its error
    /// output becomes the thrown error.
    static func runPython(_ script: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = repository.appendingPathComponent(".venv/bin/python")
        process.arguments = [repository.appendingPathComponent("Tests/DatasetsTests/\(script)").path] + arguments
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw NSError(domain: script, code: Int(process.terminationStatus), userInfo: [NSLocalizedDescriptionKey: message])
        }
    }
}
