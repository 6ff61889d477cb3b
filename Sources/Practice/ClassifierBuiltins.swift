import CellIO
import CellLanguage
import Datasets
import Foundation
import Rendering
import TrainingEngine

/// A pretrained backbone (EfficientNet-Lite0, ImageNet weights) with a new
/// head for the learner's classes. While the backbone is frozen, training
/// runs the backbone once per picture (its features are cached) and trains
/// only the head; `unfreeze` opens the top of the backbone for fine-tuning.
public final class ImageClassifierObject: HostObject {
    let pretrained: Model
    let backbone: Sequential
    let head: Sequential
    let full: Model
    /// The head alone, trained and run on cached features while the backbone is frozen.
    let headModel: Model
    let extractor: FeatureExtractor
    /// The new head's weights as first drawn (the head explorer trains from them every time).
    let initialHeadWeights: [Tensor]
    /// Where the head's dropout masks start (the explorer starts there too, so that its first picture repeats `train`).
    let initialMasks: [EngineRandom]
    var unfrozen = 0

    init(classes: [String], seed: UInt64) throws {
        guard FileManager.default.fileExists(atPath: EfficientNetLite0.cachedWeights.path) else {
            throw CellError.value("EfficientNet-Lite0's weights are not installed: run `shoal models fetch` in a terminal "
                                  + "(`make lab` does it for you)")
        }
        guard classes.count >= 2 else { throw CellError.value("an ImageClassifier needs at least two classes") }
        pretrained = try EfficientNetLite0.pretrained(weights: EfficientNetLite0.cachedWeights)
        backbone = Sequential(Array(pretrained.network.layers.prefix(EfficientNetLite0.featureLayers)))
        backbone.isFrozen = true
        var random = EngineRandom(seed: seed)
        head = Sequential([try Dropout(rate: 0.2, seed: random.next()), try Dense(EfficientNetLite0.featureCount, classes.count, random: &random)])
        full = try Model(network: Sequential(backbone.layers + head.layers), inputShape: [224, 224, 3], classNames: classes)
        headModel = try Model(network: head, inputShape: [EfficientNetLite0.featureCount], classNames: classes)
        initialHeadWeights = try head.parameters.map { try $0.value.copy() }
        initialMasks = head.layers.compactMap { ($0 as? Dropout)?.maskGenerator }
        extractor = FeatureExtractor(backbone: backbone, sampleShape: [224, 224, 3])
    }

    public var typeName: String { "ImageClassifier" }
    public var textDescription: String {
        "ImageClassifier(EfficientNet-Lite0 \(unfrozen == 0 ? "frozen" : "with its top \(unfrozen) layers unfrozen"), "
            + "\(full.classNames.count) classes: \(full.classNames.joined(separator: ", ")))"
    }

    var summaryTable: Table {
        let frozen = backbone.frozenParameterCount, trainable = full.network.trainableParameterCount
        return Table(caption: "ImageClassifier", columns: [.init("part"), .init("output", .right), .init("parameters", .right), .init("")],
                     rows: [["EfficientNet-Lite0 (ImageNet)", "1280", NumberText.count(backbone.trainableParameterCount + frozen),
                             unfrozen == 0 ? "frozen" : "top \(unfrozen) unfrozen"],
                            ["Dropout 0.2", "1280", "0", "—"],
                            ["Dense (new head)", "\(full.classNames.count)", NumberText.count(head.parameters.reduce(0) { $0 + $1.count }), "trainable"]],
                     footer: ["total", "", NumberText.count(trainable + full.network.frozenParameterCount), "\(NumberText.count(trainable)) trainable"])
    }

    public func display() -> Display? { summaryTable.display }

    func check(_ data: LabelledDataset) throws {
        guard data.sampleShape == [224, 224, 3] else {
            throw CellError.value("EfficientNet-Lite0 looks at 224×224 pictures; load them with imageSize: 224 (these are \(data.sampleShape))")
        }
        guard data.classNames == full.classNames else {
            throw CellError.value("the data's classes \(data.classNames) are not the model's \(full.classNames)")
        }
    }

    /// Features for a dataset, with a progress line while the backbone works.
    func features(_ data: LabelledDataset, _ rt: Runtime) throws -> LabelledDataset {
        let id = "shoal-features-\(UUID().uuidString.lowercased())"
        var shown = false
        var throttle = Throttle(interval: 0.25)
        let live = rt.output.showsLiveDisplays
        do {
            return try extractor.features(data, progress: { done, total in
                guard live, total > 0, done == total || throttle.ready(now: TrainingDisplay.now()) else { return }
                rt.output.display(.text("EfficientNet-Lite0 is looking at the pictures: \(done) of \(total)"), id: id, update: shown)
                shown = true
            }, shouldStop: { rt.cancellation.isCancelled })
        } catch is TrainingCancelled {
            throw CellError(.interrupted, "interrupted while the backbone was looking at the pictures")
        }
    }
}

extension PracticeBuiltins {
    /// The arguments every `train` takes (see `trainOptions`), decoded by the registry.
    struct TrainArguments: Decodable {
        var data: HostArgument<DatasetObject>
        var validation: HostArgument<DatasetObject>?
        var epochs: Int
        var batchSize: Int
        var learningRate: Double
        var optimizer: String
        var weightDecay: Double
        var earlyStopping: Int
        var augmentation: TrainingAugmentation
        var seed: Int
        /// Shown in the training table's title, to tell several runs apart.
        var label: String
    }

    /// Trains `model` on `data`, with the live display, as `o` says.
    static func runTraining(_ model: Model, data: LabelledDataset, validation: LabelledDataset?, _ o: TrainArguments,
                            rt: Runtime, title: String) throws -> HistoryObject {
        let (epochs, batchSize, rate) = (o.epochs, o.batchSize, o.learningRate)
        // One message per argument, naming the value given.
        guard (1...10_000).contains(epochs) else { throw CellError.value("epochs must be 1 to 10,000, got \(epochs)") }
        guard batchSize >= 1 else { throw CellError.value("batchSize must be at least 1, got \(batchSize)") }
        guard rate > 0, rate.isFinite else {
            throw CellError.value("learningRate must be a number above 0, such as 0.001; got \(rate)")
        }
        let optimizerName = o.optimizer.lowercased()
        let weightDecay = o.weightDecay
        let patience = o.earlyStopping
        let augmentation = o.augmentation.engine(for: data)
        let seed = UInt64(bitPattern: Int64(o.seed))
        let optimizer: Optimizer
        switch optimizerName {
        case "adam": optimizer = weightDecay > 0 ? try Adam.adamW(learningRate: Float(rate), weightDecay: Float(weightDecay)) : try Adam(learningRate: Float(rate))
        case "adamw": optimizer = try Adam.adamW(learningRate: Float(rate), weightDecay: Float(weightDecay > 0 ? weightDecay : 0.01))
        case "sgd": optimizer = try SGD(learningRate: Float(rate), momentum: 0.9, weightDecay: Float(weightDecay))
        default: throw CellError.value("optimizer must be \"adam\", \"adamw\" or \"sgd\", not \"\(optimizerName)\"")
        }
        let view = TrainingDisplay(sink: rt.output, totalEpochs: epochs, title: o.label.isEmpty ? title : "\(title) (\(o.label))")
        let started = TrainingDisplay.now()
        do {
            let history = try model.fit(data, epochs: epochs, batchSize: batchSize, validation: validation, optimizer: optimizer,
                                        augmentation: augmentation,
                                        earlyStopping: patience > 0 ? EarlyStopping(patience: patience) : nil, seed: seed,
                                        callbacks: TrainingCallbacks(batchEnded: view.batchEnded, epochEnded: view.epochEnded),
                                        shouldStop: { rt.cancellation.isCancelled })
            var note = "\(NumberText.count(history.epochs.count, "epoch")) in \(NumberText.duration(TrainingDisplay.now() - started))"
            if let best = history.bestEpoch { note += " · best epoch \(best)" }
            if history.stoppedEarly { note += " · stopped early" }
            if let restored = history.restoredEpoch { note += " · weights of epoch \(restored) kept" }
            view.finish(note)
            return HistoryObject(history)
        } catch let stopped as TrainingCancelled {
            let epochs = NumberText.count(stopped.history.epochs.count, "complete epoch")
            view.finish("interrupted after \(epochs); the model keeps its weights")
            throw CellError(.interrupted, "training was interrupted after \(epochs)")
        }
    }

    static func trainOptions(epochs: Int, learningRate: Double) -> String {
        "epochs: Int = \(epochs), batchSize: Int = 32, learningRate: Double = \(learningRate), optimizer: String = \"adam\", "
            + "weightDecay: Double = 0, earlyStopping: Int = 0, augmentation: Any = false, seed: Int = 0, label: String = \"\""
    }

    static func registerClassifier(in r: BuiltinRegistry) {
        r.addType("ImageClassifier", doc: "EfficientNet-Lite0, pretrained on ImageNet, with a new head for your classes.")
        struct Classes: Decodable { var classes: [String], seed: Int }
        r.addFunction("ImageClassifier(classes: [String], seed: Int = 0) -> ImageClassifier",
                      doc: "A pretrained EfficientNet-Lite0 (frozen) with a new head for these classes: transfer learning.",
                      example: "var model = ImageClassifier(classes: fish.classes)", options: Classes.self) { o, _ in
            return .object(try ImageClassifierObject(classes: o.classes, seed: UInt64(bitPattern: Int64(o.seed))))
        }
        r.addMethod(on: "ImageClassifier", "train(_ data: Dataset, validation: Dataset? = nil, \(trainOptions(epochs: 20, learningRate: 0.001))) -> History",
                    doc: "Trains the head (and any unfrozen layers). While the backbone is frozen its features are computed once per picture.",
                    example: "let history = model.train(train, validation: validation, epochs: 20, batchSize: 32)", receiver: ImageClassifierObject.self, options: TrainArguments.self) { c, o, rt in
            let data = o.data.object.data, validation = o.validation?.object.data
            try c.check(data)
            if let validation { try c.check(validation) }
            if c.unfrozen == 0 {
                // The frozen backbone's features are computed once per picture: augmented pictures would never reach the head.
                guard !o.augmentation.isRequested else {
                    throw CellError.value("augmentation changes the pictures, but with the backbone frozen the head learns from features "
                        + "computed once per picture, so it would change nothing: unfreeze the top of the backbone first "
                        + "(model.unfreeze(layers: 1)) to train on augmented pictures, or leave augmentation out")
                }
                let trainFeatures = try c.features(data, rt)
                let validationFeatures = try validation.map { try c.features($0, rt) }
                return .object(try runTraining(c.headModel, data: trainFeatures, validation: validationFeatures, o, rt: rt,
                                               title: "Training the new head on \(NumberText.count(data.count)) pictures"))
            }
            let history = try runTraining(c.full, data: data, validation: validation, o, rt: rt,
                                          title: "Fine-tuning on \(NumberText.count(data.count)) pictures")
            history.fineTunedLayers = c.unfrozen
            return .object(history)
        }
        struct Unfreeze: Decodable { var layers: Int }
        r.addMethod(on: "ImageClassifier", "unfreeze(layers: Int)",
                    doc: "Lets the top layers of the backbone learn too (fine-tuning); the rest stays frozen. Training then runs the whole network.",
                    example: "model.unfreeze(layers: 3)", receiver: ImageClassifierObject.self, options: Unfreeze.self) { c, o, _ in
            let n = o.layers
            guard n >= 0 else { throw CellError.value("layers must be 0 or more") }
            c.backbone.unfreezeTop(n)
            c.unfrozen = n
            return .void
        }
        r.addMethod(on: "ImageClassifier", "freeze()", doc: "Freezes the whole backbone again (only the head learns).",
                    example: "model.freeze()", receiver: ImageClassifierObject.self) { c, _ in
            c.backbone.isFrozen = true
            c.unfrozen = 0
            return .void
        }
        r.addMethod(on: "ImageClassifier", "summary() -> Table", doc: "The backbone and the new head, with parameter counts.",
                    example: "model.summary()", receiver: ImageClassifierObject.self) { c, _ in .object(TableObject(c.summaryTable)) }
        r.addMethod(on: "ImageClassifier", "evaluate(_ data: Dataset) -> Evaluation",
                    doc: "Loss, accuracy, per-class precision and recall, and the confusion matrix.",
                    example: "let result = model.evaluate(test)", receiver: ImageClassifierObject.self, options: OnData.self) { c, o, rt in
            let (model, data) = try c.route(o.data.object.data, rt)
            return .object(EvaluationObject(try model.evaluate(data, batchSize: 32), samples: o.data.object.data))
        }
        struct Pictures: Decodable { var data: HostArgument<DatasetObject>, count: Int, columns: Int }
        r.addMethod(on: "ImageClassifier", "showPredictions(_ data: Dataset, count: Int = 25, columns: Int = 5) -> Chart",
                    doc: "Pictures with \"predicted / actual\" captions: right ones framed green, wrong ones in dashed red.",
                    example: "model.showPredictions(test, count: 25)", receiver: ImageClassifierObject.self, options: Pictures.self) { c, o, rt in
            let data = o.data.object.data
            try c.check(data)
            let count = min(max(o.count, 1), data.count, 200)
            let sample = try data.subset(Array(0..<count))
            let predicted = c.unfrozen == 0 ? try c.headModel.logits(try c.features(sample, rt).inputs).argmaxRows()
                                            : try c.full.logits(sample.inputs, batchSize: 32).argmaxRows()
            let images = try (0..<count).map { i in
                let (p, y) = (predicted[i], sample.labels[i])
                return try gridImage(sample, i, caption: "\(sample.classNames[p]) / \(sample.classNames[y])", frame: p == y ? .right : .wrong)
            }
            let wrong = zip(predicted, sample.labels).filter { $0 != $1 }.count
            return .object(ChartObject(.grid(ImageGrid(title: "Predicted / actual: \(wrong) of \(count) wrong", images: images,
                                                       columns: max(1, o.columns), cellSize: 96))))
        }
        r.addMethod(on: "ImageClassifier", "imageNetGuesses(_ data: Dataset, count: Int = 10, columns: Int = 5) -> Chart",
                    doc: "What the pretrained network sees before any training: its top ImageNet class for each picture.",
                    example: "model.imageNetGuesses(fish, count: 10)", receiver: ImageClassifierObject.self, options: Pictures.self) { c, o, _ in
            let data = o.data.object.data
            try c.check(data)
            let count = min(max(o.count, 1), data.count, 100)
            let sample = try data.subset(data.roundRobin(count))
            let p = try c.pretrained.probabilities(sample.inputs, batchSize: 32)
            let top = try p.argmaxRows()
            let images = try (0..<count).map { i in
                try gridImage(sample, i, caption: "\(sample.classNames[sample.labels[i]])\n\(c.pretrained.classNames[top[i]]) "
                              + NumberText.percent(Double(p[flat: i * 1000 + top[i]])))
            }
            return .object(ChartObject(.grid(ImageGrid(title: "Species, then ImageNet's guess", images: images, columns: max(1, o.columns), cellSize: 96))))
        }
    }
}
