import Foundation
import KernelMemory
import Testing
@testable import TrainingEngine

/// A small two-class problem: points above or below a line, with noise.
func toyData(count: Int, seed: UInt64, classes: [String] = ["below", "above"]) throws -> LabelledDataset {
    var r = EngineRandom(seed: seed)
    var x: [Float] = [], y: [Int] = []
    for _ in 0..<count {
        let a = r.uniform(-1, 1), b = r.uniform(-1, 1)
        x += [a, b]
        y.append(a + 0.5 * b > 0 ? 1 : 0)
    }
    return try LabelledDataset(inputs: Tensor(shape: [count, 2], scalars: x), labels: y, classNames: classes)
}

func smallModel(seed: UInt64 = 1) throws -> Model {
    var r = EngineRandom(seed: seed)
    return try Model(network: Sequential([try Dense(2, 8, random: &r), ReLU(), try Dense(8, 2, random: &r)]),
                     inputShape: [2], classNames: ["below", "above"])
}

@Suite final class TensorBehaviourTests {
    @Test func broadcastingAndShapeErrors() throws {
        let a = try Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        #expect(try ((a + Tensor(shape: [3], scalars: [10, 20, 30])).scalars) == [11, 22, 33, 14, 25, 36])
        #expect(try ((a * Tensor(shape: [2, 1], scalars: [2, 3])).scalars) == [2, 4, 6, 12, 15, 18])
        if let error = #expect(throws: (any Error).self, performing: { try a + Tensor(zeros: [2]) }) {
            #expect(error is ShapeError)
            #expect("\(error)".contains("[2, 3] and [2]"), "\(error)")
        }
        #expect(throws: (any Error).self) { try Tensor(shape: [2, 2], scalars: [1, 2, 3]) }
        #expect(throws: (any Error).self) { try a.reshaped([4, 2]) }
        #expect(try (a.reshaped([3, -1]).shape) == [3, 2])
        #expect(try (a.sum(axis: 0).scalars) == [5, 7, 9])
        #expect(try (a.mean(axis: 1).scalars) == [2, 5])
        #expect(try (a.matmul(a, transposeOther: true).scalars) == [14, 32, 32, 77])
        if let error = #expect(throws: (any Error).self, performing: { try a.matmul(a) }) { #expect("\(error)".contains("inner sizes 3 and 2")) }
    }

    @Test func copiesAreIndependent() throws {
        let a = try Tensor(shape: [3], scalars: [1, 2, 3])
        var b = a
        b[flat: 0] = 9
        #expect(a.scalars == [1, 2, 3])
        #expect(b.scalars == [9, 2, 3])
    }

    @Test func memoryBudgetRaisesResourceLimit() throws {
        let saved = MemoryBudget.limit
        defer { MemoryBudget.limit = saved }
        MemoryBudget.reclaim()
        MemoryBudget.limit = MemoryBudget.inUse() + 1 << 20
        if let error = #expect(throws: (any Error).self, performing: { try Tensor(zeros: [1024, 1024]) }) {
            #expect(error is ResourceLimit)
            #expect("\(error)".hasPrefix("a tensor of 4.0 MiB would not fit: this kernel holds "), "\(error)")
            #expect("\(error)".contains("memory budget; try a smaller batch size or smaller images"), "\(error)")
        }
        #expect(throws: Never.self) { try Tensor(zeros: [128, 128]) }
        // A training run that does not fit stops with the same error, not a crash.
        let data = try toyData(count: 64, seed: 1)
        let model = try smallModel()
        // Below what the process holds: the run's first tensor is refused however resident memory moves
        // (a budget of "held now + 64 bytes" let small tensors through whenever the next measurement came out lower).
        MemoryBudget.limit = MemoryBudget.inUse() / 2
        if let error = #expect(throws: (any Error).self, performing: { try model.fit(data, epochs: 1, batchSize: 32, optimizer: SGD(learningRate: 0.1)) }) {
            #expect(error is ResourceLimit, "\(error)")
        }
    }

    @Test func wrongInputShapesSayWhatWasExpected() throws {
        var r = EngineRandom(seed: 1)
        let dense = try Dense(4, 2, random: &r)
        if let error = #expect(throws: (any Error).self, performing: { try dense.forward(Tensor(zeros: [3, 5]), training: false) }) {
            #expect("\(error)" == ("Dense(4 → 2) got 5 features per sample (shape [3, 5])"))
        }
        if let error = #expect(throws: (any Error).self, performing: { try dense.forward(Tensor(zeros: [3, 2, 2]), training: false) }) {
            #expect("\(error)".contains("put a Flatten before it"), "\(error)")
        }
        let conv = try Conv2D(3, 4, kernelSize: 3, random: &r)
        if let error = #expect(throws: (any Error).self, performing: { try conv.forward(Tensor(zeros: [1, 8, 8, 1]), training: false) }) {
            #expect("\(error)".contains("expects 3 input channels, got 1"), "\(error)")
        }
        if let error = #expect(throws: (any Error).self, performing: { try Model(network: Sequential([try Dense(2, 3, random: &r)]), inputShape: [2], classNames: ["a", "b"]) }) {
            #expect("\(error)".contains("should output 2 values"), "\(error)")
        }
        #expect(throws: (any Error).self) { try dense.backward(Tensor(zeros: [3, 2]), needInputGradient: true) }
    }
}

@Suite final class DataBehaviourTests {
    @Test func stratifiedSeededSplitsWithoutOverlap() throws {
        let labels = (0..<300).map { $0 < 200 ? 0 : ($0 < 270 ? 1 : 2) }
        let data = try LabelledDataset(inputs: Tensor(shape: [300, 1]) { Float($0) }, labels: labels, classNames: ["a", "b", "c"])
        let parts = try data.split(fractions: [0.7, 0.2, 0.1], seed: 5)
        #expect(parts.map(\.count) == [210, 60, 30])
        #expect(parts[0].classCounts == [140, 49, 21])
        #expect(parts[1].classCounts == [40, 14, 6])
        #expect(parts[2].classCounts == [20, 7, 3])
        #expect(LabelledDataset.overlap(parts[0], parts[1]) == [])
        #expect(LabelledDataset.overlap(parts[0], parts[2]) == [])
        #expect(Set(parts.flatMap(\.sampleIDs)).count == 300)
        // Inputs travel with their labels and ids.
        for p in parts { for i in 0..<p.count { #expect((Int(p.inputs[flat: i])) == p.sampleIDs[i]) } }
        // Same seed, same split; another seed, another split.
        #expect(try (data.split(fractions: [0.7, 0.2, 0.1], seed: 5)[1].sampleIDs) == parts[1].sampleIDs)
        #expect(try (data.split(fractions: [0.7, 0.2, 0.1], seed: 6)[1].sampleIDs) != parts[1].sampleIDs)
        // Overlap is reported.
        let leaky = try data.subset([1, 2, 3, 250])
        #expect(Set(LabelledDataset.overlap(parts[0], leaky)) == Set([1, 2, 3, 250]).intersection(parts[0].sampleIDs))
        if let error = #expect(throws: (any Error).self, performing: { try data.split(fractions: [0.5, 0.2], seed: 1) }) { #expect("\(error)".contains("add up to 1")) }
    }

    @Test func batchesKeepTheLastSmallerBatch() throws {
        #expect((iterationsPerEpoch(samples: 100, batchSize: 32)) == 4)
        #expect((iterationsPerEpoch(samples: 96, batchSize: 32)) == 3)
        var r = EngineRandom(seed: 1)
        let batches = try batchIndices(count: 100, batchSize: 32, shuffle: true, random: &r)
        #expect(batches.map(\.count) == [32, 32, 32, 4])
        #expect((Set(batches.flatMap { $0 }).count) == 100)
        let history = try smallModel().fit(toyData(count: 100, seed: 2), epochs: 2, batchSize: 32, optimizer: SGD(learningRate: 0.1))
        #expect(history.epochs.map(\.iterations) == [4, 4])
        #expect(throws: (any Error).self) { try batchIndices(count: 10, batchSize: 0, shuffle: false, random: &r) }
    }

    @Test func augmentationIsSeededAndFlips() throws {
        let image = try Tensor(shape: [1, 2, 3, 1], scalars: [1, 2, 3, 4, 5, 6])
        var flipped = image
        var r = EngineRandom(seed: 1)
        // Draw until the coin says flip; a flip mirrors each row.
        var seen = Set<[Float]>()
        for _ in 0..<8 {
            flipped = image
            try Augmentation(horizontalFlip: true).apply(to: &flipped, random: &r)
            seen.insert(flipped.scalars)
        }
        #expect(seen == [[1, 2, 3, 4, 5, 6], [3, 2, 1, 6, 5, 4]])
        let batch = try Tensor(shape: [8, 6, 6, 3]) { Float($0 % 17) }
        var a = batch, b = batch
        var ra = EngineRandom(seed: 9), rb = EngineRandom(seed: 9)
        let augmentation = Augmentation(horizontalFlip: true, verticalFlip: true, cropPadding: 2, brightness: 0.2)
        try augmentation.apply(to: &a, random: &ra)
        try augmentation.apply(to: &b, random: &rb)
        #expect(a.scalars == b.scalars)
        #expect(a.scalars != batch.scalars)
        #expect((batch.scalars[0..<3]) == [0, 1, 2], "the source batch is untouched")
    }
}

@Suite final class TrainingBehaviourTests {
    @Test func sameSeedSameTraining() throws {
        let data = try toyData(count: 200, seed: 3)
        func run() throws -> [Float] {
            let model = try smallModel(seed: 4)
            _ = try model.fit(data, epochs: 3, batchSize: 16, optimizer: SGD(learningRate: 0.1, momentum: 0.9),
                              augmentation: Augmentation(), seed: 11)
            return model.network.parameters.flatMap(\.value.scalars)
        }
        #expect(try run() == run())
    }

    @Test func historyRecordsEpochsAndLearns() throws {
        let parts = try toyData(count: 400, seed: 5).split(fractions: [0.8, 0.2], seed: 1)
        let model = try smallModel()
        var batches = 0, epochs: [Int] = []
        let history = try model.fit(parts[0], epochs: 15, batchSize: 20, validation: parts[1],
                                    optimizer: Adam(learningRate: 0.02), schedule: .cosine(epochs: 15, minimum: 0.001),
                                    callbacks: TrainingCallbacks(batchEnded: { _ in batches += 1 }, epochEnded: { epochs.append($0.epoch) }))
        #expect(epochs == Array(1...15))
        #expect(batches == (15 * 16))
        #expect(history.epochs.first?.learningRate == 0.02)
        #expect(history.epochs.last!.learningRate < 0.002)
        #expect(history.epochs.last!.validationAccuracy! > 0.9)
        #expect(history.epochs.last!.trainingLoss < history.epochs.first!.trainingLoss)
        #expect(history.epochs.allSatisfy { $0.seconds >= 0 })
    }

    @Test func earlyStoppingRestoresTheBestWeights() throws {
        // Validation labels that contradict training: validation loss soon rises.
        let train = try toyData(count: 200, seed: 6)
        var validation = try toyData(count: 100, seed: 7)
        validation.labels = validation.labels.map { 1 - $0 }
        let model = try smallModel()
        let history = try model.fit(train, epochs: 50, batchSize: 20, validation: validation,
                                    optimizer: Adam(learningRate: 0.05), earlyStopping: EarlyStopping(patience: 2))
        #expect(history.stoppedEarly)
        #expect(history.epochs.count < 50)
        let best = try #require(history.bestEpoch)
        #expect(history.epochs.count == (best + 2))
        #expect(history.restoredEpoch == best)
        let restoredLoss = try model.evaluate(validation).loss
        #expect(abs(restoredLoss - (history.epochs[best - 1].validationLoss!)) <= (1e-5))
    }

    /// The memory a training reports is its own: a grader trains several
    /// submissions side by side, and a tensor another thread makes during
    /// this run (or another run's start) must not change this run's peak.
    @Test func peakMemoryIsTheRunsOwnWhileAnotherThreadAllocates() throws {
        let data = try toyData(count: 200, seed: 3)
        func train(callbacks: TrainingCallbacks = TrainingCallbacks()) throws -> Int {
            let model = try smallModel(seed: 4)
            return try model.fit(data, epochs: 2, batchSize: 50, optimizer: SGD(learningRate: 0.1), seed: 1,
                                 callbacks: callbacks).peakTrainingBytes
        }
        let alone = try train()
        #expect(alone > 0)
        // In the middle of the first epoch, another thread makes a 16 MB
        // tensor and keeps it until this run is over.
        let go = DispatchSemaphore(value: 0), made = DispatchSemaphore(value: 0), done = DispatchSemaphore(value: 0)
        let other = Thread {
            go.wait()   // the first batch ended
            let held = try? Tensor(zeros: [4_000_000])
            made.signal()
            done.wait()
            withExtendedLifetime(held) {}
        }
        other.start()
        var signalled = false
        let beside = try train(callbacks: TrainingCallbacks(batchEnded: { _ in
            guard !signalled else { return }
            signalled = true
            go.signal()
            made.wait()
        }))
        done.signal()
        #expect(signalled)
        #expect(beside == alone, "16 MB made by another thread counted in this run's peak: \(alone) alone, \(beside) beside it")
    }

    @Test func cancellationKeepsFinishedEpochs() throws {
        let data = try toyData(count: 100, seed: 8)
        let model = try smallModel()
        var batches = 0
        if let error = #expect(throws: (any Error).self, performing: { try model.fit(data, epochs: 5, batchSize: 10, optimizer: SGD(learningRate: 0.1),
                                           callbacks: TrainingCallbacks(batchEnded: { _ in batches += 1 }),
                                           shouldStop: { batches >= 25 }) }) {
            let cancelled = error as? TrainingCancelled
            #expect(cancelled?.history.epochs.count == 2)
            #expect(batches == 25)
        }
    }

    @Test func frozenLayersDoNotChange() throws {
        let data = try toyData(count: 100, seed: 9)
        let model = try smallModel()
        let first = model.network.layers[0]
        first.isFrozen = true
        #expect(model.network.frozenParameterCount == (2 * 8 + 8))
        #expect(model.network.trainableParameterCount == (8 * 2 + 2))
        let before = first.parameters.map(\.value.scalars)
        let last = model.network.layers[2].parameters[0].value.scalars
        _ = try model.fit(data, epochs: 2, batchSize: 10, optimizer: SGD(learningRate: 0.1))
        #expect(first.parameters.map(\.value.scalars) == before)
        #expect(model.network.layers[2].parameters[0].value.scalars != last)
        let summary = try model.network.summary(inputShape: [2])
        #expect(summary.map(\.name) == ["Dense", "ReLU", "Dense"])
        #expect(summary.map(\.outputShape) == [[8], [8], [2]])
        #expect(summary.map(\.frozen) == [true, false, false])
    }

    @Test func tooHighLearningRateIsExplained() throws {
        let data = try toyData(count: 50, seed: 10)
        var x = data
        x.inputs = try data.inputs * 1e18
        let model = try smallModel()
        if let error = #expect(throws: (any Error).self, performing: { try model.fit(x, epochs: 3, batchSize: 10, optimizer: SGD(learningRate: 1e6)) }) {
            #expect("\(error)".contains("learning rate"), "\(error)")
        }
    }

    @Test func learningRateSchedules() {
        #expect((LearningRateSchedule.step(every: 2, factor: 0.5).rate(base: 1, epoch: 3)) == 0.5)
        #expect((LearningRateSchedule.step(every: 2, factor: 0.5).rate(base: 1, epoch: 4)) == 0.25)
        #expect(abs((LearningRateSchedule.cosine(epochs: 10, minimum: 0).rate(base: 1, epoch: 5)) - 0.5) <= (1e-6))
        #expect(abs((LearningRateSchedule.cosine(epochs: 10, minimum: 0.1).rate(base: 1, epoch: 10)) - 0.1) <= (1e-6))
    }
}

@Suite final class MetricsAndFilesTests {
    @Test func confusionPrecisionRecallTopK() throws {
        let logits = try Tensor(shape: [5, 3], scalars: [
            3, 1, 0,   // → 0, actual 0
            0, 2, 1,   // → 1, actual 1
            0, 1, 2,   // → 2, actual 1 (second guess is 1)
            1, 0, 2,   // → 2, actual 2
            2, 0, 1,   // → 0, actual 2 (second guess is 2)
        ])
        let e = try Evaluation(logits: logits, labels: [0, 1, 1, 2, 2], classNames: ["a", "b", "c"], loss: 0)
        #expect(e.confusion == [[1, 0, 0], [0, 1, 1], [1, 0, 1]])
        #expect(e.accuracy == 0.6)
        #expect(e.precision == [0.5, 1, 0.5])
        #expect(e.recall == [1, 0.5, 0.5])
        #expect(e.normalisedConfusion[1] == [0, 0.5, 0.5])
        #expect(try e.topKAccuracy(1) == 0.6)
        #expect(try e.topKAccuracy(2) == 1)
        #expect(throws: (any Error).self) { try confusionMatrix(predicted: [0, 3], actual: [0, 1], classes: 3) }
    }

    @Test func modelFilesRoundTripAndRejectOtherModels() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("shoal-files-\(getpid())")
        defer { try? FileManager.default.removeItem(at: directory) }
        var r = EngineRandom(seed: 2)
        let network = Sequential([try Conv2D(1, 2, kernelSize: 3, padding: .same, random: &r), try BatchNorm(features: 2), ReLU(),
                                  try MaxPool(size: 2), Flatten(), try Dropout(rate: 0.2), try Dense(8, 2, random: &r)])
        let model = try Model(network: network, inputShape: [4, 4, 1], classNames: ["cod", "eel"])
        let data = try LabelledDataset(inputs: Tensor(shape: [6, 4, 4, 1]) { _ in r.uniform(-1, 1) }, labels: [0, 1, 0, 1, 0, 1],
                                       classNames: ["cod", "eel"])
        _ = try model.fit(data, epochs: 2, batchSize: 3, optimizer: SGD(learningRate: 0.1))
        let url = directory.appendingPathComponent("fish.safetensors")
        try model.save(to: url)
        let loaded = try Model.load(from: url)
        #expect(loaded.classNames == ["cod", "eel"])
        #expect(loaded.inputShape == [4, 4, 1])
        #expect(try loaded.logits(data.inputs).scalars == model.logits(data.inputs).scalars)

        var other = EngineRandom(seed: 3)
        let wrong = try Model(network: Sequential([try Conv2D(1, 3, kernelSize: 3, padding: .same, random: &other),
                                                   try BatchNorm(features: 3), ReLU(), try MaxPool(size: 2), Flatten(),
                                                   try Dense(12, 2, random: &other)]),
                              inputShape: [4, 4, 1], classNames: ["cod", "eel"])
        let before = wrong.network.parameters.map(\.value.scalars)
        if let error = #expect(throws: (any Error).self, performing: { try wrong.loadWeights(from: url) }) {
            #expect(error is ModelFileError)
            #expect("\(error)".contains("0.weight has shape [3, 3, 1, 2] in the file but [3, 3, 1, 3] in this model"), "\(error)")
        }
        #expect(wrong.network.parameters.map(\.value.scalars) == before, "a failed load changes nothing")

        if let error = #expect(throws: (any Error).self, performing: { try Model.load(from: directory.appendingPathComponent("missing.safetensors")) }) {
            #expect("\(error)".contains("cannot read"), "\(error)")
        }
        let corrupt = directory.appendingPathComponent("corrupt.safetensors")
        try Data([200, 0, 0, 0, 0, 0, 0, 0, 123]).write(to: corrupt)
        if let error = #expect(throws: (any Error).self, performing: { try Model.load(from: corrupt) }) { #expect("\(error)".contains("not a valid safetensors file"), "\(error)") }
    }

    @Test func halfPrecisionDecoding() {
        #expect(SafeTensors.halfToFloat(0x3C00) == 1)
        #expect(SafeTensors.halfToFloat(0xC000) == (-2))
        #expect(SafeTensors.halfToFloat(0x3555) == 0.333251953125)
        #expect(SafeTensors.halfToFloat(0x0001) == (0x1p-24))
        #expect(SafeTensors.halfToFloat(0x7C00) == .infinity)
    }
}
