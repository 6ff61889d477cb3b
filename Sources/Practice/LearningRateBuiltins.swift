import CellIO
import CellLanguage
import Foundation
import Rendering
import TrainingEngine

/// A learning-rate sweep: the loss against the learning rate on a log axis,
/// with the suggested rate marked.
public final class LearningRateObject: HostObject {
    let sweep: LearningRateSweep
    init(_ sweep: LearningRateSweep) { self.sweep = sweep }

    public var typeName: String { "LearningRates" }
    public var textDescription: String {
        "learning rates \(rateText(Double(sweep.rates.first ?? 0))) to \(rateText(Double(sweep.rates.last ?? 0))) over "
            + "\(sweep.rates.count) batches; suggested \(rateText(Double(sweep.suggested)))"
            + (sweep.stoppedEarly ? " (stopped when the loss blew up)" : "")
    }

    var figure: Figure {
        let rates = sweep.rates.map(Double.init)
        return .line(LineChart(title: "Loss as the learning rate rises", xLabel: "learning rate (log scale)", yLabel: "loss (smoothed)",
                               series: [LineSeries(name: "loss", x: rates, y: sweep.smoothed.map(Double.init))],
                               markers: [VerticalMarker(x: Double(sweep.suggested), label: "suggested \(rateText(Double(sweep.suggested)))")],
                               yRange: yRange, logX: true, legend: false))
    }

    /// From a little below the lowest loss to a little above the highest
    /// before it: the whole fall shows, the blow-up after it stays off the chart.
    var yRange: ClosedRange<Double> {
        let s = sweep.smoothed.map(Double.init)
        guard let lowest = s.indices.min(by: { s[$0] < s[$1] }) else { return 0...1 }
        let low = s[lowest], before = s[...lowest].max() ?? low
        let high = max(before, low + 1e-6)
        let pad = (high - low) * 0.1
        return (low - pad)...(high + pad)
    }

    public func display() -> Display? { ChartObject(figure).display(text: textDescription) }
}

/// A rate with two significant digits: 0.0031, 3.1e-05.
func rateText(_ x: Double) -> String {
    x >= 1e-3 ? String(format: "%.2g", x) : String(format: "%.1e", x).replacingOccurrences(of: "e-0", with: "e-")
}

extension PracticeBuiltins {
    /// What `findLearningRate` takes.
    struct FindLearningRate: Decodable {
        var data: HostArgument<DatasetObject>
        var batchSize: Int
        var from: Double
        var to: Double
        var steps: Int?
        var optimizer: String
        var seed: Int
    }

    /// The sweep on `model` over `samples` (the pictures, or the backbone's
    /// features of them while it is frozen), as `o` says.
    static func findLearningRate(_ model: Model, _ samples: LabelledDataset, _ o: FindLearningRate, rt: Runtime) throws -> Value {
        guard o.batchSize >= 1 else { throw CellError.value("the batch size must be at least 1") }
        let steps = o.steps ?? max(100, TrainingEngine.iterationsPerEpoch(samples: samples.count, batchSize: o.batchSize))
        guard o.from > 0, o.to > o.from, o.to <= 100 else {
            throw CellError.value("the rates must rise from above 0 to at most 100, like from: 0.000001, to: 1")
        }
        guard (10...10_000).contains(steps) else { throw CellError.value("steps must be 10 to 10,000") }
        let optimizer: Optimizer
        switch o.optimizer.lowercased() {
        case "adam": optimizer = try Adam(learningRate: Float(o.from))
        case "adamw": optimizer = try Adam.adamW(learningRate: Float(o.from), weightDecay: 0.01)
        case "sgd": optimizer = try SGD(learningRate: Float(o.from), momentum: 0.9)
        default: throw CellError.value("optimizer must be \"adam\", \"adamw\" or \"sgd\", not \"\(o.optimizer)\"")
        }
        do {
            let sweep = try model.findLearningRate(samples, batchSize: o.batchSize, start: Float(o.from), end: Float(o.to), steps: steps,
                                                   optimizer: optimizer, seed: UInt64(bitPattern: Int64(o.seed)),
                                                   shouldStop: { rt.cancellation.isCancelled })
            return .object(LearningRateObject(sweep))
        } catch is TrainingCancelled {
            throw CellError(.interrupted, "interrupted; the model keeps the weights it had before")
        }
    }

    static func registerLearningRateFinder(in r: BuiltinRegistry) {
        r.addType("LearningRates", doc: "The loss at rising learning rates, with a suggested rate: what findLearningRate found.")
        let declaration = "findLearningRate(_ data: Dataset, batchSize: Int = 32, from: Double = 0.000001, to: Double = 1, steps: Int? = nil, "
            + "optimizer: String = \"adam\", seed: Int = 0) -> LearningRates"
        let doc = "One pass over the training data in shuffled batches with the learning rate rising exponentially from `from` to `to`, "
            + "plotting the loss against the rate; the suggested rate is where the loss falls fastest. When one pass has fewer than "
            + "100 batches, the data is gone through again (reshuffled) until there are 100, or `steps` if you give it. "
            + "The model's weights are put back exactly as they were."
        let example = "let rates = model.findLearningRate(train)\nrates.suggested"
        r.addMethod(on: "ImageClassifier", declaration, doc: doc, example: example, receiver: ImageClassifierObject.self,
                    options: FindLearningRate.self) { c, o, rt in
            let (model, samples) = try c.route(o.data.object.data, rt)
            return try findLearningRate(model, samples, o, rt: rt)
        }
        r.addMethod(on: "Sequential", declaration, doc: doc, example: example, receiver: ModelObject.self,
                    options: FindLearningRate.self) { m, o, rt in
            let data = o.data.object.data
            return try findLearningRate(try m.model(for: data), data, o, rt: rt)
        }
        r.addMethod(on: "LearningRates", "plot() -> Chart", doc: "The loss against the learning rate, with the suggested rate marked.",
                    example: "rates.plot().save(\"learning-rates.png\")", receiver: LearningRateObject.self) { l, _ in
            .object(ChartObject(l.figure))
        }
        r.addProperty(on: "LearningRates", "suggested: Double", doc: "The rate where the loss fell fastest: a good learning rate to train with.",
                      receiver: LearningRateObject.self) { l, _ in
            .double(Double.readable(l.sweep.suggested))
        }
        r.addProperty(on: "LearningRates", "rates: [Double]", doc: "The learning rate of each batch.", receiver: LearningRateObject.self) { l, _ in
            .array(l.sweep.rates.map { .double(Double.readable($0)) })
        }
        r.addProperty(on: "LearningRates", "losses: [Double]", doc: "The loss at each batch averaged with its neighbours (the curve plotted).",
                      receiver: LearningRateObject.self) { l, _ in
            .array(l.sweep.smoothed.map { .double(Double.readable($0)) })
        }
    }
}
