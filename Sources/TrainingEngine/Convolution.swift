import EngineKernels
import Foundation

/// How a convolution or pooling window treats the border.
public enum Padding: Equatable, Sendable, CustomStringConvertible {
    /// No padding: the window stays inside the image.
    case valid
    /// TensorFlow's "same": the output is ceil(input / stride) and the
    /// padding, when odd, goes mostly to the bottom and right.
    case same
    /// The same number of zero rows and columns on every side (PyTorch's `padding=`).
    case explicit(Int)

    public var description: String {
        switch self {
        case .valid: return "valid"
        case .same: return "same"
        case .explicit(let p): return "\(p)"
        }
    }

    init(spec: String) throws {
        switch spec {
        case "valid": self = .valid
        case "same": self = .same
        default:
            guard let p = Int(spec), p >= 0 else { throw ModelFileError("unknown padding \(spec)") }
            self = .explicit(p)
        }
    }
}

/// Where a sliding window goes over an NHWC image.
struct WindowGeometry: Equatable {
    let batch, height, width, channels: Int
    let kernelH, kernelW, stride: Int
    let outH, outW: Int
    let padTop, padLeft: Int

    init(input: [Int], kernel: (Int, Int), stride: Int, padding: Padding, layer: String) throws {
        try checkRank(input, 4, layer, "images [batch, height, width, channels]")
        (batch, height, width, channels) = (input[0], input[1], input[2], input[3])
        (kernelH, kernelW) = kernel
        self.stride = stride
        func along(_ size: Int, _ k: Int) throws -> (out: Int, before: Int) {
            switch padding {
            case .valid:
                guard size >= k else {
                    throw ShapeError("\(layer): a \(k)-pixel window does not fit in \(size) pixels (input \(shapeText(input)))")
                }
                return ((size - k) / stride + 1, 0)
            case .same:
                let out = (size + stride - 1) / stride
                let total = max((out - 1) * stride + k - size, 0)
                return (out, total / 2)
            case .explicit(let p):
                guard size + 2 * p >= k else {
                    throw ShapeError("\(layer): a \(k)-pixel window does not fit in \(size) pixels padded by \(p)")
                }
                return ((size + 2 * p - k) / stride + 1, p)
            }
        }
        let v = try along(height, kernelH), h = try along(width, kernelW)
        (outH, padTop, outW, padLeft) = (v.out, v.before, h.out, h.before)
    }

    var outputShape: [Int] { [batch, outH, outW, channels] }
    var isPointwise: Bool { kernelH == 1 && kernelW == 1 && stride == 1 && padTop == 0 && padLeft == 0 }
}

/// How many images go through im2col at once: enough for large matrix
/// products, few enough that the window matrix stays a few megabytes.
/// Floats of window matrix per chunk when the windows are not kept whole.
let chunkFloats = 1 << 18
func imagesPerChunk(_ g: WindowGeometry) -> Int {
    let perImage = max(g.outH * g.outW * g.kernelH * g.kernelW * g.channels, 1)
    return max(1, min(g.batch, chunkFloats / perImage))
}

/// A 2-D convolution over NHWC images with weights [kernelH, kernelW, inputs,
/// outputs] (TensorFlow's HWIO), computed as im2col and one matrix product
/// per chunk of images.
public final class Conv2D: Layer {
    public let inputChannels, outputChannels, kernelSize, stride: Int
    public let padding: Padding
    public let weight: Parameter
    public let bias: Parameter?
    public var isFrozen = false
    private var input: Tensor?

    public init(_ inputChannels: Int, _ outputChannels: Int, kernelSize: Int, stride: Int = 1,
                padding: Padding = .valid, useBias: Bool = true, random: inout EngineRandom) throws {
        guard inputChannels > 0, outputChannels > 0, kernelSize > 0, stride > 0 else {
            throw InvalidArgument("Conv2D needs positive channels, kernel size and stride")
        }
        if case .explicit(let p) = padding, p < 0 { throw InvalidArgument("Conv2D padding cannot be negative") }
        (self.inputChannels, self.outputChannels, self.kernelSize, self.stride, self.padding) =
            (inputChannels, outputChannels, kernelSize, stride, padding)
        // He-uniform, suited to the ReLU that usually follows.
        let fanIn = Float(kernelSize * kernelSize * inputChannels)
        let bound = (6 / fanIn).squareRoot()
        weight = try Parameter(name: "weight", value: Tensor(shape: [kernelSize, kernelSize, inputChannels, outputChannels]) { _ in
            random.uniform(-bound, bound)
        })
        bias = useBias ? try Parameter(name: "bias", value: Tensor(zeros: [outputChannels])) : nil
    }

    public var name: String { "Conv2D \(kernelSize)×\(kernelSize)" }
    public var parameters: [Parameter] { bias.map { [weight, $0] } ?? [weight] }
    public var spec: LayerSpec {
        LayerSpec(kind: "Conv2D", ints: ["inputs": inputChannels, "outputs": outputChannels, "kernel": kernelSize,
                                         "stride": stride, "bias": bias == nil ? 0 : 1],
                  strings: ["padding": padding.description])
    }

    func geometry(_ shape: [Int]) throws -> WindowGeometry {
        let g = try WindowGeometry(input: shape, kernel: (kernelSize, kernelSize), stride: stride, padding: padding, layer: name)
        guard g.channels == inputChannels else {
            throw ShapeError("\(name) expects \(inputChannels) input channels, got \(g.channels) (shape \(shapeText(shape)))")
        }
        return g
    }

    public func outputShape(for input: [Int]) throws -> [Int] {
        let g = try geometry(input)
        return [g.batch, g.outH, g.outW, outputChannels]
    }

    /// The window matrix of the last training pass, kept for the backward
    /// pass when it is no larger than this (otherwise rebuilt chunk by chunk).
    static let cachedWindowLimit = 64 << 20
    private var windows: Tensor?

    public func forward(_ x: Tensor, training: Bool) throws -> Tensor {
        try forward(x, training: training, weight: weight.value, bias: bias?.value)
    }

    /// The convolution with given weights (inference with batch norm folded
    /// in), its result clamped to `clamp` when given (the ReLU or ReLU6 after it).
    func forward(_ x: Tensor, training: Bool, weight: Tensor, bias: Tensor?, clamp: Clamp?) throws -> Tensor {
        let g = try geometry(x.shape)
        if g.isPointwise, !training, Conv2D.runsPointwiseInference(outputChannels) {
            // A 1×1 convolution is one product; each core takes blocks of
            // rows with the bias and the clamp applied as they are stored.
            let out = try Tensor(uninitialized: [g.batch, g.outH, g.outW, outputChannels])
            let rows = g.batch * g.outH * g.outW
            let (xp, w, o, b) = (x.pointer, weight.pointer, out.pointer, bias?.pointer)
            input = nil
            windows = nil
            let cores = Engine.threads, n = outputChannels
            if rows < 2 * 64, cores > 1, n >= 32 * cores {
                // Too few pixels to share out (one picture's last 7×7 layers): each
                // core takes a share of the output channels, in sixteens, instead.
                let (low, high) = clamp.map { ($0.low, $0.high) } ?? (-.infinity, .infinity)
                Engine.parallelFor(cores, workers: cores) { _, parts in
                    for part in parts {
                        let first = n * part / cores / 16 * 16, last = part == cores - 1 ? n : n * (part + 1) / cores / 16 * 16
                        Narrow.multiply(m: rows, n: last - first, k: inputChannels, a: xp, lda: inputChannels, b: w + first,
                                        ldb: n, c: o + first, ldc: n, bias: b.map { $0 + first }, low: low, high: high,
                                        accumulate: false)
                    }
                }
                return out
            }
            Engine.parallelFor(rows, grain: 64) { part in
                Conv2D.pointwise(rows: part.count, inputs: inputChannels, outputs: outputChannels, xp + part.lowerBound * inputChannels,
                                 weight: w, bias: b, clamp: clamp, into: o + part.lowerBound * outputChannels)
            }
            return out
        }
        if !training, g.outH > 0, g.outW > 0,
           Conv2D.readsWindowsInPlace(g, outputs: outputChannels) || (g.stride > 1 && Narrow.fits(outputChannels)) {
            // Windows read in place at any stride (the stem's 3×3, stride 2),
            // the clamp applied as each result is stored.
            let out = try Tensor(uninitialized: [g.batch, g.outH, g.outW, outputChannels])
            input = nil
            windows = nil
            try windowedForward(x, g, weight: weight.pointer, bias: bias?.pointer, clamp: clamp, into: out.pointer)
            return out
        }
        let out = try forward(x, training: training, weight: weight, bias: bias)
        if let clamp {
            let p = out.pointer
            Engine.parallelFor(out.count, grain: 1 << 16) { r in clampFloats(p + r.lowerBound, r.count, clamp) }
        }
        return out
    }

    /// The convolution with given weights (inference with batch norm folded in).
    func forward(_ x: Tensor, training: Bool, weight: Tensor, bias: Tensor?) throws -> Tensor {
        let g = try geometry(x.shape)
        let k = kernelSize * kernelSize * inputChannels
        let pixels = g.outH * g.outW
        let cout = outputChannels
        let out = try Tensor(uninitialized: [g.batch, g.outH, g.outW, cout])
        let rows = g.batch * pixels
        let o = out.pointer, w = weight.pointer, xp = x.pointer
        let biasPointer = bias?.pointer
        let beta: Float = bias == nil ? 0 : 1
        input = training ? x : nil
        windows = nil
        if Conv2D.readsWindowsInPlace(g, outputs: cout) {
            try windowedForward(x, g, weight: w, bias: biasPointer, into: o)
            return out
        }
        if g.isPointwise {
            if let biasPointer { fillRows(o, rows: rows, with: biasPointer, width: cout) }
            Engine.sgemm(transA: false, transB: false, m: rows, n: cout, k: k, a: xp, lda: k,
                         b: w, ldb: cout, beta: beta, c: o, ldc: cout)
            return out
        }
        // Each core takes whole images: im2col, then one product per chunk
        // written straight into the output. In training the whole window
        // matrix is kept for the weight gradient when it is small enough.
        let workers = Engine.workers(g.batch)
        let keep = training && !isFrozen && rows * k * 4 <= Conv2D.cachedWindowLimit
        let chunk = keep ? g.batch : min(imagesPerChunk(g), (g.batch + workers - 1) / workers)
        let scratch = try Tensor(uninitialized: keep ? [rows, k] : [workers, chunk * pixels, k])
        Engine.parallelFor(g.batch, workers: workers) { worker, images in
            for start in Swift.stride(from: images.lowerBound, to: images.upperBound, by: chunk) {
                let part = start..<min(start + chunk, images.upperBound)
                let cols = keep ? scratch.pointer + start * pixels * k : scratch.pointer + worker * chunk * pixels * k
                let c = o + start * pixels * cout
                if let biasPointer { fillRows(c, rows: part.count * pixels, with: biasPointer, width: cout) }
                im2col(xp, g, images: part, into: cols)
                if Narrow.fits(cout) {
                    Narrow.multiply(m: part.count * pixels, n: cout, k: k, a: cols, lda: k, b: w, ldb: cout, c: c,
                                    ldc: cout, accumulate: beta == 1)
                } else {
                    BLAS.sgemm(transA: false, transB: false, m: part.count * pixels, n: cout, k: k,
                               a: cols, lda: k, b: w, ldb: cout, beta: beta, c: c, ldc: cout)
                }
            }
        }
        if keep { windows = scratch }
        return out
    }

    public func backward(_ gy: Tensor, needInputGradient: Bool) throws -> Tensor? {
        let x = try requireCached(input, name)
        let kept = windows
        input = nil
        windows = nil
        let g = try geometry(x.shape)
        guard gy.shape == [g.batch, g.outH, g.outW, outputChannels] else {
            throw ShapeError("\(name) backward expects a gradient of shape "
                             + "\(shapeText([g.batch, g.outH, g.outW, outputChannels])), got \(shapeText(gy.shape))")
        }
        if Conv2D.readsWindowsInPlace(g, outputs: outputChannels), !needInputGradient || Narrow.fits(inputChannels) {
            return try windowedBackward(x, gy, g, needInputGradient: needInputGradient)
        }
        let k = kernelSize * kernelSize * inputChannels
        let pixels = g.outH * g.outW
        let cout = outputChannels
        let train = !isFrozen
        if train, let bias { sumRows(gy.pointer, rows: g.batch * pixels, width: cout, into: bias.mutableGradient) }
        let dx: Tensor? = needInputGradient ? try Tensor(zeros: x.shape) : nil
        let dxp = dx?.pointer, xp = x.pointer, gp = gy.pointer, w = weight.value.pointer
        if g.isPointwise {
            let rows = g.batch * pixels
            if train {
                Engine.sgemm(transA: true, transB: false, m: k, n: cout, k: rows, a: xp, lda: k,
                             b: gp, ldb: cout, beta: 0, c: weight.mutableGradient, ldc: cout)
            }
            if let dxp {
                Engine.sgemm(transA: false, transB: true, m: rows, n: k, k: cout, a: gp, lda: cout,
                             b: w, ldb: cout, beta: 0, c: dxp, ldc: k)
            }
            return dx
        }
        // Each core takes whole images: its own partial weight gradient (summed
        // afterwards) and the input gradient of its images.
        let workers = Engine.workers(g.batch)
        let chunk = min(imagesPerChunk(g), (g.batch + workers - 1) / workers)
        let needScratch = dxp != nil || (train && kept == nil)
        let scratch = needScratch ? try Tensor(uninitialized: [workers, chunk * pixels, k]) : nil
        let partials = train ? try Tensor(uninitialized: [workers, k, cout]) : nil
        // The input gradient's product reads the weights transposed, [outputs, window].
        let transposedWeight: Tensor? = dxp != nil && Narrow.fits(k) ? try Tensor(shape: [cout, k]) { i in
            w[(i % k) * cout + i / k]
        } : nil
        Engine.parallelFor(g.batch, workers: workers) { worker, images in
            let cols = scratch.map { $0.pointer + worker * chunk * pixels * k }
            let dw = partials.map { $0.pointer + worker * k * cout }
            if let dw, let kept {
                // The forward pass's windows: one product over all this core's images.
                weightGradient(rows: images.count * pixels, k: k, cout: cout, windows: kept.pointer + images.lowerBound * pixels * k,
                               gradient: gp + images.lowerBound * pixels * cout, into: dw, accumulate: false)
            }
            guard let cols else { return }
            for start in Swift.stride(from: images.lowerBound, to: images.upperBound, by: chunk) {
                let part = start..<min(start + chunk, images.upperBound)
                let rows = part.count * pixels
                let gChunk = gp + start * pixels * cout
                if let dw, kept == nil {
                    im2col(xp, g, images: part, into: cols)
                    weightGradient(rows: rows, k: k, cout: cout, windows: cols, gradient: gChunk, into: dw,
                                   accumulate: start != images.lowerBound)
                }
                if let dxp {
                    if let wt = transposedWeight {
                        Narrow.multiply(m: rows, n: k, k: cout, a: gChunk, lda: cout, b: wt.pointer, ldb: k, c: cols,
                                        ldc: k, accumulate: false)
                    } else {
                        BLAS.sgemm(transA: false, transB: true, m: rows, n: k, k: cout, a: gChunk, lda: cout,
                                   b: w, ldb: cout, beta: 0, c: cols, ldc: k)
                    }
                    col2im(cols, g, images: part, into: dxp)
                }
            }
        }
        if let partials {
            let dw = weight.mutableGradient
            dw.update(from: partials.pointer, count: k * cout)
            for worker in 1..<max(workers, 1) { vaxpy(1, partials.pointer + worker * k * cout, dw, k * cout) }
        }
        return dx
    }
}

// MARK: Inference

extension Conv2D {
    /// Whether 1×1 convolutions with `outputs` channels run inference on the
    /// narrow products (any multiple of 8: the products go over the columns
    /// 32 at a time, and in inference nothing else needs few columns).
    static func runsPointwiseInference(_ outputs: Int) -> Bool { Engine.usesNarrowProducts && outputs % 8 == 0 }

    /// out = clamp(x · weight + bias) for `rows` pixels on one core, in blocks
    /// of rows small enough that their inputs stay in cache while the product
    /// goes over the output columns; with `accumulate`, out's old values are
    /// added first (a residual connection).
    static func pointwise(rows: Int, inputs k: Int, outputs n: Int, _ x: UnsafePointer<Float>, weight w: UnsafePointer<Float>,
                          bias: UnsafePointer<Float>?, clamp: Clamp?, accumulate: Bool = false, into out: UnsafeMutablePointer<Float>) {
        let (low, high) = clamp.map { ($0.low, $0.high) } ?? (-.infinity, .infinity)
        let block = max(12, min(384, (1 << 14) / max(k, 1) / 12 * 12))
        for start in Swift.stride(from: 0, to: rows, by: block) {
            Narrow.multiply(m: min(block, rows - start), n: n, k: k, a: x + start * k, lda: k, b: w, ldb: n,
                            c: out + start * n, ldc: n, bias: bias, low: low, high: high, accumulate: accumulate)
        }
    }
}

// MARK: Windows read in place

extension Conv2D {
    /// Whether this convolution runs on the narrow kernels with its windows
    /// read from a padded copy of each image (no window matrix): stride 1
    /// and a multiple of 8 output channels.
    static func readsWindowsInPlace(_ g: WindowGeometry, outputs: Int) -> Bool {
        g.stride == 1 && Narrow.fits(outputs) && !g.isPointwise
    }

    /// The padded size for `g`'s windows over its output.
    private static func paddedSize(_ g: WindowGeometry) -> (height: Int, width: Int) {
        ((g.outH - 1) * g.stride + g.kernelH, (g.outW - 1) * g.stride + g.kernelW)
    }

    /// Image `n` of the input, padded to `paddedSize(g)` as `g` pads it.
    private static func padInput(_ x: UnsafePointer<Float>, image n: Int, _ g: WindowGeometry,
                                 into padded: UnsafeMutablePointer<Float>) {
        let (ph, pw) = paddedSize(g)
        padImage(x + n * g.height * g.width * g.channels, height: g.height, width: g.width, channels: g.channels,
                 top: g.padTop, left: g.padLeft, into: padded, paddedHeight: ph, paddedWidth: pw)
    }

    func windowedForward(_ x: Tensor, _ g: WindowGeometry, weight w: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
                         clamp: Clamp? = nil, into o: UnsafeMutablePointer<Float>, pooling: PooledOutput? = nil) throws {
        if Conv2D.runsWinograd(g, outputs: outputChannels) {
            return try winogradForward(x, g, weight: w, bias: bias, clamp: clamp, into: o, pooling: pooling)
        }
        let (low, high) = clamp.map { ($0.low, $0.high) } ?? (-.infinity, .infinity)
        let (ph, pw) = Conv2D.paddedSize(g)
        let c = g.channels, cout = outputChannels
        let workers = Engine.workers(g.batch)
        // With a pool after it, each image's convolution goes to the worker's
        // scratch (while it is in cache) and only the pooled image to `o`.
        let paddedFloats = cacheLines(ph * pw * c), convolvedFloats = g.outH * g.outW * cout
        let scratch = try Tensor(uninitialized: [workers, paddedFloats + (pooling == nil ? 0 : convolvedFloats)])
        let xp = x.pointer
        Engine.parallelFor(g.batch, workers: workers) { worker, images in
            let padded = scratch.pointer + worker * (scratch.count / workers)
            for n in images {
                Conv2D.padInput(xp, image: n, g, into: padded)
                let target = pooling == nil ? o + n * convolvedFloats : padded + paddedFloats
                NarrowProducts.convolve(padded, paddedWidth: pw, channels: c, kernelH: g.kernelH, kernelW: g.kernelW,
                                        outH: g.outH, outW: g.outW, weights: w, n: cout, bias: bias, stride: g.stride,
                                        low: low, high: high, into: target)
                if let pooling {
                    let size = pooling.geometry.outH * pooling.geometry.outW * cout
                    maxPoolForward(target, o + n * size, winners: pooling.winners + n * size, pooling.geometry,
                                   images: 0..<1, rectify: true)
                }
            }
        }
    }

    /// The weight gradient from the padded images again, and the input
    /// gradient as the convolution of the padded output gradient with the
    /// weights turned round (when the inputs are a multiple of 8). With
    /// `pooled`, `gy` is the gradient of the max pool (and ReLU) after the
    /// convolution, routed to its winners image by image in the worker's scratch.
    func windowedBackward(_ x: Tensor, _ gy: Tensor, _ g: WindowGeometry, needInputGradient: Bool,
                          pooled: PooledOutput? = nil) throws -> Tensor? {
        if Conv2D.runsWinograd(g, outputs: outputChannels) {
            return try winogradBackward(x, gy, g, needInputGradient: needInputGradient, pooled: pooled)
        }
        let (ph, pw) = Conv2D.paddedSize(g)
        let c = g.channels, cout = outputChannels
        let k = g.kernelH * g.kernelW * c
        let pixels = g.outH * g.outW
        let train = !isFrozen
        let dx: Tensor? = needInputGradient ? try Tensor(uninitialized: x.shape) : nil
        // dx = the output gradient, padded so that every input pixel sees a
        // whole window, convolved with w[kh-1-i][kw-1-j][input][output] read as [output-major window, input].
        let (gh, gw) = (g.height + g.kernelH - 1, g.width + g.kernelW - 1)
        let turned: Tensor? = needInputGradient ? try Tensor(shape: [g.kernelH * g.kernelW * cout, c]) { index in
            let (row, input) = (index / c, index % c)
            let (i, rest) = (row / (g.kernelW * cout), row % (g.kernelW * cout))
            let (j, output) = (rest / cout, rest % cout)
            let source = ((g.kernelH - 1 - i) * g.kernelW + (g.kernelW - 1 - j)) * c + input
            return self.weight.value.pointer[source * cout + output]
        } : nil
        let workers = Engine.workers(g.batch)
        // Per core: the padded input image (and kernelW − 1 pixels of zeros
        // after it), the output gradient as rows of the padded width (zeros
        // past each row's end), the padded output gradient for the input
        // gradient, and the pool's gradient.
        let inputFloats = train ? cacheLines((ph * pw + g.kernelW - 1) * c) : 0
        let wideFloats = train ? cacheLines(g.outH * pw * cout) : 0
        let paddedGradientFloats = needInputGradient ? cacheLines(gh * gw * cout) : 0
        let perWorker = inputFloats + wideFloats + paddedGradientFloats + (pooled == nil ? 0 : pixels * cout)
        let scratch = try Tensor(uninitialized: [workers, perWorker])
        // Each core's weight gradient, then its bias gradient.
        let partials = train ? try Tensor(zeros: [workers, k * cout + cout]) : nil
        let (xp, gp, dxp) = (x.pointer, gy.pointer, dx?.pointer)
        Engine.parallelFor(g.batch, workers: workers) { worker, images in
            let padded = scratch.pointer + worker * perWorker
            let wide = padded + inputFloats, paddedGradient = wide + wideFloats
            for n in images {
                var gradient = UnsafePointer(gp + n * pixels * cout)
                if let pooled {
                    let size = pooled.geometry.outH * pooled.geometry.outW * cout
                    let routed = paddedGradient + paddedGradientFloats
                    maxPoolBackward(gp + n * size, winners: pooled.winners + n * size, routed, pooled.geometry, images: 0..<1)
                    gradient = UnsafePointer(routed)
                }
                if let partials {
                    let dw = partials.pointer + worker * (k * cout + cout)
                    addRowSums(gradient, rows: pixels, width: cout, into: dw + k * cout)
                    // Output pixel (y, x) as row y · pw + x of the wide gradient: then the
                    // window rows of kernel row i are evenly spaced in the padded image
                    // (row r starts at i · pw + r pixels), one long product per kernel
                    // row; the pixels past each row's end have zero gradient.
                    Conv2D.padInput(xp, image: n, g, into: padded)
                    zeroFloats(padded + ph * pw * c, (g.kernelW - 1) * c)
                    for y in 0..<g.outH {
                        copyFloats(gradient + y * g.outW * cout, wide + y * pw * cout, g.outW * cout)
                        zeroFloats(wide + (y * pw + g.outW) * cout, (pw - g.outW) * cout)
                    }
                    for i in 0..<g.kernelH {
                        Narrow.multiplyTransposedA(r: g.outH * pw, m: g.kernelW * c, n: cout, a: padded + i * pw * c,
                                                   lda: c, b: wide, ldb: cout, c: dw + i * g.kernelW * c * cout,
                                                   ldc: cout, accumulate: true)
                    }
                }
                if let dxp, let turned {
                    padImage(gradient, height: g.outH, width: g.outW, channels: cout, top: g.kernelH - 1 - g.padTop,
                             left: g.kernelW - 1 - g.padLeft, into: paddedGradient, paddedHeight: gh, paddedWidth: gw)
                    NarrowProducts.convolve(paddedGradient, paddedWidth: gw, channels: cout, kernelH: g.kernelH,
                                            kernelW: g.kernelW, outH: g.height, outW: g.width, weights: turned.pointer,
                                            n: c, bias: nil, into: dxp + n * g.height * g.width * c)
                }
            }
        }
        if let partials {
            let part = k * cout + cout
            for worker in 1..<max(workers, 1) { vaxpy(1, partials.pointer + worker * part, partials.pointer, part) }
            weight.mutableGradient.update(from: partials.pointer, count: k * cout)
            if let bias { bias.mutableGradient.update(from: partials.pointer + k * cout, count: cout) }
        }
        return dx
    }

    /// The training pass of this convolution, the plain ReLU after it and
    /// `pool` (2×2, stride 2) image by image: the convolution's full output
    /// is never stored, only the pooled images and which value won each
    /// window. Nil when the shapes do not allow it (the layers then run one by one).
    func pooledForward(_ x: Tensor, pool: MaxPool) throws -> Tensor? {
        let g = try geometry(x.shape)
        let convolved = [g.batch, g.outH, g.outW, outputChannels]
        guard Conv2D.readsWindowsInPlace(g, outputs: outputChannels), pool.size == 2, pool.stride == 2,
              pool.padding == .valid, g.outH % 2 == 0, g.outW % 2 == 0 else { return nil }
        let pg = try pool.geometry([1, g.outH, g.outW, outputChannels])
        let out = try Tensor(uninitialized: [g.batch, pg.outH, pg.outW, outputChannels])
        let winners = try Tensor(uninitialized: out.shape)
        try windowedForward(x, g, weight: weight.value.pointer, bias: bias?.value.pointer, into: out.pointer,
                            pooling: PooledOutput(geometry: pg, winners: winners.pointer))
        input = x
        windows = nil
        pool.remember(winners: winners, inputShape: convolved)
        return out
    }

    /// The backward pass of `pooledForward`: `gy` is the gradient of the pooled images.
    func pooledBackward(_ gy: Tensor, pool: MaxPool, needInputGradient: Bool) throws -> Tensor? {
        let x = try requireCached(input, name)
        let winners = try pool.takeWinners()
        let g = try geometry(x.shape)
        let pg = try pool.geometry([1, g.outH, g.outW, outputChannels])
        guard gy.shape == [g.batch, pg.outH, pg.outW, outputChannels], winners.count == gy.count else {
            throw ShapeError("\(pool.name) backward expects a gradient of shape "
                             + "\(shapeText([g.batch, pg.outH, pg.outW, outputChannels])), got \(shapeText(gy.shape))")
        }
        guard !needInputGradient || Narrow.fits(inputChannels) else {
            // The input gradient needs the general path: the pool's gradient in full first.
            let full = try Tensor(uninitialized: [g.batch, g.outH, g.outW, outputChannels])
            let fg = try pool.geometry(full.shape)
            let (gp, wp, fp) = (gy.pointer, winners.pointer, full.pointer)
            Engine.parallelFor(g.batch) { images in maxPoolBackward(gp, winners: wp, fp, fg, images: images) }
            return try backward(full, needInputGradient: true)
        }
        input = nil
        return try windowedBackward(x, gy, g, needInputGradient: needInputGradient,
                                    pooled: PooledOutput(geometry: pg, winners: winners.pointer))
    }
}

// MARK: Winograd

extension Conv2D {
    /// Whether this convolution runs as Winograd's F(2×2, 3×3)
    /// (`WinogradKernels`): 3×3 windows at stride 1 over an even number of
    /// output rows and columns, inputs and outputs multiples of 8.
    static func runsWinograd(_ g: WindowGeometry, outputs: Int) -> Bool {
        Engine.usesWinograd && g.kernelH == 3 && g.kernelW == 3 && g.stride == 1 && g.outH > 0 && g.outW > 0
            && g.outH % 2 == 0 && g.outW % 2 == 0 && Narrow.fits(g.channels) && Narrow.fits(outputs)
    }

    /// How many rows of tiles go through the transforms and products
    /// together: V and M of a band stay within about 256 KiB (the second-level
    /// cache), whatever the image's size.
    static func winogradBand(_ g: WindowGeometry, outputs: Int) -> Int {
        let tilesW = g.outW / 2
        return max(1, min(g.outH / 2, 4096 / max(g.channels, outputs) / max(tilesW, 1)))
    }

    /// `windowedForward` as 16 products per band of tiles (one per position
    /// of the 4×4 input block) between the transformed input and weights; the
    /// ReLU and the max pool after it, when given, read each 2×2 tile as it is turned back.
    private func winogradForward(_ x: Tensor, _ g: WindowGeometry, weight w: UnsafePointer<Float>,
                                 bias: UnsafePointer<Float>?, clamp: Clamp?, into o: UnsafeMutablePointer<Float>,
                                 pooling: PooledOutput?) throws {
        let (low, high) = clamp.map { ($0.low, $0.high) } ?? (-.infinity, .infinity)
        let (ph, pw) = Conv2D.paddedSize(g)
        let c = g.channels, cout = outputChannels
        let (tilesH, tilesW) = (g.outH / 2, g.outW / 2)
        let band = Conv2D.winogradBand(g, outputs: cout)
        let u = try Tensor(uninitialized: [16, c, cout])
        WinogradKernels.transformWeights(w, inputs: c, outputs: cout, into: u.pointer)
        let workers = Engine.workers(g.batch)
        // Per core: the padded image, then a band's transform V and products M.
        let paddedFloats = cacheLines(ph * pw * c)
        let vFloats = 16 * WinogradKernels.planeStride(tiles: band * tilesW, channels: c)
        let perWorker = paddedFloats + vFloats + 16 * WinogradKernels.planeStride(tiles: band * tilesW, channels: cout)
        let scratch = try Tensor(uninitialized: [workers, perWorker])
        let (xp, up) = (x.pointer, u.pointer)
        Engine.parallelFor(g.batch, workers: workers) { worker, images in
            let padded = scratch.pointer + worker * perWorker
            let v = padded + paddedFloats, m = v + vFloats
            for n in images {
                Conv2D.padInput(xp, image: n, g, into: padded)
                for top in Swift.stride(from: 0, to: tilesH, by: band) {
                    let rows = min(band, tilesH - top), tiles = rows * tilesW
                    let inPlane = WinogradKernels.planeStride(tiles: tiles, channels: c)
                    let outPlane = WinogradKernels.planeStride(tiles: tiles, channels: cout)
                    WinogradKernels.transformInput(padded + 2 * top * pw * c, paddedWidth: pw, channels: c, tilesH: rows,
                                                   tilesW: tilesW, into: v)
                    for xi in 0..<16 {
                        Narrow.multiply(m: tiles, n: cout, k: c, a: v + xi * inPlane, lda: c, b: up + xi * c * cout,
                                        ldb: cout, c: m + xi * outPlane, ldc: cout, accumulate: false)
                    }
                    if let pooling {
                        let at = (n * tilesH + top) * tilesW * cout
                        WinogradKernels.transformOutputPooled(m, tilesH: rows, tilesW: tilesW, channels: cout, bias: bias,
                                                              into: o + at, winners: pooling.winners + at)
                    } else {
                        WinogradKernels.transformOutput(m, tilesH: rows, tilesW: tilesW, channels: cout, bias: bias, low: low,
                                                        high: high, into: o + (n * g.outH + 2 * top) * g.outW * cout)
                    }
                }
            }
        }
    }

    /// `windowedBackward` through the same transforms, band by band: the
    /// weight gradient as Σ Vᵀ · dM per position (turned back once for the
    /// batch), the input gradient as dM · Uᵀ per position turned back onto the padded image.
    private func winogradBackward(_ x: Tensor, _ gy: Tensor, _ g: WindowGeometry, needInputGradient: Bool,
                                  pooled: PooledOutput?) throws -> Tensor? {
        let (ph, pw) = Conv2D.paddedSize(g)
        let c = g.channels, cout = outputChannels
        let (tilesH, tilesW) = (g.outH / 2, g.outW / 2)
        let pixels = g.outH * g.outW
        let band = Conv2D.winogradBand(g, outputs: cout)
        let train = !isFrozen
        let dx: Tensor? = needInputGradient ? try Tensor(uninitialized: x.shape) : nil
        // Uᵀ [16, outputs, inputs] for the input gradient.
        let turned: Tensor? = needInputGradient ? try {
            let u = try Tensor(uninitialized: [16, c, cout])
            WinogradKernels.transformWeights(weight.value.pointer, inputs: c, outputs: cout, into: u.pointer)
            let up = u.pointer
            return try Tensor(shape: [16, cout, c]) { index in
                let (xi, rest) = (index / (cout * c), index % (cout * c))
                return up[xi * c * cout + (rest % c) * cout + rest / c]
            }
        }() : nil
        let workers = Engine.workers(g.batch)
        // Per core: the padded image (for the weight gradient), the pool's
        // gradient routed to its winners, the padded input gradient, then a
        // band's V (or dV) and dM.
        let paddedFloats = train ? cacheLines(ph * pw * c) : 0
        let routedFloats = pooled == nil ? 0 : cacheLines(pixels * cout)
        let dxFloats = needInputGradient ? cacheLines(ph * pw * c) : 0
        let vFloats = 16 * WinogradKernels.planeStride(tiles: band * tilesW, channels: c)
        let dmFloats = 16 * WinogradKernels.planeStride(tiles: band * tilesW, channels: cout)
        let perWorker = paddedFloats + routedFloats + dxFloats + vFloats + dmFloats
        let scratch = try Tensor(uninitialized: [workers, perWorker])
        // Each core's dU [16, inputs, outputs], then its bias gradient.
        let part = 16 * c * cout + cout
        let partials = train ? try Tensor(zeros: [workers, part]) : nil
        let (xp, gp, dxp) = (x.pointer, gy.pointer, dx?.pointer)
        Engine.parallelFor(g.batch, workers: workers) { worker, images in
            let padded = scratch.pointer + worker * perWorker
            let routed = padded + paddedFloats, paddedDx = routed + routedFloats
            let v = paddedDx + dxFloats, dm = v + vFloats
            let du = partials.map { $0.pointer + worker * part }
            for n in images {
                var gradient = UnsafePointer(gp + n * pixels * cout)
                if let pooled {
                    let at = n * tilesH * tilesW * cout
                    maxPoolBackward(gp + at, winners: pooled.winners + at, routed, pooled.geometry, images: 0..<1)
                    gradient = UnsafePointer(routed)
                }
                if let du {
                    addRowSums(gradient, rows: pixels, width: cout, into: du + 16 * c * cout)
                    Conv2D.padInput(xp, image: n, g, into: padded)
                }
                if dxp != nil { zeroFloats(paddedDx, ph * pw * c) }
                for top in Swift.stride(from: 0, to: tilesH, by: band) {
                    let rows = min(band, tilesH - top), tiles = rows * tilesW
                    let inPlane = WinogradKernels.planeStride(tiles: tiles, channels: c)
                    let outPlane = WinogradKernels.planeStride(tiles: tiles, channels: cout)
                    WinogradKernels.transformOutputGradient(gradient + 2 * top * g.outW * cout, tilesH: rows, tilesW: tilesW,
                                                            channels: cout, into: dm)
                    if let du {
                        WinogradKernels.transformInput(padded + 2 * top * pw * c, paddedWidth: pw, channels: c, tilesH: rows,
                                                       tilesW: tilesW, into: v)
                        for xi in 0..<16 {
                            Narrow.multiplyTransposedA(r: tiles, m: c, n: cout, a: v + xi * inPlane, lda: c,
                                                       b: dm + xi * outPlane, ldb: cout, c: du + xi * c * cout,
                                                       ldc: cout, accumulate: true)
                        }
                    }
                    if dxp != nil, let turned {
                        // dV (in V's place) = dM · Uᵀ per position, turned back onto the padded image.
                        for xi in 0..<16 {
                            Narrow.multiply(m: tiles, n: c, k: cout, a: dm + xi * outPlane, lda: cout,
                                            b: turned.pointer + xi * cout * c, ldb: c, c: v + xi * inPlane, ldc: c,
                                            accumulate: false)
                        }
                        WinogradKernels.addInputGradient(v, tilesH: rows, tilesW: tilesW, channels: c, paddedWidth: pw,
                                                         into: paddedDx + 2 * top * pw * c)
                    }
                }
                if let dxp {
                    let image = dxp + n * g.height * g.width * c
                    for y in 0..<g.height {
                        copyFloats(paddedDx + ((y + g.padTop) * pw + g.padLeft) * c, image + y * g.width * c, g.width * c)
                    }
                }
            }
        }
        if let partials {
            for worker in 1..<max(workers, 1) { vaxpy(1, partials.pointer + worker * part, partials.pointer, part) }
            WinogradKernels.weightGradient(partials.pointer, inputs: c, outputs: cout, into: weight.mutableGradient)
            if let bias { bias.mutableGradient.update(from: partials.pointer + 16 * c * cout, count: cout) }
        }
        return dx
    }
}

/// Where a convolution's pooled images go (or come from, for their
/// gradient): the pool's geometry over one image, and its winners for the batch.
struct PooledOutput {
    let geometry: WindowGeometry
    let winners: UnsafeMutablePointer<Float>
}

/// `floats` rounded up to whole 64-byte cache lines.
func cacheLines(_ floats: Int) -> Int { (floats + 15) / 16 * 16 }

/// dW (+)= windowsᵀ · gradient for `rows` window rows of length `k` and
/// `cout` output channels.
func weightGradient(rows: Int, k: Int, cout: Int, windows: UnsafePointer<Float>, gradient: UnsafePointer<Float>,
                    into dw: UnsafeMutablePointer<Float>, accumulate: Bool) {
    if Narrow.fits(cout) {
        Narrow.multiplyTransposedA(r: rows, m: k, n: cout, a: windows, lda: k, b: gradient, ldb: cout, c: dw, ldc: cout,
                                   accumulate: accumulate)
    } else {
        BLAS.sgemm(transA: true, transB: false, m: k, n: cout, k: rows, a: windows, lda: k,
                   b: gradient, ldb: cout, beta: accumulate ? 1 : 0, c: dw, ldc: cout)
    }
}

/// A depthwise convolution: one k×k filter per channel (multiplier 1), with
/// weights [kernelH, kernelW, channels]. Vectorised across channels.
public final class DepthwiseConv2D: Layer {
    public let channels, kernelSize, stride: Int
    public let padding: Padding
    public let weight: Parameter
    public let bias: Parameter?
    public var isFrozen = false
    private var input: Tensor?

    public init(channels: Int, kernelSize: Int, stride: Int = 1, padding: Padding = .same,
                useBias: Bool = true, random: inout EngineRandom) throws {
        guard channels > 0, kernelSize > 0, stride > 0 else {
            throw InvalidArgument("DepthwiseConv2D needs positive channels, kernel size and stride")
        }
        (self.channels, self.kernelSize, self.stride, self.padding) = (channels, kernelSize, stride, padding)
        let bound = (6 / Float(kernelSize * kernelSize)).squareRoot()
        weight = try Parameter(name: "weight", value: Tensor(shape: [kernelSize, kernelSize, channels]) { _ in
            random.uniform(-bound, bound)
        })
        bias = useBias ? try Parameter(name: "bias", value: Tensor(zeros: [channels])) : nil
    }

    public var name: String { "DepthwiseConv2D \(kernelSize)×\(kernelSize)" }
    public var parameters: [Parameter] { bias.map { [weight, $0] } ?? [weight] }
    public var spec: LayerSpec {
        LayerSpec(kind: "DepthwiseConv2D", ints: ["channels": channels, "kernel": kernelSize, "stride": stride,
                                                  "bias": bias == nil ? 0 : 1],
                  strings: ["padding": padding.description])
    }

    func geometry(_ shape: [Int]) throws -> WindowGeometry {
        let g = try WindowGeometry(input: shape, kernel: (kernelSize, kernelSize), stride: stride, padding: padding, layer: name)
        guard g.channels == channels else {
            throw ShapeError("\(name) expects \(channels) channels, got \(g.channels) (shape \(shapeText(shape)))")
        }
        return g
    }

    public func outputShape(for input: [Int]) throws -> [Int] { try geometry(input).outputShape }

    public func forward(_ x: Tensor, training: Bool) throws -> Tensor {
        try forward(x, training: training, weight: weight.value, bias: bias?.value)
    }

    /// The convolution with given weights (inference with batch norm folded
    /// in), its result clamped to `clamp` when given (the ReLU or ReLU6 after it).
    func forward(_ x: Tensor, training: Bool, weight: Tensor, bias: Tensor?, clamp: Clamp? = nil) throws -> Tensor {
        let g = try geometry(x.shape)
        let out = try Tensor(uninitialized: g.outputShape)
        let (xp, w, o, b) = (x.pointer, weight.pointer, out.pointer, bias?.pointer)
        let size = g.outH * g.outW * g.channels
        input = training ? x : nil
        if !training, Engine.usesNarrowProducts {
            // Inference on the AVX2 kernel: sums in registers, bias and clamp in its one store.
            // Fewer images than cores (one picture explained, predicted): each image's
            // output rows are shared out among the cores instead.
            let parts = g.batch < Engine.threads && g.outH >= 2 * Engine.threads ? Engine.threads : 1
            let workers = Engine.workers(g.batch * parts)
            let frames = try DepthwiseConv2D.frames(g, workers: workers)
            let imageSize = g.height * g.width * g.channels
            Engine.parallelFor(g.batch * parts, workers: workers) { worker, items in
                for item in items {
                    let (n, part) = (item / parts, item % parts)
                    let rows = part * g.outH / parts..<(part + 1) * g.outH / parts
                    DepthwiseConv2D.infer(xp + n * imageSize, g, weight: w, bias: b, clamp: clamp,
                                          frame: frames.map { $0.pointer + worker * ($0.count / workers) }, rows: rows,
                                          into: o + n * size)
                }
            }
            return out
        }
        // The clamp goes over each image as soon as it is done, while it is in cache.
        Engine.parallelFor(g.batch) { images in
            for n in images {
                depthwiseForward(xp, weight: w, bias: b, o, g, images: n..<(n + 1))
                if let clamp { clampFloats(o + n * size, size, clamp) }
            }
        }
        return out
    }

    public func backward(_ gy: Tensor, needInputGradient: Bool) throws -> Tensor? {
        let x = try requireCached(input, name)
        input = nil
        let g = try geometry(x.shape)
        guard gy.shape == g.outputShape else {
            throw ShapeError("\(name) backward expects a gradient of shape \(shapeText(g.outputShape)), got \(shapeText(gy.shape))")
        }
        let c = channels
        let train = !isFrozen
        if train, let b = bias { sumRows(gy.pointer, rows: gy.count / c, width: c, into: b.mutableGradient) }
        let dx: Tensor? = needInputGradient ? try Tensor(uninitialized: x.shape) : nil
        // Each core sums the weight gradient of its images; the parts are added after.
        let workers = Engine.workers(g.batch)
        let partials = train ? try Tensor(zeros: [workers, weight.count]) : nil
        let (xp, w, gp, dxp, wc) = (x.pointer, weight.value.pointer, gy.pointer, dx?.pointer, weight.count)
        Engine.parallelFor(g.batch, workers: workers) { worker, images in
            depthwiseBackward(xp, weight: w, gp, dw: partials.map { $0.pointer + worker * wc }, dx: dxp, g, images: images)
        }
        if let partials {
            let dw = weight.mutableGradient
            dw.update(from: partials.pointer, count: wc)
            for worker in 1..<max(workers, 1) { vaxpy(1, partials.pointer + worker * wc, dw, wc) }
        }
        return dx
    }
}

extension DepthwiseConv2D {
    /// The zero frame each of `workers` cores copies a small image into
    /// before `infer`, or nil when images are large enough to go without:
    /// in the frame every window lies inside, so the kernel's groups of four
    /// pixels take every pixel (on a 7-pixel image a 5×5 window crosses the
    /// border at four of seven columns).
    static func frames(_ g: WindowGeometry, workers: Int) throws -> Tensor? {
        guard g.width < 32, g.outH > 0, g.outW > 0 else { return nil }
        return try Tensor(uninitialized: [workers, framedSize(g).height * framedSize(g).width * g.channels])
    }

    private static func framedSize(_ g: WindowGeometry) -> (height: Int, width: Int) {
        ((g.outH - 1) * g.stride + g.kernelH, (g.outW - 1) * g.stride + g.kernelW)
    }

    /// Inference of one image on the AVX2 kernel (through `frame` when given);
    /// with `rows`, only those output rows (into their place in `out`).
    static func infer(_ image: UnsafePointer<Float>, _ g: WindowGeometry, weight: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
                      clamp: Clamp?, frame: UnsafeMutablePointer<Float>?, rows: Range<Int>? = nil,
                      into out: UnsafeMutablePointer<Float>) {
        let (low, high) = clamp.map { ($0.low, $0.high) } ?? (-.infinity, .infinity)
        var (source, height, width, top, left) = (image, g.height, g.width, g.padTop, g.padLeft)
        if let frame {
            let (ph, pw) = framedSize(g)
            padImage(image, height: height, width: width, channels: g.channels, top: top, left: left,
                     into: frame, paddedHeight: ph, paddedWidth: pw)
            (source, height, width, top, left) = (UnsafePointer(frame), ph, pw, 0, 0)
        }
        // Output rows from `first` on read the input as if it had `first · stride` fewer rows of
        // padding above it (the kernel clips each window to the image's rows).
        let part = rows ?? 0..<g.outH
        DepthwiseKernels.forward(source, height: height, width: width, channels: g.channels, kernelH: g.kernelH,
                                 kernelW: g.kernelW, stride: g.stride, padTop: top - part.lowerBound * g.stride, padLeft: left,
                                 outH: part.count, outW: g.outW, weights: weight, bias: bias, low: low, high: high,
                                 into: out + part.lowerBound * g.outW * g.channels)
    }
}
