import Testing
@testable import TrainingEngine

/// The engine's own narrow products (used for convolutions' window matrices
/// on processors with AVX2 and FMA, and on ARM) against OpenBLAS, and
/// convolutions checked with them on and off.
@Suite(.enabled(if: Narrow.supported, "this processor has no AVX2 and FMA: convolutions use OpenBLAS only"))
final class NarrowProductTests {
    var random = EngineRandom(seed: 7)

    deinit { Engine.usesNarrowProducts = Narrow.supported; Engine.usesWinograd = true; Engine.usesWideProducts = Narrow.wideSupported }

    func matrix(_ rows: Int, _ cols: Int) throws -> Tensor {
        try Tensor(shape: [rows, cols]) { _ in self.random.uniform(-1, 1) }
    }

    func maxDifference(_ a: Tensor, _ b: Tensor) -> Float {
        (0..<a.count).reduce(0) { max($0, abs(a[flat: $1] - b[flat: $1])) }
    }

    /// Every block shape and every kind of leftover row and column.
    @Test func productsAgreeWithOpenBLAS() throws {
        for (m, n, k) in [(1, 8, 1), (5, 8, 3), (13, 8, 27), (7, 16, 9), (20, 16, 144), (4, 32, 5), (31, 32, 144),
                          (17, 24, 10), (9, 40, 12), (26, 48, 33), (50, 144, 32), (3, 256, 7)] {
            let a = try matrix(m, k), b = try matrix(k, n)
            for accumulate in [false, true] {
                let narrow = try matrix(m, n), blas = try narrow.copy()
                Narrow.multiply(m: m, n: n, k: k, a: a.pointer, lda: k, b: b.pointer, ldb: n, c: narrow.pointer, ldc: n,
                                accumulate: accumulate)
                BLAS.sgemm(transA: false, transB: false, m: m, n: n, k: k, a: a.pointer, lda: k, b: b.pointer, ldb: n,
                           beta: accumulate ? 1 : 0, c: blas.pointer, ldc: n)
                #expect(maxDifference(narrow, blas) < (1e-4), "C = A·B, \(m)×\(n)×\(k), accumulate \(accumulate)")
            }
        }
    }

    @Test func transposedProductsAgreeWithOpenBLAS() throws {
        for (r, m, n) in [(1, 1, 8), (3, 5, 8), (300, 27, 16), (129, 13, 16), (257, 144, 32), (10, 7, 24), (40, 14, 48)] {
            let a = try matrix(r, m), b = try matrix(r, n)
            for accumulate in [false, true] {
                let narrow = try matrix(m, n), blas = try narrow.copy()
                Narrow.multiplyTransposedA(r: r, m: m, n: n, a: a.pointer, lda: m, b: b.pointer, ldb: n, c: narrow.pointer,
                                           ldc: n, accumulate: accumulate)
                BLAS.sgemm(transA: true, transB: false, m: m, n: n, k: r, a: a.pointer, lda: m, b: b.pointer, ldb: n,
                           beta: accumulate ? 1 : 0, c: blas.pointer, ldc: n)
                #expect(maxDifference(narrow, blas) < (1e-3), "C = Aᵀ·B, \(r)×\(m)×\(n), accumulate \(accumulate)")
            }
        }
    }

    /// Where the processor has AVX-512 the products run on `WideKernels`:
    /// exactly the AVX2 kernels' sums (the same multiply-adds in the same
    /// order), with bias, clamp and accumulation, for every block and
    /// leftover of rows and columns (a last eight columns stay on AVX2).
    @Test(.enabled(if: Narrow.wideSupported, "this processor has no AVX-512"))
    func wideProductsGiveTheAVX2Sums() throws {
        for (m, n, k) in [(1, 16, 1), (5, 16, 3), (13, 24, 27), (7, 32, 9), (20, 48, 144), (6, 40, 5), (31, 112, 144),
                          (64, 32, 16), (64, 16, 32), (50, 144, 32), (3, 256, 7), (385, 1152, 40)] {
            let a = try matrix(m, k), b = try matrix(k, n), bias = try matrix(1, n)
            for (accumulate, clamp) in [(false, false), (true, false), (false, true), (true, true)] {
                var results: [[Float]] = []
                for wide in [true, false] {
                    Engine.usesWideProducts = wide
                    var r = EngineRandom(seed: 9)
                    let c = try Tensor(shape: [m, n]) { _ in r.uniform(-1, 1) }
                    Narrow.multiply(m: m, n: n, k: k, a: a.pointer, lda: k, b: b.pointer, ldb: n, c: c.pointer, ldc: n,
                                    bias: clamp ? bias.pointer : nil, low: clamp ? 0 : -.infinity, high: clamp ? 0.5 : .infinity,
                                    accumulate: accumulate)
                    results.append(c.scalars)
                }
                let differing = zip(results[0], results[1]).filter { $0.0 != $0.1 }.count
                #expect(differing == 0, "C = A·B, \(m)×\(n)×\(k), accumulate \(accumulate), bias and clamp \(clamp)")
            }
        }
        for (r, m, n) in [(1, 1, 16), (3, 5, 16), (300, 27, 16), (129, 13, 24), (257, 144, 32), (64, 16, 32), (40, 14, 48),
                          (64, 2048, 64), (10, 9, 16)] {
            let a = try matrix(r, m), b = try matrix(r, n)
            for accumulate in [false, true] {
                var results: [[Float]] = []
                for wide in [true, false] {
                    Engine.usesWideProducts = wide
                    var s = EngineRandom(seed: 10)
                    let c = try Tensor(shape: [m, n]) { _ in s.uniform(-1, 1) }
                    Narrow.multiplyTransposedA(r: r, m: m, n: n, a: a.pointer, lda: m, b: b.pointer, ldb: n, c: c.pointer,
                                               ldc: n, accumulate: accumulate)
                    results.append(c.scalars)
                }
                let differing = zip(results[0], results[1]).filter { $0.0 != $0.1 }.count
                #expect(differing == 0, "C = Aᵀ·B, \(r)×\(m)×\(n), accumulate \(accumulate)")
            }
        }
    }

    /// Stride-1 convolutions with 8·k outputs read their windows in place from
    /// padded images, in the forward pass, the weight gradient and (with 8·k
    /// inputs) the input gradient: the same numbers as through OpenBLAS, for
    /// every kind of padding.
    @Test func convolutionIsTheSameEitherWay() throws {
        let cases: [(Int, Int, Int, Padding, [Int])] = [
            (8, 16, 3, .explicit(1), [3, 9, 7, 8]), (3, 16, 3, .explicit(1), [2, 8, 8, 3]), (16, 32, 3, .same, [2, 6, 5, 16]),
            (8, 8, 5, .valid, [1, 9, 8, 8]), (16, 24, 5, .same, [2, 7, 7, 16]), (8, 16, 2, .same, [1, 5, 6, 8]),
        ]
        for (cin, cout, kernel, padding, shape) in cases {
            var results: [[Tensor]] = []
            for narrow in [true, false] {
                Engine.usesNarrowProducts = narrow
                var r = EngineRandom(seed: 3)
                let conv = try Conv2D(cin, cout, kernelSize: kernel, padding: padding, random: &r)
                let x = try Tensor(shape: shape) { _ in r.uniform(-1, 1) }
                let y = try conv.forward(x, training: true)
                let gy = try Tensor(shape: y.shape) { _ in r.uniform(-1, 1) }
                let dx = try #require(try conv.backward(gy, needInputGradient: true))
                results.append([y, dx, conv.weight.gradient, try #require(conv.bias).gradient])
            }
            for (i, name) in ["output", "input gradient", "weight gradient", "bias gradient"].enumerated() {
                #expect(results[0][i].shape == results[1][i].shape)
                #expect(maxDifference(results[0][i], results[1][i]) < (1e-4), "\(name) of Conv2D(\(cin), \(cout), \(kernel)×\(kernel), \(padding)) on \(shape)")
            }
        }
    }

    /// 3×3, stride-1 convolutions between multiples of 8 channels with an
    /// even output run as Winograd's F(2×2, 3×3): the same output (plain,
    /// clamped in inference, and through the ReLU and 2×2 max pool of a
    /// training pass), input, weight and bias gradients as window by window,
    /// for every kind of padding, one image and several, 8 to 32 channels,
    /// an image small enough for one band of tiles and one that takes two.
    @Test func winogradIsTheSameAsWindows() throws {
        let cases: [(Int, Int, Padding, [Int])] = [
            (16, 32, .explicit(1), [3, 16, 16, 16]), (8, 16, .same, [2, 6, 10, 8]), (8, 8, .valid, [1, 10, 6, 8]),
            (32, 8, .explicit(1), [2, 2, 4, 32]), (24, 16, .same, [5, 8, 8, 24]),
            (32, 16, .explicit(1), [2, 40, 18, 32]),  // two bands of tile rows: 14 and 6
        ]
        let twoBands = try WindowGeometry(input: [2, 40, 18, 32], kernel: (3, 3), stride: 1, padding: .explicit(1), layer: "")
        #expect(Conv2D.winogradBand(twoBands, outputs: 16) == 14)
        for (cin, cout, padding, shape) in cases {
            var results: [[Tensor]] = []
            for winograd in [true, false] {
                Engine.usesWinograd = winograd
                var r = EngineRandom(seed: 5)
                let conv = try Conv2D(cin, cout, kernelSize: 3, padding: padding, random: &r)
                try #require(conv.bias).value = try Tensor(shape: [cout]) { _ in r.uniform(-1, 1) }
                let x = try Tensor(shape: shape) { _ in r.uniform(-2, 2) }
                let y = try conv.forward(x, training: true)
                let gy = try Tensor(shape: y.shape) { _ in r.uniform(-1, 1) }
                let dx = try #require(try conv.backward(gy, needInputGradient: true))
                var result = [y, dx, conv.weight.gradient, try #require(conv.bias).gradient]
                result.append(try conv.forward(x, training: false, weight: conv.weight.value, bias: try #require(conv.bias).value,
                                               clamp: Clamp(cap: 6)))
                // Through the ReLU and the pool in one pass (training).
                let network = Sequential([conv, ReLU(), try MaxPool(size: 2), Flatten()])
                let out = try network.forward(x, training: true)
                let pooledGradient = try Tensor(shape: out.shape) { _ in r.uniform(-1, 1) }
                result += [out, try #require(try network.backward(pooledGradient, needInputGradient: true)),
                           conv.weight.gradient, try #require(conv.bias).gradient]
                results.append(result)
            }
            let names = ["output", "input gradient", "weight gradient", "bias gradient", "clamped inference",
                         "pooled output", "pooled input gradient", "pooled weight gradient", "pooled bias gradient"]
            for (i, name) in names.enumerated() {
                #expect(results[0][i].shape == results[1][i].shape)
                #expect(maxDifference(results[0][i], results[1][i]) < (1e-4),
                        "\(name) of Conv2D(\(cin), \(cout), 3×3, \(padding)) on \(shape)")
            }
        }
    }

    /// Convolution inference with windows read in place at strides 1 to 3
    /// (EfficientNet's stem is 3×3, stride 2, from 3 channels) and the clamp
    /// in the store gives the numbers of im2col through OpenBLAS, and so do 1×1
    /// convolutions of a few pixels, their output channels shared among the cores.
    @Test func stridedConvolutionInferenceIsTheSameEitherWay() throws {
        let cases: [(Int, Int, Int, Int, Padding, [Int])] = [
            (3, 32, 3, 2, .same, [2, 224, 224, 3]), (3, 16, 3, 2, .same, [1, 9, 12, 3]), (8, 24, 5, 2, .explicit(2), [2, 11, 10, 8]),
            (4, 8, 3, 3, .valid, [1, 10, 13, 4]), (8, 16, 3, 1, .same, [2, 7, 6, 8]), (3, 8, 2, 2, .same, [1, 5, 5, 3]),
            (8, 16, 3, 2, .same, [0, 5, 5, 8]), (8, 16, 3, 2, .same, [1, 0, 4, 8]),
            // 1×1 on one picture's few pixels: the output channels shared out among the cores.
            (192, 1152, 1, 1, .valid, [1, 7, 7, 192]), (40, 72, 1, 1, .same, [1, 3, 5, 40]),
        ]
        for (cin, cout, kernel, stride, padding, shape) in cases {
            for clamp in [nil, Clamp(cap: 6)] {
                var results: [Tensor] = []
                for narrow in [true, false] {
                    Engine.usesNarrowProducts = narrow
                    var r = EngineRandom(seed: 4)
                    let conv = try Conv2D(cin, cout, kernelSize: kernel, stride: stride, padding: padding, random: &r)
                    let bias = try Tensor(shape: [cout]) { _ in r.uniform(-1, 1) }
                    let x = try Tensor(shape: shape) { _ in r.uniform(-2, 2) }
                    results.append(try conv.forward(x, training: false, weight: conv.weight.value, bias: bias, clamp: clamp))
                }
                #expect(results[0].shape == results[1].shape)
                #expect(maxDifference(results[0], results[1]) < (1e-4),
                        "Conv2D(\(cin), \(cout), \(kernel)×\(kernel), stride \(stride), \(padding)) on \(shape), clamp \(String(describing: clamp))")
            }
        }
    }

    /// Depthwise inference on the AVX2 kernel (groups of four pixels, 16 and
    /// 8 channels, border pixels cut, a scalar tail) gives the plain kernel's
    /// numbers, clamped or not, for strides 1 and 2, 3×3 and 5×5 windows, every
    /// kind of padding and windows larger than the image; a single picture's
    /// rows shared out among the cores.
    @Test func depthwiseInferenceIsTheSameEitherWay() throws {
        let cases: [(Int, Int, Int, Padding, [Int])] = [
            (32, 3, 1, .same, [2, 11, 9, 32]), (24, 3, 2, .same, [1, 12, 13, 24]), (40, 5, 2, .same, [2, 9, 10, 40]),
            (20, 5, 1, .same, [1, 7, 12, 20]), (8, 3, 1, .valid, [1, 6, 14, 8]), (16, 5, 2, .explicit(1), [1, 11, 9, 16]),
            (48, 5, 1, .same, [1, 3, 2, 48]), (5, 3, 2, .same, [2, 5, 5, 5]), (144, 3, 1, .same, [1, 6, 6, 144]),
            (16, 3, 2, .same, [0, 5, 5, 16]), (16, 5, 1, .same, [1, 0, 6, 16]),
            // Rows of 7, 14 and 15 at stride 1: eight, seven and six pixels with each input column loaded once.
            (24, 5, 1, .same, [1, 7, 7, 24]), (16, 3, 1, .same, [1, 5, 7, 16]), (16, 5, 1, .same, [1, 4, 14, 16]),
            (8, 3, 1, .same, [1, 3, 15, 8]), (40, 3, 1, .same, [1, 4, 14, 40]),
            // Rows of 8 and more at stride 2, inside a zero frame and, at 33 wide, with border columns.
            (24, 3, 2, .same, [1, 5, 20, 24]), (16, 5, 2, .same, [1, 6, 33, 16]), (40, 3, 2, .same, [2, 4, 17, 40]),
            (16, 5, 2, .valid, [1, 7, 40, 16]),
            // One picture, no frame (32 and more wide): its output rows shared out among the cores.
            (16, 5, 1, .same, [1, 40, 40, 16]), (24, 3, 2, .same, [1, 41, 36, 24]), (8, 5, 2, .explicit(2), [1, 12, 33, 8]),
        ]
        for (channels, kernel, stride, padding, shape) in cases {
            for clamp in [nil, Clamp(cap: 6)] {
                var results: [Tensor] = []
                for narrow in [true, false] {
                    Engine.usesNarrowProducts = narrow
                    var r = EngineRandom(seed: 9)
                    let conv = try DepthwiseConv2D(channels: channels, kernelSize: kernel, stride: stride, padding: padding, random: &r)
                    let bias = try Tensor(shape: [channels]) { _ in r.uniform(-1, 1) }
                    let x = try Tensor(shape: shape) { _ in r.uniform(-2, 2) }
                    results.append(try conv.forward(x, training: false, weight: conv.weight.value, bias: bias, clamp: clamp))
                }
                #expect(results[0].shape == results[1].shape)
                #expect(maxDifference(results[0], results[1]) < (1e-5),
                        "DepthwiseConv2D(\(channels), \(kernel)×\(kernel), stride \(stride), \(padding)) on \(shape), clamp \(String(describing: clamp))")
                if clamp != nil, results[0].count > 0 { #expect(results[0].scalars.allSatisfy { (0...6).contains($0) } && results[0].scalars.contains(0)) }
            }
        }
    }

    @Test func denseIsTheSameEitherWay() throws {
        var results: [[Tensor]] = []
        for narrow in [true, false] {
            Engine.usesNarrowProducts = narrow
            var r = EngineRandom(seed: 5)
            let dense = try Dense(300, 64, random: &r)
            let x = try Tensor(shape: [37, 300]) { _ in r.uniform(-1, 1) }
            let y = try dense.forward(x, training: true)
            let gy = try Tensor(shape: y.shape) { _ in r.uniform(-1, 1) }
            let dx = try #require(try dense.backward(gy, needInputGradient: true))
            results.append([y, dx, dense.weight.gradient, dense.bias.gradient])
        }
        for (i, name) in ["output", "input gradient", "weight gradient", "bias gradient"].enumerated() {
            #expect(maxDifference(results[0][i], results[1][i]) < (1e-4), "Dense(300, 64): \(name)")
        }
    }
}

/// OpenBLAS is opened on first use; without it, products run on a plain loop
/// that must give OpenBLAS's answers (transposed or not, alpha and beta).
@Suite("OpenBLAS opened on first use") struct OpenBLASLoadingTests {
    @Test func opensAndTheFallbackLoopAgrees() throws {
        #expect(OpenBLAS.functions != nil, "libopenblas.so.0 is installed by make deps")
        var random = EngineRandom(seed: 11)
        let (m, n, k) = (7, 5, 9)
        for (transA, transB) in [(false, false), (true, false), (false, true), (true, true)] {
            let a = (0..<m * k).map { _ in random.uniform(-1, 1) }, b = (0..<k * n).map { _ in random.uniform(-1, 1) }
            let start = (0..<m * n).map { _ in random.uniform(-1, 1) }
            var blas = start, loop = start
            let (lda, ldb) = (transA ? m : k, transB ? k : n)
            BLAS.sgemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: 0.5, a: a, lda: lda, b: b, ldb: ldb,
                       beta: 2, c: &blas, ldc: n)
            OpenBLAS.fallbackSgemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: 0.5, a: a, lda: lda, b: b, ldb: ldb,
                                   beta: 2, c: &loop, ldc: n)
            #expect(zip(blas, loop).allSatisfy { abs($0 - $1) < 1e-5 }, "transA \(transA), transB \(transB)")
            #expect(blas != start)
        }
    }
}
