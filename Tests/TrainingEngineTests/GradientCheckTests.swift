import Testing
@testable import TrainingEngine

/// Every backward pass against central finite differences of the forward
/// pass. The scalar checked is L = Σ output ⊙ R for a fixed random R, so
/// that backward(R) must give dL/dinput and dL/dparameters.
@Suite final class GradientCheckTests {
    var random = EngineRandom(seed: 42)

    func randomTensor(_ shape: [Int], scale: Float = 1) throws -> Tensor {
        try Tensor(shape: shape) { _ in self.random.uniform(-scale, scale) }
    }

    /// Σ a ⊙ b in double precision.
    func dot(_ a: Tensor, _ b: Tensor) -> Double {
        (0..<a.count).reduce(0.0) { $0 + Double(a[flat: $1]) * Double(b[flat: $1]) }
    }

    /// Compares analytic gradients with central differences at up to
    /// `samples` positions of the input and of every trainable parameter.
    func check(_ make: () throws -> Layer, input shape: [Int], training: Bool = true, epsilon: Float = 1e-2,
               tolerance: Double = 2e-2, samples: Int = 24, beforeForward: (Layer) -> Void = { _ in },
               sourceLocation: SourceLocation = #_sourceLocation) throws {
        let layer = try make()
        let x = try randomTensor(shape)
        beforeForward(layer)
        let out = try layer.forward(x, training: training)
        let r = try randomTensor(out.shape)
        guard let dx = try layer.backward(r, needInputGradient: true) else {
            Issue.record("\(layer.name) gave no input gradient", sourceLocation: sourceLocation)
            return
        }
        #expect(dx.shape == x.shape, "\(layer.name): input gradient shape", sourceLocation: sourceLocation)
        func loss(_ input: Tensor) throws -> Double {
            beforeForward(layer)
            return dot(try layer.forward(input, training: training), r)
        }

        var positions = EngineRandom(seed: 7)
        func compare(_ what: String, analytic: Tensor, perturb: (Int, Float) throws -> Double) throws {
            let n = analytic.count
            let picks = n <= samples ? Array(0..<n) : (0..<samples).map { _ in Int(positions.next() % UInt64(n)) }
            var worst = 0.0
            for i in picks {
                let numeric = (try perturb(i, epsilon) - (try perturb(i, -epsilon))) / (2 * Double(epsilon))
                let a = Double(analytic[flat: i])
                let error = abs(a - numeric) / max(1, abs(a), abs(numeric))
                worst = max(worst, error)
            }
            #expect(worst < tolerance, "\(layer.name): \(what) gradient differs from finite differences", sourceLocation: sourceLocation)
        }
        try compare("input", analytic: dx) { i, e in
            var shifted = x
            shifted[flat: i] += e
            return try loss(shifted)
        }
        for p in layer.parameters where !layer.isFrozen {
            let analytic = p.gradient
            try compare(p.name, analytic: analytic) { i, e in
                let saved = p.value
                defer { p.value = saved }
                var shifted = saved
                shifted[flat: i] += e
                p.value = shifted
                return try loss(x)
            }
        }
    }

    @Test func dense() throws {
        try check({ try Dense(7, 5, random: &random) }, input: [4, 7])
        // 16 outputs: the narrow products' path, where the processor has it.
        try check({ try Dense(20, 16, random: &random) }, input: [5, 20])
    }

    @Test func convolutions() throws {
        try check({ try Conv2D(3, 4, kernelSize: 3, random: &random) }, input: [2, 6, 6, 3])
        try check({ try Conv2D(3, 4, kernelSize: 3, padding: .explicit(1), random: &random) }, input: [2, 5, 5, 3])
        try check({ try Conv2D(2, 3, kernelSize: 3, stride: 2, padding: .same, random: &random) }, input: [2, 7, 6, 2])
        try check({ try Conv2D(2, 3, kernelSize: 5, stride: 2, padding: .same, useBias: false, random: &random) }, input: [1, 8, 8, 2])
        try check({ try Conv2D(5, 3, kernelSize: 1, random: &random) }, input: [2, 3, 3, 5])
        // 16 outputs and a 72-wide window: the narrow products' path (where the processor has it).
        try check({ try Conv2D(8, 16, kernelSize: 3, padding: .explicit(1), random: &random) }, input: [2, 5, 4, 8])
    }

    @Test func depthwiseConvolution() throws {
        try check({ try DepthwiseConv2D(channels: 9, kernelSize: 3, random: &random) }, input: [2, 5, 5, 9])
        try check({ try DepthwiseConv2D(channels: 4, kernelSize: 5, stride: 2, useBias: false, random: &random) }, input: [2, 7, 7, 4])
    }

    @Test func batchNorm() throws {
        try check({
            let bn = try BatchNorm(features: 10)
            bn.scale.value = try randomTensor([10])
            bn.shift.value = try randomTensor([10])
            return bn
        }, input: [6, 10])
        try check({ try BatchNorm(features: 3) }, input: [2, 3, 3, 3])
        // Frozen (inference statistics), as a pretrained backbone is fine-tuned.
        try check({
            let bn = try BatchNorm(features: 4)
            try bn.setBuffer("runningMean", randomTensor([4]))
            try bn.setBuffer("runningVariance", Tensor(shape: [4], scalars: [0.5, 1, 2, 4]))
            bn.isFrozen = true
            return bn
        }, input: [5, 4])
    }

    @Test func activations() throws {
        try check({ ReLU() }, input: [3, 11], epsilon: 1e-3)
        try check({ ReLU(cap: 6) }, input: [3, 2, 2, 5], epsilon: 1e-3)
        // Dropout reseeded before every pass draws the same mask each time.
        try check({ try Dropout(rate: 0.3, seed: 5) }, input: [4, 9], beforeForward: { ($0 as? Dropout)?.reseed(5) })
        try check({ Flatten() }, input: [2, 3, 2, 2])
    }

    @Test func dropoutMaskIsSeeded() throws {
        let x = try Tensor(repeating: 1, shape: [4, 50])
        let a = try Dropout(rate: 0.5, seed: 9).forward(x, training: true)
        let b = try Dropout(rate: 0.5, seed: 9).forward(x, training: true)
        #expect(a.scalars == b.scalars)
        #expect(a.scalars.allSatisfy { $0 == 0 || $0 == 2 })
        #expect(try (Dropout(rate: 0.5, seed: 9).forward(x, training: false).scalars) == x.scalars)
    }

    @Test func pooling() throws {
        try check({ try MaxPool(size: 2) }, input: [2, 6, 6, 9], epsilon: 1e-3)
        try check({ try MaxPool(size: 3, stride: 2, padding: .same) }, input: [2, 7, 7, 3], epsilon: 1e-3)
        try check({ try AveragePool(size: 2) }, input: [2, 4, 4, 10])
        try check({ try AveragePool(size: 3, stride: 2, padding: .same) }, input: [1, 5, 5, 2])
        try check({ GlobalAveragePool() }, input: [3, 4, 4, 11])
    }

    @Test func sequentialAndResidual() throws {
        try check({
            var r = EngineRandom(seed: 3)
            return Sequential([
                try Conv2D(2, 4, kernelSize: 3, padding: .same, random: &r), try BatchNorm(features: 4), ReLU(cap: 6),
                Residual(Sequential([try DepthwiseConv2D(channels: 4, kernelSize: 3, random: &r),
                                     try Conv2D(4, 4, kernelSize: 1, random: &r)])),
                GlobalAveragePool(), try Dense(4, 3, random: &r),
            ])
        }, input: [3, 5, 5, 2], epsilon: 5e-3)
    }

    /// A ReLU before a max pool runs after it (they commute); the outputs and
    /// gradients are those of the written order.
    @Test func reLUBeforeMaxPoolRunsAfterItWithTheSameResults() throws {
        var r = EngineRandom(seed: 8)
        let conv = try Conv2D(2, 8, kernelSize: 3, padding: .same, random: &r)
        let network = Sequential([conv, ReLU(cap: 6), try MaxPool(size: 2), Flatten(), try Dense(32, 3, random: &r)])
        #expect(network.executionOrder == [0, 2, 1, 3, 4])
        let x = try randomTensor([3, 4, 4, 2], scale: 3)
        var written = try conv.forward(x, training: false)
        for layer in network.layers.dropFirst() { written = try layer.forward(written, training: false) }
        #expect(try (network.forward(x, training: false).scalars) == written.scalars)
        try check({ network }, input: [3, 4, 4, 2], epsilon: 1e-3)
    }

    /// In training a plain ReLU next to a max pool runs inside the pool's pass
    /// (the fast 2×2 path with 8 channels, and the general one with 3): the
    /// same values and gradients as the two layers one after the other.
    @Test func maxPoolWithReLUInOnePass() throws {
        for (channels, pool) in [(8, try MaxPool(size: 2)), (3, try MaxPool(size: 3, stride: 2, padding: .same))] {
            var r = EngineRandom(seed: 9)
            let conv = try Conv2D(2, channels, kernelSize: 3, padding: .same, random: &r)
            let network = Sequential([conv, ReLU(), pool, Flatten()])
            let x = try randomTensor([2, 6, 6, 2], scale: 3)
            var written = try conv.forward(x, training: false)
            for layer in network.layers.dropFirst() { written = try layer.forward(written, training: false) }
            let out = try network.forward(x, training: true)
            #expect(out.scalars == written.scalars)
            let gy = try randomTensor(out.shape)
            let fused = try #require(try network.backward(gy, needInputGradient: true))
            let fusedWeight = try conv.weight.gradient.copy()
            // The same layers one at a time.
            var h = x
            for layer in network.layers { h = try layer.forward(h, training: true) }
            var g: Tensor = gy
            for layer in network.layers.reversed() { g = try #require(try layer.backward(g, needInputGradient: true)) }
            #expect(fused.scalars == g.scalars, "input gradient with \(channels) channels")
            #expect(fusedWeight.scalars == conv.weight.gradient.scalars, "weight gradient with \(channels) channels")
        }
    }

    /// In training a convolution read in place (stride 1, a multiple of 8
    /// outputs), its plain ReLU and a 2×2 max pool run image by image in one
    /// pass: the same outputs and the same input, weight and bias gradients
    /// as the layers one at a time, with input gradients through a second
    /// such block (8 inputs) and through the general path (3 inputs); and
    /// the gradients agree with finite differences.
    @Test func convolutionReLUAndMaxPoolInOnePass() throws {
        for inputs in [8, 3] {
            var r = EngineRandom(seed: 10)
            let first = try Conv2D(inputs, 16, kernelSize: 3, padding: .explicit(1), random: &r)
            let second = try Conv2D(16, 8, kernelSize: 3, padding: .same, random: &r)
            for p in [first.bias!, second.bias!] { p.value = try randomTensor(p.value.shape) }
            let network = Sequential([first, ReLU(), try MaxPool(size: 2), second, ReLU(), try MaxPool(size: 2), Flatten()])
            let x = try randomTensor([3, 8, 8, inputs], scale: 2)
            let out = try network.forward(x, training: true)
            let gy = try randomTensor(out.shape)
            let fused = try #require(try network.backward(gy, needInputGradient: true))
            let fusedGradients = try network.parameters.map { try $0.gradient.copy() }
            var h = x
            for layer in network.layers { h = try layer.forward(h, training: true) }
            #expect(out.scalars == h.scalars, "output with \(inputs) inputs")
            var g: Tensor = gy
            for layer in network.layers.reversed() { g = try #require(try layer.backward(g, needInputGradient: true)) }
            #expect(fused.scalars == g.scalars, "input gradient with \(inputs) inputs")
            for (p, kept) in zip(network.parameters, fusedGradients) {
                #expect(kept.scalars == p.gradient.scalars, "\(p.name) gradient with \(inputs) inputs")
            }
            try check({
                Sequential([try Conv2D(inputs, 8, kernelSize: 3, padding: .same, random: &r), ReLU(), try MaxPool(size: 2), Flatten()])
            }, input: [2, 4, 4, inputs], epsilon: 1e-3)
        }
    }

    @Test func softmaxCrossEntropy() throws {
        for smoothing: Float in [0, 0.1] {
            let loss = SoftmaxCrossEntropy(labelSmoothing: smoothing)
            let logits = try randomTensor([5, 4], scale: 3)
            let labels = [0, 3, 1, 1, 2]
            let analytic = try loss(logits, labels: labels).gradient
            for i in 0..<logits.count {
                var plus = logits, minus = logits
                plus[flat: i] += 1e-2
                minus[flat: i] -= 1e-2
                let numeric = (try loss(plus, labels: labels).value - loss(minus, labels: labels).value) / 2e-2
                #expect(abs((analytic[flat: i]) - numeric) <= (2e-3))
            }
        }
        // Stable with huge logits.
        let big = try Tensor(shape: [1, 3], scalars: [1000, -1000, 0])
        let result = try SoftmaxCrossEntropy()(big, labels: [1])
        #expect(abs(result.value - 2000) <= (1e-2))
        #expect(result.gradient.scalars.allSatisfy { $0.isFinite })
    }

    @Test func meanSquaredError() throws {
        let mse = MeanSquaredError()
        let y = try randomTensor([4, 3]), t = try randomTensor([4, 3])
        let analytic = try mse(y, targets: t).gradient
        for i in 0..<y.count {
            var plus = y, minus = y
            plus[flat: i] += 1e-2
            minus[flat: i] -= 1e-2
            let numeric = (try mse(plus, targets: t).value - mse(minus, targets: t).value) / 2e-2
            #expect(abs((analytic[flat: i]) - numeric) <= (1e-3))
        }
    }

    /// The backward of broadcasting (sum(to:)) and of the matrix product,
    /// checked through L = Σ (a·b + bias) ⊙ R.
    @Test func matmulAndBroadcastOperations() throws {
        let a = try randomTensor([3, 4]), b = try randomTensor([4, 5]), bias = try randomTensor([5])
        let r = try randomTensor([3, 5])
        func loss(_ a: Tensor, _ b: Tensor, _ bias: Tensor) throws -> Double { dot(try a.matmul(b) + bias, r) }
        let da = try r.matmul(b, transposeOther: true)
        let db = try a.matmul(r, transposeSelf: true)
        let dbias = try r.sum(to: [5])
        for (name, analytic, which) in [("a", da, 0), ("b", db, 1), ("bias", dbias, 2)] {
            for i in 0..<analytic.count {
                var t = [a, b, bias]
                t[which][flat: i] += 1e-2
                let up = try loss(t[0], t[1], t[2])
                t[which][flat: i] -= 2e-2
                let down = try loss(t[0], t[1], t[2])
                #expect(abs((Double(analytic[flat: i])) - ((up - down) / 2e-2)) <= (1e-3), "\(name)")
            }
        }
        // Element-wise product with broadcasting: d(x ⊙ s)/ds sums over rows.
        let x = try randomTensor([3, 5]), s = try randomTensor([1, 5])
        let ds = try (x * r).sum(to: [1, 5])
        for i in 0..<5 {
            var up = s, down = s
            up[flat: i] += 1e-2
            down[flat: i] -= 1e-2
            #expect(abs((Double(ds[flat: i])) - ((dot(try x * up, r) - dot(try x * down, r)) / 2e-2)) <= (1e-3))
        }
    }

    /// Inference folds batch norm into the convolution before it and runs
    /// activations in place: the same numbers as running each layer.
    @Test func inferenceShortcutsGiveTheSameOutputs() throws {
        var r = EngineRandom(seed: 12)
        let bn1 = try BatchNorm(features: 6), bn2 = try BatchNorm(features: 6)
        for bn in [bn1, bn2] {
            try bn.setBuffer("runningMean", randomTensor([6]))
            try bn.setBuffer("runningVariance", Tensor(shape: [6]) { _ in r.uniform(0.5, 2) })
            bn.scale.value = try randomTensor([6])
            bn.shift.value = try randomTensor([6])
        }
        let network = Sequential([try Conv2D(3, 6, kernelSize: 3, stride: 2, padding: .same, random: &r), bn1, ReLU(cap: 6),
                                  try DepthwiseConv2D(channels: 6, kernelSize: 3, useBias: false, random: &r), bn2, ReLU(),
                                  GlobalAveragePool()])
        let x = try randomTensor([2, 7, 7, 3], scale: 2)
        var slow = x
        for layer in network.layers { slow = try layer.forward(slow, training: false) }
        let fast = try network.forward(x, training: false)
        #expect(try fast.maxAbsDifference(slow) < (1e-5))
        // A network that starts with an activation leaves its caller's tensor alone.
        let before = x.scalars
        let relu = try Sequential([ReLU()]).forward(x, training: false)
        #expect(x.scalars == before, "the input is not changed in place")
        #expect(relu.scalars == (before.map { max($0, 0) }))
    }

    /// The same network, each layer run by itself (nested blocks too): no folding, no fusion.
    func unfused(_ layer: Layer, _ x: Tensor) throws -> Tensor {
        if let s = layer as? Sequential { return try s.layers.reduce(x) { try unfused($1, $0) } }
        if let r = layer as? Residual { return try unfused(r.body, x) + x }
        return try layer.forward(x, training: false)
    }

    /// EfficientNet-Lite0's inference, with every batch norm folded into its
    /// convolution and every ReLU6 applied as the convolution stores its
    /// output, gives the numbers of running each layer by itself (within
    /// 1e-5), on the engine's own kernels (inverted-residual blocks image by
    /// image, on one core and on all) and on the plain ones.
    @Test func fusedEfficientNetInferenceMatchesTheUnfusedLayers() throws {
        defer { Engine.usesNarrowProducts = Narrow.supported }
        var r = EngineRandom(seed: 21)
        let (network, _) = try EfficientNetLite0.make(classes: 4, seed: 3)
        for entry in network.namedTensors where !entry.isParameter || entry.key == "scale" || entry.key == "shift" {
            let n = entry.value.count
            let value: Tensor
            switch entry.key {
            case "runningVariance": value = try Tensor(shape: [n]) { _ in r.uniform(0.5, 2) }
            case "scale": value = try Tensor(shape: [n]) { _ in r.uniform(0.3, 1) }
            default: value = try Tensor(shape: [n]) { _ in r.uniform(-0.3, 0.3) }
            }
            try Sequential.assign(entry, value)
        }
        let x = try randomTensor([3, 64, 48, 3])
        let features = Sequential(Array(network.layers.prefix(EfficientNetLite0.featureLayers)))
        Engine.usesNarrowProducts = false  // the reference runs every layer on the plain kernels
        let slow = try unfused(features, x)
        #expect(slow.shape == [3, 1280])
        #expect(slow.scalars.contains { $0 > 0.1 }, "the features are not all zero")
        // With the engine's kernels, the 16 inverted-residual blocks run one
        // image at a time per core (on one core, and on all of them when the
        // batch has an image for each).
        Engine.usesNarrowProducts = true
        #expect(features.layers.filter { InvertedResidual($0) != nil }.count == (Narrow.supported ? 16 : 0))
        let cores = Engine.threads
        defer { Engine.threads = cores }
        for (narrow, threads) in [(true, 1), (true, cores), (false, cores)] where narrow == false || Narrow.supported {
            Engine.usesNarrowProducts = narrow
            Engine.threads = threads
            let fast = try features.forward(x, training: false)
            #expect(try fast.maxAbsDifference(slow) < (1e-5), "narrow kernels: \(narrow), \(threads) cores")
        }
    }

    /// Training with a frozen bottom: the frozen layers run as inference
    /// (folded, fused) when no input gradient is wanted, and the output and
    /// the trainable layers' gradients are those of the ordinary pass.
    @Test func frozenLayersRunAsInferenceInTraining() throws {
        var r = EngineRandom(seed: 30)
        func network() throws -> Sequential {
            var w = EngineRandom(seed: 31)
            let bn = try BatchNorm(features: 8)
            try bn.setBuffer("runningMean", Tensor(shape: [8]) { _ in w.uniform(-0.5, 0.5) })
            try bn.setBuffer("runningVariance", Tensor(shape: [8]) { _ in w.uniform(0.5, 2) })
            let net = Sequential([try Conv2D(3, 8, kernelSize: 3, padding: .same, useBias: false, random: &w), bn, ReLU(cap: 6),
                                  try DepthwiseConv2D(channels: 8, kernelSize: 3, stride: 2, random: &w), ReLU(),
                                  GlobalAveragePool(), try Dense(8, 3, random: &w)])
            for layer in net.layers.prefix(4) { layer.isFrozen = true }
            return net
        }
        let x = try Tensor(shape: [4, 9, 9, 3]) { _ in r.uniform(-2, 2) }
        let g = try Tensor(shape: [4, 3]) { _ in r.uniform(-1, 1) }
        let (plain, shortcut) = (try network(), try network())
        let a = try plain.forward(x, training: true)
        _ = try plain.backward(g, needInputGradient: false)
        let b = try shortcut.forward(x, training: true, needsInputGradient: false)
        _ = try shortcut.backward(g, needInputGradient: false)
        #expect(try a.maxAbsDifference(b) < (1e-5))
        let (dense1, dense2) = (try #require(plain.layers.last as? Dense), try #require(shortcut.layers.last as? Dense))
        #expect(try dense1.weight.gradient.maxAbsDifference(dense2.weight.gradient) < (1e-5))
        #expect(dense1.weight.gradient.scalars.contains { $0 != 0 }, "the head has a gradient")
    }
}
