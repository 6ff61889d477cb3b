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
    static func registerLearningRateFinder(in r: BuiltinRegistry) {
        r.addType("LearningRates", doc: "The loss at rising learning rates, with a suggested rate: what findLearningRate found.")
        let declaration = "findLearningRate(_ data: Dataset, batchSize: Int = 32, from: Double = 0.000001, to: Double = 1, steps: Int? = nil, "
            + "optimizer: String = \"adam\", seed: Int = 0) -> LearningRates"
        let doc = "One pass over the training data in shuffled batches with the learning rate rising exponentially from `from` to `to`, "
            + "plotting the loss against the rate; the suggested rate is where the loss falls fastest. When one pass has fewer than "
            + "100 batches, the data is gone through again (reshuffled) until there are 100, or `steps` if you give it. "
            + "The model's weights are put back exactly as they were."
        let example = "let rates = model.findLearningRate(train)\nrates.suggested"
        for type in ["ImageClassifier", "Sequential"] {
            r.addMethod(on: type, declaration, doc: doc, example: example) { v, a, rt in
                let data = try dataset(a[0])
                let (batchSize, start, end) = (try a.int(1), try a.double(2), try a.double(3))
                guard batchSize >= 1 else { throw CellError.value("the batch size must be at least 1") }
                let steps = try a.optional(4).map { v -> Int in
                    guard case .int(let n) = v else { throw a.mismatch(4, expected: "Int") }
                    return n
                } ?? max(100, TrainingEngine.iterationsPerEpoch(samples: data.count, batchSize: batchSize))
                guard start > 0, end > start, end <= 100 else {
                    throw CellError.value("the rates must rise from above 0 to at most 100, like from: 0.000001, to: 1")
                }
                guard (10...10_000).contains(steps) else { throw CellError.value("steps must be 10 to 10,000") }
                let optimizer: Optimizer
                do {
                    switch try a.string(5).lowercased() {
                    case "adam": optimizer = try Adam(learningRate: Float(start))
                    case "adamw": optimizer = try Adam.adamW(learningRate: Float(start), weightDecay: 0.01)
                    case "sgd": optimizer = try SGD(learningRate: Float(start), momentum: 0.9)
                    default: throw CellError.value("optimizer must be \"adam\", \"adamw\" or \"sgd\", not \"\(try a.string(5))\"")
                    }
                } catch { throw cellError(error) }
                let seed = UInt64(bitPattern: Int64(try a.int(6)))
                let model: Model, samples: LabelledDataset
                guard case .object(let o) = v else { throw CellError.type("findLearningRate needs a model") }
                do {
                    if let c = o as? ImageClassifierObject {
                        try c.check(data)
                        (model, samples) = c.unfrozen == 0 ? (c.headModel, try c.features(data, rt)) : (c.full, data)
                    } else if let m = o as? ModelObject {
                        (model, samples) = (try m.model(for: data), data)
                    } else {
                        throw CellError.type("findLearningRate needs an ImageClassifier or a Sequential model")
                    }
                    let sweep = try model.findLearningRate(samples, batchSize: batchSize, start: Float(start), end: Float(end), steps: steps,
                                                           optimizer: optimizer, seed: seed, shouldStop: { rt.cancellation.isCancelled })
                    return .object(LearningRateObject(sweep))
                } catch is TrainingCancelled {
                    throw CellError(.interrupted, "interrupted; the model keeps the weights it had before")
                } catch { throw cellError(error) }
            }
        }
        r.addMethod(on: "LearningRates", "plot() -> Chart", doc: "The loss against the learning rate, with the suggested rate marked.",
                    example: "rates.plot().save(\"learning-rates.png\")") { v, _, _ in
            guard case .object(let o as LearningRateObject) = v else { throw CellError.type("plot needs LearningRates") }
            return .object(ChartObject(o.figure))
        }
        r.addProperty(on: "LearningRates", "suggested: Double", doc: "The rate where the loss fell fastest: a good learning rate to train with.") { v, _ in
            guard case .object(let o as LearningRateObject) = v else { return .double(0) }
            return .double(Double(o.sweep.suggested))
        }
        r.addProperty(on: "LearningRates", "rates: [Double]", doc: "The learning rate of each batch.") { v, _ in
            guard case .object(let o as LearningRateObject) = v else { return .array([]) }
            return .array(o.sweep.rates.map { .double(Double($0)) })
        }
        r.addProperty(on: "LearningRates", "losses: [Double]", doc: "The smoothed loss after each batch (the curve plotted).") { v, _ in
            guard case .object(let o as LearningRateObject) = v else { return .array([]) }
            return .array(o.sweep.smoothed.map { .double(Double($0)) })
        }
    }
}
