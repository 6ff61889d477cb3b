import Foundation

/// The loss at each learning rate of a learning-rate sweep (Smith, 2015; the
/// "LR range test" fastai calls `lr_find`).
public struct LearningRateSweep: Sendable {
    /// The rate of each batch, rising exponentially.
    public let rates: [Float]
    /// The training loss of each batch.
    public let losses: [Float]
    /// The losses smoothed by a centred moving average (`centred`): each
    /// batch's loss averaged with a twentieth of the sweep on either side, so
    /// the curve neither jumps about at the first batches nor lags behind the
    /// rate as a running average does.
    public let smoothed: [Float]
    /// Where the smoothed loss falls fastest against log(rate), before its lowest point.
    public let suggestedIndex: Int
    /// True when the loss blew up (four times its lowest) before the last rate.
    public let stoppedEarly: Bool

    public var suggested: Float { rates[suggestedIndex] }

    /// The slope of the smoothed loss against log₁₀(rate) at each batch:
    /// central differences over a twentieth of the sweep on either side, so
    /// that a wiggle of a few batches is not taken for the fall.
    public var slopes: [Float] { LearningRateSweep.slopes(rates: rates, values: smoothed) }

    static func slopes(rates: [Float], values: [Float]) -> [Float] {
        let x = rates.map { Foundation.log10($0) }
        let n = values.count
        guard n >= 2 else { return [Float](repeating: 0, count: n) }
        let reach = max(1, n / 20)
        return (0..<n).map { i in
            let (a, b) = (max(i - reach, 0), min(i + reach, n - 1))
            return (values[b] - values[a]) / max(x[b] - x[a], 1e-12)
        }
    }

    /// Each value averaged with the `reach` values on either side (fewer at
    /// the ends). A running average of 100 batches with β = 0.98 lags about
    /// 50 batches — two and a half decades of a sweep from 1e-6 to 1 — so its
    /// fall shows at rates well above the ones that caused it.
    public static func centred(_ values: [Float], reach: Int) -> [Float] {
        var sums = [Double](repeating: 0, count: values.count + 1)
        for (i, v) in values.enumerated() { sums[i + 1] = sums[i] + Double(v) }
        return values.indices.map { i in
            let (a, b) = (max(i - reach, 0), min(i + reach, values.count - 1))
            return Float((sums[b + 1] - sums[a]) / Double(b - a + 1))
        }
    }

    /// The batch where the smoothed loss falls fastest, between the first
    /// tenth of the sweep and the lowest smoothed loss.
    static func steepest(rates: [Float], smoothed: [Float]) -> Int {
        guard let lowest = smoothed.indices.min(by: { smoothed[$0] < smoothed[$1] }) else { return 0 }
        let slopes = self.slopes(rates: rates, values: smoothed)
        let start = min(max(1, smoothed.count / 10), lowest)
        let window = start...lowest
        return window.min { slopes[$0] < slopes[$1] } ?? lowest
    }
}

extension Model {
    /// Trains for `steps` batches with the learning rate rising exponentially
    /// from `start` to `end`, recording the loss of each, then puts every
    /// weight, saved statistic and dropout generator back exactly as it was.
    /// Batches go through the training data in shuffled order (reshuffled
    /// when it runs out). Stops early once the smoothed loss is four times its
    /// lowest (a running average, since the batches after are not known yet).
    /// `shouldStop` is checked between batches.
    public func findLearningRate(_ data: LabelledDataset, batchSize: Int, start: Float = 1e-6, end: Float = 1, steps: Int = 100,
                                 optimizer: Optimizer, loss: SoftmaxCrossEntropy = SoftmaxCrossEntropy(),
                                 augmentation: Augmentation = Augmentation(), seed: UInt64 = 0,
                                 shouldStop: () -> Bool = { false }) throws -> LearningRateSweep {
        guard batchSize > 0 else { throw InvalidArgument("batch size must be at least 1, got \(batchSize)") }
        guard data.count > 0 else { throw InvalidArgument("the training data is empty") }
        guard start > 0, end > start, start.isFinite, end.isFinite else {
            throw InvalidArgument("the rates must rise from a start above 0 to a larger end, not \(start) to \(end)")
        }
        guard (5...10_000).contains(steps) else { throw InvalidArgument("steps must be 5 to 10,000, not \(steps)") }
        try checkData(data, "training")
        let saved = try snapshot()
        let dropouts = GradCAM.leaves(network).compactMap { $0 as? Dropout }
        let generators = dropouts.map(\.random)
        let baseRate = optimizer.learningRate
        defer {
            try? restore(saved)
            for (d, g) in zip(dropouts, generators) { d.random = g }
            optimizer.learningRate = baseRate
        }
        var random = EngineRandom(seed: seed)
        var augmentRandom = random.fork()
        let trainable = network.layers.filter { !$0.isFrozen }.flatMap(\.parameters)
        var rates: [Float] = [], losses: [Float] = []
        var average: Double = 0, lowest = Float.infinity
        var queue: [[Int]] = []
        var stoppedEarly = false
        for step in 0..<steps {
            if shouldStop() { throw TrainingCancelled(history: History()) }
            if queue.isEmpty { queue = try batchIndices(count: data.count, batchSize: batchSize, shuffle: true, random: &random) }
            let indices = queue.removeFirst()
            let rate = start * Float(Foundation.pow(Double(end / start), Double(step) / Double(steps - 1)))
            optimizer.learningRate = rate
            var x = try data.inputs.gather(rows: indices)
            try augmentation.apply(to: &x, random: &augmentRandom)
            let result = try loss(try network.forward(x, training: true, needsInputGradient: false), labels: indices.map { data.labels[$0] })
            guard result.value.isFinite else { stoppedEarly = true; break }
            average = 0.98 * average + 0.02 * Double(result.value)
            let value = Float(average / (1 - Foundation.pow(0.98, Double(step + 1))))
            rates.append(rate)
            losses.append(result.value)
            lowest = min(lowest, value)
            if step > 0, value > 4 * lowest { stoppedEarly = step < steps - 1; break }
            _ = try network.backward(result.gradient, needInputGradient: false)
            try optimizer.update(trainable)
        }
        guard rates.count >= 3 else {
            throw InvalidArgument("the loss blew up at once: start from a lower rate than \(start)")
        }
        let smoothed = LearningRateSweep.centred(losses, reach: max(1, losses.count / 20))
        return LearningRateSweep(rates: rates, losses: losses, smoothed: smoothed,
                                 suggestedIndex: LearningRateSweep.steepest(rates: rates, smoothed: smoothed),
                                 stoppedEarly: stoppedEarly)
    }
}
