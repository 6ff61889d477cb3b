import CellIO
import CellLanguage
import Datasets
import Foundation
import Rendering
import TrainingEngine

/// Labelled samples a cell can split, look at and train on.
public final class DatasetObject: HostObject {
    public let data: LabelledDataset
    public init(_ data: LabelledDataset) { self.data = data }
    public var typeName: String { "Dataset" }

    public var textDescription: String {
        let shape = data.sampleShape.map(String.init).joined(separator: "×")
        return "Dataset: \(NumberText.count(data.count)) samples of \(data.sampleShape.count == 1 ? "\(shape) features" : shape), \(data.classNames.count) classes ("
            + zip(data.classNames, data.classCounts).map { "\($0) \($1)" }.joined(separator: ", ") + ")"
    }

    var countsTable: Table {
        let total = max(data.count, 1)
        return Table(caption: "Dataset: \(NumberText.count(data.count)) samples", columns: [.init("class"), .init("samples", .right), .init("share", .right)],
                     rows: zip(data.classNames, data.classCounts).map { [$0, NumberText.count($1), NumberText.percent(Double($1) / Double(total))] })
    }

    /// The class counts, with a few pictures (one per class) when the samples are images.
    public func display() -> Display? {
        var html = countsTable.html
        if data.sampleShape.count == 3, data.sampleShape[2] == 3,
           let figure = try? picture(count: min(data.classNames.count, 8), columns: 8),
           let image = try? figure.render(as: figure.displayFormat) {
            html += image.htmlImage
        }
        return Display(data: ["text/html": html, "text/plain": textDescription])
    }
}

/// A layer written in a `Sequential { … }` block.
public final class LayerObject: HostObject {
    public let layer: Layer
    public init(_ layer: Layer) { self.layer = layer }
    public var typeName: String { "Layer" }
    public var textDescription: String { layer.name }
}

/// A network; its input shape and classes are fixed by the first dataset it trains on.
public final class ModelObject: HostObject {
    public let network: Sequential
    var model: Model?
    public init(_ network: Sequential) { self.network = network }
    public var typeName: String { "Sequential" }
    public var textDescription: String {
        "Sequential(" + network.layers.map(\.name).joined(separator: ", ") + ") — "
            + "\(NumberText.count(network.trainableParameterCount)) trainable parameters"
    }
    public func display() -> Display? { summaryTable(inputShape: nil).display }

    func model(for data: LabelledDataset) throws -> Model {
        if let model {
            guard model.inputShape == data.sampleShape, model.classNames.count == data.classNames.count else {
                throw CellError.value("this model was trained on samples of shape \(model.inputShape) with \(model.classNames.count) classes; "
                                      + "the dataset has shape \(data.sampleShape) and \(data.classNames.count) classes")
            }
            return model
        }
        let made = try Model(network: network, inputShape: data.sampleShape, classNames: data.classNames)
        model = made
        return made
    }
}

/// The per-epoch record of a training run; shown as its loss and accuracy curves.
public final class HistoryObject: HostObject {
    public let history: History
    /// How many layers of a pretrained backbone learned in this run (0: only the head, or no backbone).
    public var fineTunedLayers = 0
    public init(_ history: History) { self.history = history }
    public var typeName: String { "History" }
    public var textDescription: String {
        guard let last = history.epochs.last else { return "History: no epochs" }
        return "History: \(NumberText.count(history.epochs.count, "epoch")), final training loss \(NumberText.decimal(Double(last.trainingLoss)))"
            + (last.validationLoss.map { ", validation loss \(NumberText.decimal(Double($0)))" } ?? "")
            + (history.bestEpoch.map { ", best epoch \($0)" } ?? "")
    }

    /// Loss and accuracy per epoch, training against validation, side by side.
    public var figure: Figure { figure(settings: nil) }

    /// The same, with the run's settings (for example "learning rate 0.001") after each title.
    public func figure(settings: String?) -> Figure {
        let suffix = settings.map { " · \($0)" } ?? ""
        let x = history.epochs.map { Double($0.epoch) }
        func series(_ name: String, _ values: [Double?]) -> [LineSeries] {
            values.contains(where: { $0 == nil }) ? [] : [LineSeries(name: name, x: x, y: values.map { $0 ?? 0 })]
        }
        func series(_ name: String, _ values: [Float?]) -> [LineSeries] { series(name, values.map { $0.map(Double.init) }) }
        let markers = history.bestEpoch.map { [VerticalMarker(x: Double($0), label: "best epoch")] } ?? []
        return .row([
            .line(LineChart(title: "Loss" + suffix, xLabel: "epoch", yLabel: "loss",
                            series: series("training", history.epochs.map(\.trainingLoss)) + series("validation", history.epochs.map(\.validationLoss)),
                            markers: markers)),
            .line(LineChart(title: "Accuracy" + suffix, xLabel: "epoch", yLabel: "accuracy",
                            series: series("training", history.epochs.map(\.trainingAccuracy))
                                + series("validation", history.epochs.map(\.validationAccuracy)),
                            // A little above 1, so that a line at 100 % is seen above the frame's top edge.
                            markers: markers, yRange: 0...1.04)),
        ])
    }

    public func display() -> Display? { ChartObject(figure).display() }
}

extension PracticeBuiltins {

    /// The arguments of methods that take one dataset (`evaluate`, `accuracy(on:)`).
    struct OnData: Decodable { var data: HostArgument<DatasetObject> }

    /// A seed for engine randomness drawn from the notebook's seeded generator.
    static func seed(_ rt: Runtime) -> UInt64 { rt.random.next() }

    static func registerTraining(in r: BuiltinRegistry) {
        r.addType("Dataset", doc: "Labelled samples: split them, look at them, train on them.")
        r.addType("Points", doc: "Small made-up datasets of points in the plane, for quick experiments.")
        r.addType("Sequential", doc: "A network: layers applied one after another.")
        r.addType("History", doc: "What each epoch of training did; shown as loss and accuracy curves.")

        struct Spirals: Decodable { var count: Int, classes: Int, noise: Double, seed: Int }
        r.addMethod(on: "Points.Type", "spirals(count: Int = 300, classes: Int = 3, noise: Double = 0.15, seed: Int = 0) -> Dataset",
                    doc: "Points on interleaved spiral arms, one arm per class: easy to see, not trivial to learn.",
                    example: "let points = Points.spirals(count: 600, classes: 3, seed: 7)", options: Spirals.self) { o, _ in
            let (count, classes, noise, seed) = (o.count, o.classes, o.noise, o.seed)
            guard (2...10).contains(classes), (classes...100_000).contains(count), noise >= 0 else {
                throw CellError.value("spirals needs 2 to 10 classes, at least one point per class (at most 100,000) and noise ≥ 0")
            }
            var random = EngineRandom(seed: UInt64(bitPattern: Int64(seed)))
            var xs: [Float] = [], labels: [Int] = []
            for i in 0..<count {
                let c = i % classes
                let t = Float(i / classes) / Float(max(count / classes, 1))
                let angle = t * 4 + Float(c) * 2 * .pi / Float(classes)
                xs += [t * cos(angle) + Float(noise) * random.normal() * t, t * sin(angle) + Float(noise) * random.normal() * t]
                labels.append(c)
            }
            return .object(DatasetObject(try LabelledDataset(inputs: Tensor(shape: [count, 2], scalars: xs), labels: labels,
                                                             classNames: (0..<classes).map { "arm \($0 + 1)" })))
        }
        r.addProperty(on: "Dataset", "count: Int", doc: "How many samples.", receiver: DatasetObject.self) { d, _ in .int(d.data.count) }
        r.addProperty(on: "Dataset", "classes: [String]", doc: "The class names, in label order.", receiver: DatasetObject.self) { d, _ in
            .array(d.data.classNames.map { .string($0) })
        }
        r.addProperty(on: "Dataset", "classCounts: [Int]", doc: "How many samples each class has.", receiver: DatasetObject.self) { d, _ in
            .array(d.data.classCounts.map { .int($0) })
        }
        struct Split: Decodable { var fraction: Double, seed: Int }
        r.addMethod(on: "Dataset", "split(_ fraction: Double, seed: Int = 0) -> (Dataset, Dataset)",
                    doc: "Two parts: `fraction` of each class in the first, the rest in the second (stratified, seeded, never overlapping).",
                    example: "let (train, rest) = fish.split(0.8, seed: 42)", receiver: DatasetObject.self, options: Split.self) { d, o, _ in
            let fraction = o.fraction
            guard fraction > 0, fraction < 1 else { throw PracticeBuiltins.fractionError(fraction) }
            let parts = try d.data.split(fractions: [fraction, 1 - fraction], seed: UInt64(bitPattern: Int64(o.seed)))
            return .tuple(TupleValue(parts.map { .object(DatasetObject($0)) }))
        }
        // overlaps(_:_:) compares picture content: LeakBuiltins.swift.
        struct Iterations: Decodable { var samples: Int, batchSize: Int }
        r.addFunction("iterationsPerEpoch(samples: Int, batchSize: Int) -> Int",
                      doc: "How many batches (iterations) one epoch takes; the last, smaller batch counts too.",
                      example: "iterationsPerEpoch(samples: 1000, batchSize: 32)   // 32", options: Iterations.self) { o, _ in
            let (n, b) = (o.samples, o.batchSize)
            guard n >= 0, b > 0 else { throw CellError.value("samples must be ≥ 0 and the batch size ≥ 1") }
            return .int(TrainingEngine.iterationsPerEpoch(samples: n, batchSize: b))
        }

        struct DenseSize: Decodable { var inputs: Int, outputs: Int }
        r.addFunction("Dense(_ inputs: Int, _ outputs: Int) -> Layer", doc: "A fully connected layer.",
                      example: "Dense(2, 32)", options: DenseSize.self) { o, rt in
            var random = EngineRandom(seed: seed(rt))
            return .object(LayerObject(try TrainingEngine.Dense(o.inputs, o.outputs, random: &random)))
        }
        r.addFunction("ReLU() -> Layer", doc: "max(0, x): the usual activation between layers.", example: "ReLU()") { _, _ in
            .object(LayerObject(TrainingEngine.ReLU()))
        }
        struct DropoutRate: Decodable { var rate: Double }
        r.addFunction("Dropout(_ rate: Double) -> Layer", doc: "While training, drops each value with this probability (against overfitting).",
                      example: "Dropout(0.3)", options: DropoutRate.self) { o, rt in
            return .object(LayerObject(try TrainingEngine.Dropout(rate: Float(o.rate), seed: seed(rt))))
        }
        struct Layers: Decodable { var layers: BlockArgument<LayerObject> }
        r.addFunction("Sequential(_ layers: () -> Any) -> Sequential",
                      doc: "A network from the layers written in the block, applied in order.",
                      example: "var model = Sequential {\n    Dense(2, 32)\n    ReLU()\n    Dense(32, 3)\n}", options: Layers.self) { o, rt in
            let layers = try o.layers.objects(rt, holding: "layers such as Dense(2, 32) or ReLU()").map(\.layer)
            guard !layers.isEmpty else { throw CellError.value("a Sequential block needs at least one layer") }
            return .object(ModelObject(TrainingEngine.Sequential(layers)))
        }

        r.addMethod(on: "Sequential", "train(_ data: Dataset, validation: Dataset? = nil, \(trainOptions(epochs: 10, learningRate: 0.01))) -> History",
                    doc: "Trains for `epochs` passes over the data in shuffled batches, showing a table that fills in as epochs end. "
                        + "Options: optimizer \"adam\", \"adamw\" or \"sgd\"; weightDecay; earlyStopping (patience in epochs, 0 for none; the best weights are kept); "
                        + "augmentation (true for flips, shifts and brightness, or an Augmentation(…) for more); label, a name shown in the table's title. Interrupt to stop between batches.",
                    example: "let history = model.train(train, validation: validation, epochs: 20, batchSize: 32)", receiver: ModelObject.self, options: TrainArguments.self) { m, o, rt in
            let data = o.data.object.data, validation = o.validation?.object.data
            return .object(try runTraining(try m.model(for: data), data: data, validation: validation, o, rt: rt,
                                           title: "Training on \(NumberText.count(data.count)) samples"))
        }
        r.addMethod(on: "Sequential", "accuracy(on data: Dataset) -> Double",
                    doc: "The fraction of samples the model classifies correctly.",
                    example: "model.accuracy(on: test)", receiver: ModelObject.self, options: OnData.self) { m, o, _ in
            let data = o.data.object.data
            return .double(try m.model(for: data).evaluate(data).exactAccuracy)
        }
        r.addMethod(on: "History", "plot() -> Chart", doc: "Loss and accuracy per epoch, training against validation.",
                    example: "history.plot()", receiver: HistoryObject.self) { h, _ in
            return .object(ChartObject(h.figure))
        }
        r.addProperty(on: "History", "bestEpoch: Int", doc: "The epoch with the lowest validation loss (training loss without validation).", receiver: HistoryObject.self) { h, _ in
            return .int(h.history.bestEpoch ?? 0)
        }
        r.addProperty(on: "History", "fineTunedLayers: Int",
                      doc: "How many layers of the pretrained backbone learned in this run: 0 when only the new head trained.",
                      receiver: HistoryObject.self) { h, _ in .int(h.fineTunedLayers) }
        r.addProperty(on: "History", "trainingLoss: [Double]", doc: "The training loss of each epoch.", receiver: HistoryObject.self) { h, _ in
            return .array(h.history.epochs.map { .double(Double.readable($0.trainingLoss)) })
        }
        r.addProperty(on: "History", "trainingAccuracy: [Double]", doc: "The training accuracy of each epoch.", receiver: HistoryObject.self) { h, _ in
            return .array(h.history.epochs.map { .double($0.trainingAccuracy) })
        }
        r.addProperty(on: "History", "validationLoss: [Double]", doc: "The validation loss of each epoch (empty without validation).", receiver: HistoryObject.self) { h, _ in
            return .array(h.history.epochs.compactMap { $0.validationLoss.map { .double(Double.readable($0)) } })
        }
        r.addProperty(on: "History", "peakMemoryMB: Double",
                      doc: "The most memory training held at once beyond the model itself, in megabytes: one batch's activations and gradients and the optimizer's state.",
                      receiver: HistoryObject.self) { h, _ in
            return .double(Double(h.history.peakTrainingBytes) / 1_048_576)
        }
        r.addProperty(on: "History", "epochSeconds: [Double]", doc: "How long each epoch took, in seconds.", receiver: HistoryObject.self) { h, _ in
            return .array(h.history.epochs.map { .double($0.seconds) })
        }
        r.addProperty(on: "History", "validationAccuracy: [Double]", doc: "The validation accuracy of each epoch (empty without validation).", receiver: HistoryObject.self) { h, _ in
            return .array(h.history.epochs.compactMap { $0.validationAccuracy.map { .double($0) } })
        }
    }
}

extension PracticeBuiltins {
    /// A split's fraction outside 0 < f < 1; a percentage (`split(80)`) is
    /// told how to write it.
    static func fractionError(_ fraction: Double) -> CellError {
        var message = "the fraction must be between 0 and 1, got \(fraction)"
        if fraction >= 5, fraction < 100 {
            message += "; for \(String(format: "%g", fraction)) %, write \(String(format: "%g", fraction / 100))"
        }
        return CellError.value(message)
    }
}

