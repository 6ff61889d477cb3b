import Foundation

/// Batch normalisation over the last axis (features, or channels of NHWC
/// images). In training it normalises with the batch's statistics and keeps
/// running averages (PyTorch's convention: `momentum` 0.1, unbiased running
/// variance); in inference, and whenever the layer is frozen, it uses the
/// running averages, as fine-tuning a pretrained network wants.
public final class BatchNorm: Layer {
    public let features: Int
    public let momentum: Float
    public let epsilon: Float
    public let scale: Parameter   // gamma
    public let shift: Parameter   // beta
    public private(set) var runningMean: Tensor
    public private(set) var runningVariance: Tensor
    public var isFrozen = false

    private struct Cache { var normalised: Tensor; var inverseStd: [Float]; var batchMode: Bool }
    private var cache: Cache?

    public init(features: Int, momentum: Float = 0.1, epsilon: Float = 1e-5) throws {
        guard features > 0 else { throw InvalidArgument("BatchNorm needs a positive number of features") }
        (self.features, self.momentum, self.epsilon) = (features, momentum, epsilon)
        scale = try Parameter(name: "scale", value: Tensor(repeating: 1, shape: [features]))
        shift = try Parameter(name: "shift", value: Tensor(zeros: [features]))
        runningMean = try Tensor(zeros: [features])
        runningVariance = try Tensor(repeating: 1, shape: [features])
    }

    public var name: String { "BatchNorm" }
    public var parameters: [Parameter] { [scale, shift] }
    public var buffers: [(String, Tensor)] { [("runningMean", runningMean), ("runningVariance", runningVariance)] }
    public var spec: LayerSpec {
        LayerSpec(kind: "BatchNorm", ints: ["features": features], floats: ["momentum": momentum, "epsilon": epsilon])
    }

    public func setBuffer(_ name: String, _ value: Tensor) throws {
        guard value.shape == [features] else {
            throw ShapeError("BatchNorm \(name) must have shape [\(features)], got \(shapeText(value.shape))")
        }
        switch name {
        case "runningMean": runningMean = value
        case "runningVariance": runningVariance = value
        default: throw ShapeError("BatchNorm has no saved state named \(name)")
        }
    }

    /// A preceding convolution's weights (output channels last) and bias with
    /// this layer's inference transform folded in: W·γ/σ and (b − μ)·γ/σ + β.
    /// Inference uses it, and so do the TFLite and ONNX writers (`ModelExport`).
    public func fold(weight: Tensor, bias: Tensor?) throws -> (Tensor, Tensor) {
        let c = features
        guard weight.shape.last == c else { throw ShapeError("cannot fold BatchNorm(\(c)) into weights of shape \(shapeText(weight.shape))") }
        var scaleFactors = [Float](repeating: 0, count: c)
        let folded = try Tensor(uninitialized: [c])
        for i in 0..<c {
            let s = scale.value.pointer[i] / (runningVariance.pointer[i] + epsilon).squareRoot()
            scaleFactors[i] = s
            folded.pointer[i] = ((bias?.pointer[i] ?? 0) - runningMean.pointer[i]) * s + shift.value.pointer[i]
        }
        // Copied and scaled in one pass over raw pointers (a Tensor's `pointer`
        // read per element was most of the time: one inference at batch 1
        // folds every weight of the network).
        let w = try Tensor(uninitialized: weight.shape)
        let (source, target) = (UnsafePointer(weight.pointer), w.pointer)
        let rows = weight.count / c
        scaleFactors.withUnsafeBufferPointer { f in
            guard let f = f.baseAddress else { return }
            for r in 0..<rows {
                let from = source + r * c, to = target + r * c
                for i in 0..<c { to[i] = from[i] * f[i] }
            }
        }
        return (w, folded)
    }

    public func outputShape(for input: [Int]) throws -> [Int] {
        guard input.last == features else {
            throw ShapeError("BatchNorm(\(features)) expects \(features) features or channels last, got shape \(shapeText(input))")
        }
        return input
    }

    public func forward(_ x: Tensor, training: Bool) throws -> Tensor {
        _ = try outputShape(for: x.shape)
        let c = features
        let rows = x.count / c
        let batchMode = training && !isFrozen
        var mean = [Float](repeating: 0, count: c)
        var inverseStd = [Float](repeating: 0, count: c)
        if batchMode {
            guard rows > 1 else {
                throw InvalidArgument("BatchNorm needs more than one value per feature in a training batch; use a batch size above 1")
            }
            var sum = [Float](repeating: 0, count: c), sumSq = [Float](repeating: 0, count: c)
            featureSums(x.pointer, rows: rows, features: c, sum: &sum, sumOfSquares: &sumSq)
            let n = Float(rows)
            runningMean.makeUnique()
            runningVariance.makeUnique()
            let rm = runningMean.pointer, rv = runningVariance.pointer
            for i in 0..<c {
                mean[i] = sum[i] / n
                let variance = max(sumSq[i] / n - mean[i] * mean[i], 0)
                inverseStd[i] = 1 / (variance + epsilon).squareRoot()
                rm[i] = (1 - momentum) * rm[i] + momentum * mean[i]
                rv[i] = (1 - momentum) * rv[i] + momentum * variance * n / (n - 1)
            }
        } else {
            for i in 0..<c {
                mean[i] = runningMean.pointer[i]
                inverseStd[i] = 1 / (runningVariance.pointer[i] + epsilon).squareRoot()
            }
        }
        let out = try Tensor(uninitialized: x.shape)
        let normalised: Tensor? = training ? try Tensor(uninitialized: x.shape) : nil
        let (xp, o, h, gamma, beta) = (x.pointer, out.pointer, normalised?.pointer, scale.value.pointer, shift.value.pointer)
        mean.withUnsafeBufferPointer { m in
            inverseStd.withUnsafeBufferPointer { s in
                let (mp, sp) = (m.baseAddress!, s.baseAddress!)
                Engine.parallelFor(rows, grain: 1 << 12) { r in
                    let offset = r.lowerBound * c
                    normalise(xp + offset, rows: r.count, features: c, mean: mp, inverseStd: sp, gamma: gamma, beta: beta,
                              out: o + offset, normalised: h.map { $0 + offset })
                }
            }
        }
        cache = normalised.map { Cache(normalised: $0, inverseStd: inverseStd, batchMode: batchMode) }
        return out
    }

    public func backward(_ g: Tensor, needInputGradient: Bool) throws -> Tensor? {
        guard let cache else { throw InvalidArgument("BatchNorm: backward pass without a training forward pass") }
        self.cache = nil
        let xhat = cache.normalised
        guard g.shape == xhat.shape else {
            throw ShapeError("BatchNorm backward expects a gradient of shape \(shapeText(xhat.shape)), got \(shapeText(g.shape))")
        }
        let c = features
        let rows = g.count / c
        var dGamma = [Float](repeating: 0, count: c), dBeta = [Float](repeating: 0, count: c)
        normaliseGradientSums(g.pointer, xhat.pointer, rows: rows, features: c, dGamma: &dGamma, dBeta: &dBeta)
        if !isFrozen {
            scale.mutableGradient.update(from: dGamma, count: c)
            shift.mutableGradient.update(from: dBeta, count: c)
        }
        guard needInputGradient else { return nil }
        let dx = try Tensor(uninitialized: g.shape)
        let (gp, hp, dp, gamma) = (g.pointer, xhat.pointer, dx.pointer, scale.value.pointer)
        cache.inverseStd.withUnsafeBufferPointer { s in
            dGamma.withUnsafeBufferPointer { dg in
                dBeta.withUnsafeBufferPointer { db in
                    let (sp, dgp, dbp) = (s.baseAddress!, dg.baseAddress!, db.baseAddress!)
                    Engine.parallelFor(rows, grain: 1 << 12) { r in
                        let offset = r.lowerBound * c
                        normaliseInputGradient(gp + offset, hp + offset, rows: r.count, batchRows: rows, features: c, gamma: gamma, inverseStd: sp,
                                               dGamma: dgp, dBeta: dbp, batchStatistics: cache.batchMode, dx: dp + offset)
                    }
                }
            }
        }
        return dx
    }
}
