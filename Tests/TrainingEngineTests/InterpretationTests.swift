import Foundation
import Testing
@testable import TrainingEngine

/// A small CNN whose layers after the feature map include batch norm (with
/// running statistics of its own) and dropout: Grad-CAM must use the one's
/// statistics and leave the other out.
func smallCNN(seed: UInt64 = 3) throws -> (network: Sequential, model: Model, data: LabelledDataset) {
    var r = EngineRandom(seed: seed)
    let network = Sequential([
        try Conv2D(3, 8, kernelSize: 3, padding: .same, random: &r), ReLU(),
        try Conv2D(8, 8, kernelSize: 3, stride: 2, padding: .same, random: &r), ReLU(),
        Flatten(), try BatchNorm(features: 8 * 6 * 6), try Dropout(rate: 0.5, seed: 9), try Dense(8 * 6 * 6, 3, random: &r),
    ])
    let inputs = try Tensor(shape: [24, 12, 12, 3]) { _ in r.uniform(-1, 1) }
    let data = try LabelledDataset(inputs: inputs, labels: (0..<24).map { $0 % 3 }, classNames: ["a", "b", "c"])
    let model = try Model(network: network, inputShape: [12, 12, 3], classNames: data.classNames)
    _ = try model.fit(data, epochs: 2, batchSize: 8, optimizer: SGD(learningRate: 0.05), seed: 1)
    return (network, model, data)
}

func values(_ model: Model) throws -> [[Float]] { try model.snapshot().map(\.scalars) }

@Suite("Grad-CAM") struct GradCAMEngineTests {
    /// The map from the gradient Grad-CAM takes equals the map from a
    /// finite-difference gradient of the same score through the layers after
    /// the feature map, run as inference.
    @Test(arguments: [GradCAM.Score.logit, .logProbability])
    func matchesFiniteDifferences(score: GradCAM.Score) throws {
        let (network, model, data) = try smallCNN()
        let before = try values(model)
        let x = try data.inputs.slice(0..<2)
        let result = try GradCAM.explain(network, inputShape: [12, 12, 3], inputs: x, classes: [1, 2], score: score)
        #expect(result.layer == 3 && result.mapHeight == 6 && result.mapWidth == 6)
        #expect(try values(model) == before, "explaining changes no weight and no statistic")
        let head = Sequential(Array(network.layers[4...]))
        for (i, c) in [1, 2].enumerated() {
            let a = try Sequential(Array(network.layers[...3])).forward(x.slice(i..<(i + 1)), training: false)
            func scoreOf(_ features: Tensor) throws -> Double {
                let logits = try head.forward(features, training: false).scalars.map(Double.init)
                let top = logits.max() ?? 0
                let logSum = top + Foundation.log(logits.reduce(0) { $0 + Foundation.exp($1 - top) })
                return score == .logit ? logits[c] : logits[c] - logSum
            }
            var gradient = [Double](repeating: 0, count: a.count)
            for j in 0..<a.count {
                var up = try a.copy(), down = try a.copy()
                up.withUnsafeMutableBufferPointer { $0[j] += 1e-2 }
                down.withUnsafeMutableBufferPointer { $0[j] -= 1e-2 }
                gradient[j] = (try scoreOf(up) - scoreOf(down)) / 2e-2
            }
            let features = a.scalars
            let alpha = (0..<8).map { k in stride(from: k, to: a.count, by: 8).map { gradient[$0] }.reduce(0, +) / 36 }
            let expected = (0..<36).map { p in max(0, (0..<8).reduce(0.0) { $0 + alpha[$1] * Double(features[p * 8 + $1]) }) }
            let spread = max(expected.max() ?? 0, 1e-6)
            let worst = zip(result.maps[i], expected).map { abs(Double($0) - $1) }.max() ?? .infinity
            #expect(worst / spread < 1e-2, "picture \(i): largest difference \(worst) of \(spread)")
        }
    }

    /// Frozen or not, the gradient reaches the feature map, the map is the
    /// same, and the frozen flags are as they were.
    @Test func worksWhateverIsFrozen() throws {
        let (network, _, data) = try smallCNN()
        let x = try data.inputs.slice(0..<3)
        let open = try GradCAM.explain(network, inputShape: [12, 12, 3], inputs: x)
        network.isFrozen = true
        network.layers[7].isFrozen = false
        let frozen = try GradCAM.explain(network, inputShape: [12, 12, 3], inputs: x)
        #expect(open.maps == frozen.maps)
        #expect(open.maps.allSatisfy { $0.contains { $0 > 0 } }, "every map has some heat")
        #expect(network.layers.map(\.isFrozen) == [true, true, true, true, true, true, true, false])
    }

    @Test func needsAConvolution() throws {
        var r = EngineRandom(seed: 1)
        let mlp = Sequential([Flatten(), try Dense(12 * 12 * 3, 16, random: &r), ReLU(), try Dense(16, 3, random: &r)])
        #expect(throws: NotExplainable.self) {
            try GradCAM.explain(mlp, inputShape: [12, 12, 3], inputs: Tensor(zeros: [1, 12, 12, 3]))
        }
    }

    @Test func resizeKeepsValuesAndCentres() {
        let map: [Float] = [0, 1, 2, 3]
        #expect(GradCAM.resize(map, height: 2, width: 2, toHeight: 2, toWidth: 2) == map)
        let big = GradCAM.resize(map, height: 2, width: 2, toHeight: 4, toWidth: 4)
        // PyTorch's bilinear, align_corners=False: the first row is 0, 0.25, 0.75, 1.
        #expect(Array(big.prefix(4)) == [0, 0.25, 0.75, 1])
    }
}

@Suite("learning-rate finder") struct LearningRateFinderTests {
    /// The finder leaves the model exactly as it was: weights, batch norm's
    /// statistics and dropout's masks, so training afterwards gives the same
    /// losses as training without it.
    @Test func leavesTheModelAsItWas() throws {
        let (_, model, data) = try smallCNN()
        let before = try values(model)
        let sweep = try model.findLearningRate(data, batchSize: 4, start: 1e-4, end: 10, steps: 30, optimizer: SGD(learningRate: 0.01))
        #expect(sweep.rates.count >= 10)
        #expect(try values(model) == before)
        let after = try model.fit(data, epochs: 2, batchSize: 8, optimizer: SGD(learningRate: 0.05), seed: 4)
        let (_, twin, _) = try smallCNN()
        let untouched = try twin.fit(data, epochs: 2, batchSize: 8, optimizer: SGD(learningRate: 0.05), seed: 4)
        #expect(after.epochs.map(\.trainingLoss) == untouched.epochs.map(\.trainingLoss))
    }

    /// The rates rise exponentially; the suggestion is where the smoothed
    /// loss falls fastest, before its lowest point; a rate far too high blows
    /// the loss up and the sweep stops there.
    @Test func suggestsWhereTheLossFallsFastest() throws {
        var r = EngineRandom(seed: 5)
        let inputs = try Tensor(shape: [512, 2]) { _ in r.uniform(-1, 1) }
        let labels = (0..<512).map { i in inputs[flat: 2 * i] + inputs[flat: 2 * i + 1] > 0 ? 1 : 0 }
        let data = try LabelledDataset(inputs: inputs, labels: labels, classNames: ["below", "above"])
        let model = try Model(network: Sequential([try Dense(2, 16, random: &r), ReLU(), try Dense(16, 2, random: &r)]),
                              inputShape: [2], classNames: data.classNames)
        let sweep = try model.findLearningRate(data, batchSize: 16, start: 1e-5, end: 100, steps: 120, optimizer: SGD(learningRate: 0.1))
        let ratios = zip(sweep.rates.dropFirst(), sweep.rates).map { Double($0 / $1) }
        #expect(ratios.allSatisfy { abs($0 - ratios[0]) < 1e-3 }, "a constant factor from one batch to the next")
        #expect(sweep.stoppedEarly, "SGD at a rate of 100 makes the loss blow up")
        let lowest = try #require(sweep.smoothed.indices.min { sweep.smoothed[$0] < sweep.smoothed[$1] })
        let slopes = sweep.slopes
        #expect(sweep.suggestedIndex < lowest)
        #expect(sweep.smoothed[sweep.suggestedIndex] < sweep.smoothed[0])
        let steepest = try #require((sweep.rates.count / 10...lowest).min { slopes[$0] < slopes[$1] })
        #expect(sweep.suggestedIndex == steepest)
        #expect(slopes[sweep.suggestedIndex] < 0)
        #expect(sweep.smoothed == LearningRateSweep.centred(sweep.losses, reach: sweep.losses.count / 20))
    }
}

extension LearningRateFinderTests {
    /// The plotted curve changes where the losses change, not batches later:
    /// a loss that drops from 1 to 0 at batch 50 of 100 shows the drop
    /// centred on batch 50, and flat on either side beyond the window.
    @Test func smoothedCurveDoesNotLagTheRate() {
        let losses = (0..<100).map { $0 < 50 ? Float(1) : 0 }
        let s = LearningRateSweep.centred(losses, reach: 5)
        #expect(s[44] == 1 && s[55] == 0)
        #expect(abs(s[49] - 6 / 11) < 1e-6 && abs(s[50] - 5 / 11) < 1e-6)
        #expect(s[0] == 1 && s[99] == 0, "the ends average the batches they have")
    }
}

@Suite("augmentation") struct AugmentationTests {
    func picture(_ seed: UInt64 = 2, side: Int = 16) throws -> Tensor {
        var r = EngineRandom(seed: seed)
        return try Tensor(shape: [1, side, side, 3]) { _ in r.uniform(-1, 1) }
    }

    func applied(_ d: Augmentation.Draw, to x: Tensor) throws -> Tensor {
        var y = try x.copy()
        let (h, w, c) = (x.shape[1], x.shape[2], x.shape[3])
        var scratch = [Float](repeating: 0, count: h * w * c)
        y.withUnsafeMutableBufferPointer { p in
            scratch.withUnsafeMutableBufferPointer { s in Augmentation().applyOne(d, to: p.baseAddress!, height: h, width: w, channels: c, scratch: s.baseAddress!) }
        }
        return y
    }

    @Test func sameSeedSamePictures() throws {
        let all = Augmentation(horizontalFlip: true, cropPadding: 2, brightness: 0.1, rotation: 20, zoom: 0.2, crop: 0.3, hue: 0.1,
                               saturation: 0.4, blur: 1.5)
        let x = try Tensor.concatenate([try picture(1), try picture(2), try picture(3)])
        func run(_ seed: UInt64) throws -> [Float] {
            var y = try x.copy(), r = EngineRandom(seed: seed)
            try all.apply(to: &y, random: &r)
            return y.scalars
        }
        #expect(try run(7) == run(7))
        #expect(try run(7) != run(8))
        #expect(try run(7) != x.scalars)
    }

    @Test func aQuarterTurnMovesEveryPixel() throws {
        let x = try picture()
        var d = Augmentation.Draw()
        d.angle = 90
        let y = try applied(d, to: x)
        // Output (x, y) reads the source at (w − 1 − y, x) for a quarter turn about the centre.
        for (oy, ox) in [(0, 0), (3, 11), (15, 7)] {
            for k in 0..<3 {
                #expect(abs(y[flat: (oy * 16 + ox) * 3 + k] - x[flat: (ox * 16 + (15 - oy)) * 3 + k]) < 1e-4)
            }
        }
    }

    @Test func cropOfHalfIsZoomOfTwo() throws {
        let x = try picture()
        var crop = Augmentation.Draw(), zoom = Augmentation.Draw()
        crop.cropSide = 0.5
        crop.cropCentre = (8, 8)
        zoom.zoom = 2
        #expect(try applied(crop, to: x).scalars == applied(zoom, to: x).scalars)
    }

    @Test func coloursTurnAroundGrey() throws {
        let grey = try Tensor(shape: [1, 4, 4, 3]) { i in Float(i / 3) / 16 - 0.5 }
        var d = Augmentation.Draw()
        d.hue = 0.3
        d.saturation = 1.6
        #expect(try applied(d, to: grey).scalars.enumerated().allSatisfy { abs($0.element - grey.scalars[$0.offset]) < 1e-5 })
        // A third of the wheel takes pure red to pure green.
        let red = try Tensor(shape: [1, 1, 1, 3], scalars: [1, -1, -1])
        var third = Augmentation.Draw()
        third.hue = 1.0 / 3
        #expect(try applied(third, to: red).scalars.enumerated().allSatisfy { abs($0.element - [-1, 1, -1][$0.offset]) < 1e-4 })
        // No saturation leaves the luma as grey.
        var none = Augmentation.Draw()
        none.saturation = 0
        let out = try applied(none, to: red).scalars
        #expect(abs(out[0] - out[1]) < 1e-5 && abs(out[1] - out[2]) < 1e-5)
    }

    @Test func blurSmoothsAndKeepsFlatColour() throws {
        var d = Augmentation.Draw()
        d.blur = 1.5
        let flat = try Tensor(repeating: 0.25, shape: [1, 8, 8, 3])
        #expect(try applied(d, to: flat).scalars.allSatisfy { abs($0 - 0.25) < 1e-5 })
        let x = try picture()
        func variance(_ v: [Float]) -> Float {
            let m = v.reduce(0, +) / Float(v.count)
            return v.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Float(v.count)
        }
        #expect(variance(try applied(d, to: x).scalars) < variance(x.scalars) / 2)
    }

    @Test func strengthsOutOfRangeAreErrors() {
        for bad in [Augmentation(rotation: -1), Augmentation(zoom: 1), Augmentation(hue: 0.7), Augmentation(blur: .nan)] {
            #expect(throws: InvalidArgument.self) { try bad.validate() }
        }
        #expect(throws: Never.self) { try Augmentation(rotation: 180, zoom: 0.9, crop: 0.9, hue: 0.5, saturation: 1, blur: 10).validate() }
    }
}

@Suite("an evaluation's mistakes") struct MistakeTests {
    @Test func topLossesAndMostConfused() throws {
        var r = EngineRandom(seed: 11)
        let logits = try Tensor(shape: [60, 4]) { _ in 3 * r.normal() }
        let labels = (0..<60).map { _ in Int(r.next() % 4) }
        let e = try Evaluation(logits: logits, labels: labels, classNames: ["a", "b", "c", "d"],
                               loss: SoftmaxCrossEntropy()(logits, labels: labels).value)
        let losses = e.sampleLosses
        #expect(abs(losses.reduce(0, +) / 60 - e.loss) < 1e-4, "their mean is the evaluation's loss")
        let top = e.topLosses(10)
        #expect(top.count == 10)
        #expect(zip(top, top.dropFirst()).allSatisfy { losses[$0] >= losses[$1] }, "highest first")
        #expect(losses[top[0]] == losses.max())
        let p = try e.probabilities()
        for i in top { #expect(abs(Double(losses[i]) + Foundation.log(Double(p[flat: i * 4 + labels[i]]))) < 1e-4) }
        let pairs = e.mostConfused()
        let offDiagonal = e.confusion.indices.reduce(0) { total, a in total + e.confusion[a].indices.filter { $0 != a }.reduce(0) { $0 + e.confusion[a][$1] } }
        #expect(pairs.reduce(0) { $0 + $1.count } == offDiagonal)
        #expect(pairs.allSatisfy { $0.actual != $0.predicted && e.confusion[$0.actual][$0.predicted] == $0.count })
        #expect(zip(pairs, pairs.dropFirst()).allSatisfy { $0.count >= $1.count })
        #expect(e.mostConfused(minimum: 3).allSatisfy { $0.count >= 3 })
    }
}
