import Foundation
import XCTest
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

final class TensorBehaviourTests: XCTestCase {
    func testBroadcastingAndShapeErrors() throws {
        let a = try Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(try (a + Tensor(shape: [3], scalars: [10, 20, 30])).scalars, [11, 22, 33, 14, 25, 36])
        XCTAssertEqual(try (a * Tensor(shape: [2, 1], scalars: [2, 3])).scalars, [2, 4, 6, 12, 15, 18])
        XCTAssertThrowsError(try a + Tensor(zeros: [2])) { error in
            XCTAssertTrue(error is ShapeError)
            XCTAssertTrue("\(error)".contains("[2, 3] and [2]"), "\(error)")
        }
        XCTAssertThrowsError(try Tensor(shape: [2, 2], scalars: [1, 2, 3]))
        XCTAssertThrowsError(try a.reshaped([4, 2]))
        XCTAssertEqual(try a.reshaped([3, -1]).shape, [3, 2])
        XCTAssertEqual(try a.sum(axis: 0).scalars, [5, 7, 9])
        XCTAssertEqual(try a.mean(axis: 1).scalars, [2, 5])
        XCTAssertEqual(try a.matmul(a, transposeOther: true).scalars, [14, 32, 32, 77])
        XCTAssertThrowsError(try a.matmul(a)) { XCTAssertTrue("\($0)".contains("inner sizes 3 and 2")) }
    }

    func testCopiesAreIndependent() throws {
        let a = try Tensor(shape: [3], scalars: [1, 2, 3])
        var b = a
        b[flat: 0] = 9
        XCTAssertEqual(a.scalars, [1, 2, 3])
        XCTAssertEqual(b.scalars, [9, 2, 3])
    }

    func testMemoryCapRaisesResourceLimit() throws {
        let saved = MemoryBudget.limit
        defer { MemoryBudget.limit = saved }
        MemoryBudget.limit = MemoryBudget.bytesInUse + 1 << 20
        XCTAssertThrowsError(try Tensor(zeros: [1024, 1024])) { error in
            XCTAssertTrue(error is ResourceLimit)
            XCTAssertTrue("\(error)".contains("memory cap"), "\(error)")
        }
        XCTAssertNoThrow(try Tensor(zeros: [128, 128]))
        // A training run that does not fit stops with the same error, not a crash.
        let data = try toyData(count: 64, seed: 1)
        let model = try smallModel()
        MemoryBudget.limit = MemoryBudget.bytesInUse + 64
        XCTAssertThrowsError(try model.fit(data, epochs: 1, batchSize: 32, optimizer: SGD(learningRate: 0.1))) {
            XCTAssertTrue($0 is ResourceLimit, "\($0)")
        }
    }

    func testWrongInputShapesSayWhatWasExpected() throws {
        var r = EngineRandom(seed: 1)
        let dense = try Dense(4, 2, random: &r)
        XCTAssertThrowsError(try dense.forward(Tensor(zeros: [3, 5]), training: false)) {
            XCTAssertEqual("\($0)", "Dense(4 → 2) got 5 features per sample (shape [3, 5])")
        }
        XCTAssertThrowsError(try dense.forward(Tensor(zeros: [3, 2, 2]), training: false)) {
            XCTAssertTrue("\($0)".contains("put a Flatten before it"), "\($0)")
        }
        let conv = try Conv2D(3, 4, kernelSize: 3, random: &r)
        XCTAssertThrowsError(try conv.forward(Tensor(zeros: [1, 8, 8, 1]), training: false)) {
            XCTAssertTrue("\($0)".contains("expects 3 input channels, got 1"), "\($0)")
        }
        XCTAssertThrowsError(try Model(network: Sequential([try Dense(2, 3, random: &r)]), inputShape: [2], classNames: ["a", "b"])) {
            XCTAssertTrue("\($0)".contains("should output 2 values"), "\($0)")
        }
        XCTAssertThrowsError(try dense.backward(Tensor(zeros: [3, 2]), needInputGradient: true))
    }
}

final class DataBehaviourTests: XCTestCase {
    func testStratifiedSeededSplitsWithoutOverlap() throws {
        let labels = (0..<300).map { $0 < 200 ? 0 : ($0 < 270 ? 1 : 2) }
        let data = try LabelledDataset(inputs: Tensor(shape: [300, 1]) { Float($0) }, labels: labels, classNames: ["a", "b", "c"])
        let parts = try data.split(fractions: [0.7, 0.2, 0.1], seed: 5)
        XCTAssertEqual(parts.map(\.count), [210, 60, 30])
        XCTAssertEqual(parts[0].classCounts, [140, 49, 21])
        XCTAssertEqual(parts[1].classCounts, [40, 14, 6])
        XCTAssertEqual(parts[2].classCounts, [20, 7, 3])
        XCTAssertEqual(LabelledDataset.overlap(parts[0], parts[1]), [])
        XCTAssertEqual(LabelledDataset.overlap(parts[0], parts[2]), [])
        XCTAssertEqual(Set(parts.flatMap(\.sampleIDs)).count, 300)
        // Inputs travel with their labels and ids.
        for p in parts { for i in 0..<p.count { XCTAssertEqual(Int(p.inputs[flat: i]), p.sampleIDs[i]) } }
        // Same seed, same split; another seed, another split.
        XCTAssertEqual(try data.split(fractions: [0.7, 0.2, 0.1], seed: 5)[1].sampleIDs, parts[1].sampleIDs)
        XCTAssertNotEqual(try data.split(fractions: [0.7, 0.2, 0.1], seed: 6)[1].sampleIDs, parts[1].sampleIDs)
        // Overlap is reported.
        let leaky = try data.subset([1, 2, 3, 250])
        XCTAssertEqual(Set(LabelledDataset.overlap(parts[0], leaky)), Set([1, 2, 3, 250]).intersection(parts[0].sampleIDs))
        XCTAssertThrowsError(try data.split(fractions: [0.5, 0.2], seed: 1)) { XCTAssertTrue("\($0)".contains("add up to 1")) }
    }

    func testBatchesKeepTheLastSmallerBatch() throws {
        XCTAssertEqual(iterationsPerEpoch(samples: 100, batchSize: 32), 4)
        XCTAssertEqual(iterationsPerEpoch(samples: 96, batchSize: 32), 3)
        var r = EngineRandom(seed: 1)
        let batches = try batchIndices(count: 100, batchSize: 32, shuffle: true, random: &r)
        XCTAssertEqual(batches.map(\.count), [32, 32, 32, 4])
        XCTAssertEqual(Set(batches.flatMap { $0 }).count, 100)
        let history = try smallModel().fit(toyData(count: 100, seed: 2), epochs: 2, batchSize: 32, optimizer: SGD(learningRate: 0.1))
        XCTAssertEqual(history.epochs.map(\.iterations), [4, 4])
        XCTAssertThrowsError(try batchIndices(count: 10, batchSize: 0, shuffle: false, random: &r))
    }

    func testAugmentationIsSeededAndFlips() throws {
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
        XCTAssertEqual(seen, [[1, 2, 3, 4, 5, 6], [3, 2, 1, 6, 5, 4]])
        let batch = try Tensor(shape: [8, 6, 6, 3]) { Float($0 % 17) }
        var a = batch, b = batch
        var ra = EngineRandom(seed: 9), rb = EngineRandom(seed: 9)
        let augmentation = Augmentation(horizontalFlip: true, verticalFlip: true, cropPadding: 2, brightness: 0.2)
        try augmentation.apply(to: &a, random: &ra)
        try augmentation.apply(to: &b, random: &rb)
        XCTAssertEqual(a.scalars, b.scalars)
        XCTAssertNotEqual(a.scalars, batch.scalars)
        XCTAssertEqual(batch.scalars[0..<3], [0, 1, 2], "the source batch is untouched")
    }
}

final class TrainingBehaviourTests: XCTestCase {
    func testSameSeedSameTraining() throws {
        let data = try toyData(count: 200, seed: 3)
        func run() throws -> [Float] {
            let model = try smallModel(seed: 4)
            _ = try model.fit(data, epochs: 3, batchSize: 16, optimizer: SGD(learningRate: 0.1, momentum: 0.9),
                              augmentation: Augmentation(), seed: 11)
            return model.network.parameters.flatMap(\.value.scalars)
        }
        XCTAssertEqual(try run(), try run())
    }

    func testHistoryRecordsEpochsAndLearns() throws {
        let parts = try toyData(count: 400, seed: 5).split(fractions: [0.8, 0.2], seed: 1)
        let model = try smallModel()
        var batches = 0, epochs: [Int] = []
        let history = try model.fit(parts[0], epochs: 15, batchSize: 20, validation: parts[1],
                                    optimizer: Adam(learningRate: 0.02), schedule: .cosine(epochs: 15, minimum: 0.001),
                                    callbacks: TrainingCallbacks(batchEnded: { _ in batches += 1 }, epochEnded: { epochs.append($0.epoch) }))
        XCTAssertEqual(epochs, Array(1...15))
        XCTAssertEqual(batches, 15 * 16)
        XCTAssertEqual(history.epochs.first?.learningRate, 0.02)
        XCTAssertLessThan(history.epochs.last!.learningRate, 0.002)
        XCTAssertGreaterThan(history.epochs.last!.validationAccuracy!, 0.9)
        XCTAssertLessThan(history.epochs.last!.trainingLoss, history.epochs.first!.trainingLoss)
        XCTAssertTrue(history.epochs.allSatisfy { $0.seconds >= 0 })
    }

    func testEarlyStoppingRestoresTheBestWeights() throws {
        // Validation labels that contradict training: validation loss soon rises.
        let train = try toyData(count: 200, seed: 6)
        var validation = try toyData(count: 100, seed: 7)
        validation.labels = validation.labels.map { 1 - $0 }
        let model = try smallModel()
        let history = try model.fit(train, epochs: 50, batchSize: 20, validation: validation,
                                    optimizer: Adam(learningRate: 0.05), earlyStopping: EarlyStopping(patience: 2))
        XCTAssertTrue(history.stoppedEarly)
        XCTAssertLessThan(history.epochs.count, 50)
        let best = try XCTUnwrap(history.bestEpoch)
        XCTAssertEqual(history.epochs.count, best + 2)
        XCTAssertEqual(history.restoredEpoch, best)
        let restoredLoss = try model.evaluate(validation).loss
        XCTAssertEqual(restoredLoss, history.epochs[best - 1].validationLoss!, accuracy: 1e-5)
    }

    func testCancellationKeepsFinishedEpochs() throws {
        let data = try toyData(count: 100, seed: 8)
        let model = try smallModel()
        var batches = 0
        XCTAssertThrowsError(try model.fit(data, epochs: 5, batchSize: 10, optimizer: SGD(learningRate: 0.1),
                                           callbacks: TrainingCallbacks(batchEnded: { _ in batches += 1 }),
                                           shouldStop: { batches >= 25 })) { error in
            let cancelled = error as? TrainingCancelled
            XCTAssertEqual(cancelled?.history.epochs.count, 2)
            XCTAssertEqual(batches, 25)
        }
    }

    func testFrozenLayersDoNotChange() throws {
        let data = try toyData(count: 100, seed: 9)
        let model = try smallModel()
        let first = model.network.layers[0]
        first.isFrozen = true
        XCTAssertEqual(model.network.frozenParameterCount, 2 * 8 + 8)
        XCTAssertEqual(model.network.trainableParameterCount, 8 * 2 + 2)
        let before = first.parameters.map(\.value.scalars)
        let last = model.network.layers[2].parameters[0].value.scalars
        _ = try model.fit(data, epochs: 2, batchSize: 10, optimizer: SGD(learningRate: 0.1))
        XCTAssertEqual(first.parameters.map(\.value.scalars), before)
        XCTAssertNotEqual(model.network.layers[2].parameters[0].value.scalars, last)
        let summary = try model.network.summary(inputShape: [2])
        XCTAssertEqual(summary.map(\.name), ["Dense", "ReLU", "Dense"])
        XCTAssertEqual(summary.map(\.outputShape), [[8], [8], [2]])
        XCTAssertEqual(summary.map(\.frozen), [true, false, false])
    }

    func testTooHighLearningRateIsExplained() throws {
        let data = try toyData(count: 50, seed: 10)
        var x = data
        x.inputs = try data.inputs * 1e18
        let model = try smallModel()
        XCTAssertThrowsError(try model.fit(x, epochs: 3, batchSize: 10, optimizer: SGD(learningRate: 1e6))) {
            XCTAssertTrue("\($0)".contains("learning rate"), "\($0)")
        }
    }

    func testLearningRateSchedules() {
        XCTAssertEqual(LearningRateSchedule.step(every: 2, factor: 0.5).rate(base: 1, epoch: 3), 0.5)
        XCTAssertEqual(LearningRateSchedule.step(every: 2, factor: 0.5).rate(base: 1, epoch: 4), 0.25)
        XCTAssertEqual(LearningRateSchedule.cosine(epochs: 10, minimum: 0).rate(base: 1, epoch: 5), 0.5, accuracy: 1e-6)
        XCTAssertEqual(LearningRateSchedule.cosine(epochs: 10, minimum: 0.1).rate(base: 1, epoch: 10), 0.1, accuracy: 1e-6)
    }
}

final class MetricsAndFilesTests: XCTestCase {
    func testConfusionPrecisionRecallTopK() throws {
        let logits = try Tensor(shape: [5, 3], scalars: [
            3, 1, 0,   // → 0, actual 0
            0, 2, 1,   // → 1, actual 1
            0, 1, 2,   // → 2, actual 1 (second guess is 1)
            1, 0, 2,   // → 2, actual 2
            2, 0, 1,   // → 0, actual 2 (second guess is 2)
        ])
        let e = try Evaluation(logits: logits, labels: [0, 1, 1, 2, 2], classNames: ["a", "b", "c"], loss: 0)
        XCTAssertEqual(e.confusion, [[1, 0, 0], [0, 1, 1], [1, 0, 1]])
        XCTAssertEqual(e.accuracy, 0.6)
        XCTAssertEqual(e.precision, [0.5, 1, 0.5])
        XCTAssertEqual(e.recall, [1, 0.5, 0.5])
        XCTAssertEqual(e.normalisedConfusion[1], [0, 0.5, 0.5])
        XCTAssertEqual(try e.topKAccuracy(1), 0.6)
        XCTAssertEqual(try e.topKAccuracy(2), 1)
        XCTAssertThrowsError(try confusionMatrix(predicted: [0, 3], actual: [0, 1], classes: 3))
    }

    func testModelFilesRoundTripAndRejectOtherModels() throws {
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
        XCTAssertEqual(loaded.classNames, ["cod", "eel"])
        XCTAssertEqual(loaded.inputShape, [4, 4, 1])
        XCTAssertEqual(try loaded.logits(data.inputs).scalars, try model.logits(data.inputs).scalars)

        var other = EngineRandom(seed: 3)
        let wrong = try Model(network: Sequential([try Conv2D(1, 3, kernelSize: 3, padding: .same, random: &other),
                                                   try BatchNorm(features: 3), ReLU(), try MaxPool(size: 2), Flatten(),
                                                   try Dense(12, 2, random: &other)]),
                              inputShape: [4, 4, 1], classNames: ["cod", "eel"])
        let before = wrong.network.parameters.map(\.value.scalars)
        XCTAssertThrowsError(try wrong.loadWeights(from: url)) { error in
            XCTAssertTrue(error is ModelFileError)
            XCTAssertTrue("\(error)".contains("0.weight has shape [3, 3, 1, 2] in the file but [3, 3, 1, 3] in this model"), "\(error)")
        }
        XCTAssertEqual(wrong.network.parameters.map(\.value.scalars), before, "a failed load changes nothing")

        XCTAssertThrowsError(try Model.load(from: directory.appendingPathComponent("missing.safetensors"))) {
            XCTAssertTrue("\($0)".contains("cannot read"), "\($0)")
        }
        let corrupt = directory.appendingPathComponent("corrupt.safetensors")
        try Data([200, 0, 0, 0, 0, 0, 0, 0, 123]).write(to: corrupt)
        XCTAssertThrowsError(try Model.load(from: corrupt)) { XCTAssertTrue("\($0)".contains("not a valid safetensors file"), "\($0)") }
    }

    func testHalfPrecisionDecoding() {
        XCTAssertEqual(SafeTensors.halfToFloat(0x3C00), 1)
        XCTAssertEqual(SafeTensors.halfToFloat(0xC000), -2)
        XCTAssertEqual(SafeTensors.halfToFloat(0x3555), 0.333251953125)
        XCTAssertEqual(SafeTensors.halfToFloat(0x0001), 0x1p-24)
        XCTAssertEqual(SafeTensors.halfToFloat(0x7C00), .infinity)
    }
}
