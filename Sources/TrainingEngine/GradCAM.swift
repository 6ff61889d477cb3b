import Foundation

/// Why a network cannot be explained with Grad-CAM.
public struct NotExplainable: Error, CustomStringConvertible, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Where a classifier looked: one Grad-CAM map per picture, on the grid of
/// the last convolutional feature map (7×7 for EfficientNet-Lite0 at 224).
public struct GradCAMResult: Sendable {
    /// Per picture, `mapHeight × mapWidth` non-negative values, row by row
    /// (not rescaled: the largest value differs from picture to picture).
    public let maps: [[Float]]
    public let mapHeight: Int
    public let mapWidth: Int
    /// The class each map explains.
    public let classes: [Int]
    /// Class probabilities [pictures, classes].
    public let probabilities: Tensor
    /// The top-level layer whose output was explained.
    public let layer: Int
}

/// Grad-CAM (Selvaraju et al., 2017): the feature map A of the last
/// convolutional layer, weighted per channel by the mean gradient of the
/// class's score with respect to that channel, `ReLU(Σₖ mean(∂y/∂Aₖ) · Aₖ)`.
/// The score is the class's logit (as in the paper) or its log-probability,
/// which also counts against the class what speaks for the others: with a
/// few classes that look alike, the map then shows what sets this class apart.
///
/// The layers after the feature map run their training forward pass (so that
/// they keep what backward needs) but frozen for the duration: batch norm uses
/// its running statistics and changes none, no parameter gradient is taken,
/// dropout is left out. The gradient reaches the feature map whatever is
/// frozen. The layers before it run as inference.
public enum GradCAM {
    /// What the map explains.
    public enum Score: Sendable {
        /// The class's logit, the network's output before softmax.
        case logit
        /// log p(class): the logit minus the log-sum-exp of all the logits.
        case logProbability
    }

    /// The top-level layer whose output is explained: the last one with a
    /// picture-shaped output [batch, height, width, channels] that comes after
    /// a convolution and is followed by something that makes it a vector.
    public static func targetLayer(of network: Sequential, inputShape: [Int]) throws -> Int {
        var shape = [1] + inputShape
        var target: Int?
        var sawConvolution = false
        for (i, layer) in network.layers.enumerated() {
            shape = try layer.outputShape(for: shape)
            if containsConvolution(layer) { sawConvolution = true }
            if shape.count == 4, sawConvolution, i + 1 < network.layers.count { target = i }
        }
        guard let target, shape.count == 2 else {
            throw NotExplainable("this network has no convolutional layer whose picture-shaped output it turns into a prediction")
        }
        return target
    }

    static func containsConvolution(_ layer: Layer) -> Bool {
        switch layer {
        case is Conv2D, is DepthwiseConv2D: return true
        case let s as Sequential: return s.layers.contains(where: containsConvolution)
        case let r as Residual: return containsConvolution(r.body)
        default: return false
        }
    }

    /// Every layer inside `layer`, blocks opened (for saving and restoring `isFrozen`).
    static func leaves(_ layer: Layer) -> [Layer] {
        switch layer {
        case let s as Sequential: return s.layers.flatMap(leaves)
        case let r as Residual: return leaves(r.body)
        default: return [layer]
        }
    }

    /// The layers after the feature map in running order, blocks opened and dropout left out.
    static func tape(_ layers: [Layer]) -> [Layer] {
        layers.flatMap { layer -> [Layer] in
            switch layer {
            case let s as Sequential: return tape(s.layers)
            case is Dropout: return []
            default: return [layer]
            }
        }
    }

    /// Grad-CAM maps for `inputs` [n, sample shape], each for the class in
    /// `classes` (default: the predicted class), in batches. The network's
    /// frozen flags are put back as they were, and no parameter, gradient or
    /// saved statistic changes.
    public static func explain(_ network: Sequential, inputShape: [Int], inputs: Tensor, classes: [Int]? = nil,
                               score: Score = .logit, batchSize: Int = 32) throws -> GradCAMResult {
        guard Array(inputs.shape.dropFirst()) == inputShape else {
            throw ShapeError("pictures of shape \(shapeText(Array(inputs.shape.dropFirst()))) given to a network that takes \(shapeText(inputShape))")
        }
        let n = inputs.shape[0]
        if let classes, classes.count != n { throw ShapeError("\(classes.count) classes for \(n) pictures") }
        let t = try targetLayer(of: network, inputShape: inputShape)
        let before = Sequential(Array(network.layers[...t]))
        let after = Array(network.layers[(t + 1)...])
        let steps = tape(after)
        let leaves = after.flatMap(leaves)
        let frozen = leaves.map(\.isFrozen)
        for l in leaves { l.isFrozen = true }
        defer { for (l, f) in zip(leaves, frozen) { l.isFrozen = f } }

        var maps: [[Float]] = [], chosen: [Int] = [], logitParts: [Tensor] = []
        var mapSize = (0, 0)
        for start in stride(from: 0, to: n, by: max(batchSize, 1)) {
            let rows = start..<min(start + batchSize, n)
            let features = try before.forward(inputs.slice(rows), training: false)
            var h = features
            for layer in steps { h = try layer.forward(h, training: true) }
            let logits = h
            try checkRank(logits.shape, 2, "Grad-CAM", "scores [batch, classes]")
            let k = logits.shape[1]
            let best = try logits.argmaxRows()
            let wanted = try rows.map { i -> Int in
                let c = classes?[i] ?? best[i - rows.lowerBound]
                guard (0..<k).contains(c) else { throw InvalidArgument("class \(c) is outside the \(k) classes") }
                return c
            }
            var g = try Tensor(zeros: logits.shape)
            // ∂ log pᶜ / ∂ logits = onehot(c) − p.
            if score == .logProbability { g = try softmax(logits) * -1 }
            g.withUnsafeMutableBufferPointer { p in for (r, c) in wanted.enumerated() { p[r * k + c] += 1 } }
            for layer in steps.reversed() {
                guard let next = try layer.backward(g, needInputGradient: true) else {
                    throw InvalidArgument("\(layer.name) gave no gradient for Grad-CAM")
                }
                g = next
            }
            guard g.shape == features.shape else {
                throw ShapeError("Grad-CAM: the gradient has shape \(shapeText(g.shape)), the feature map \(shapeText(features.shape))")
            }
            let (hh, ww, cc) = (features.shape[1], features.shape[2], features.shape[3])
            mapSize = (hh, ww)
            maps += weightedMaps(features: features.pointer, gradient: g.pointer, count: rows.count, height: hh, width: ww, channels: cc)
            chosen += wanted
            logitParts.append(logits)
        }
        let logits = logitParts.count == 1 ? logitParts[0] : try Tensor.concatenate(logitParts)
        return GradCAMResult(maps: maps, mapHeight: mapSize.0, mapWidth: mapSize.1, classes: chosen,
                             probabilities: try softmax(logits), layer: t)
    }

    /// Per picture: αₖ = the mean of the gradient over positions, then ReLU(Σₖ αₖ Aₖ) per position.
    static func weightedMaps(features a: UnsafePointer<Float>, gradient g: UnsafePointer<Float>, count: Int,
                             height: Int, width: Int, channels c: Int) -> [[Float]] {
        let positions = height * width
        return (0..<count).map { image in
            let base = image * positions * c
            var alpha = [Float](repeating: 0, count: c)
            for p in 0..<positions { for k in 0..<c { alpha[k] += g[base + p * c + k] } }
            for k in 0..<c { alpha[k] /= Float(positions) }
            return (0..<positions).map { p in
                var s: Float = 0
                for k in 0..<c { s += alpha[k] * a[base + p * c + k] }
                return max(s, 0)
            }
        }
    }

    /// A map resized to `height × width` by bilinear interpolation with
    /// pixel centres aligned (PyTorch's `interpolate(align_corners=False)`).
    public static func resize(_ map: [Float], height h: Int, width w: Int, toHeight oh: Int, toWidth ow: Int) -> [Float] {
        guard h > 0, w > 0, oh > 0, ow > 0, map.count == h * w else { return [Float](repeating: 0, count: max(oh, 0) * max(ow, 0)) }
        func taps(_ i: Int, _ n: Int, _ on: Int) -> (Int, Int, Float) {
            let x = max((Float(i) + 0.5) * Float(n) / Float(on) - 0.5, 0)
            let a = min(Int(x), n - 1)
            return (a, min(a + 1, n - 1), x - Float(a))
        }
        let rows = (0..<oh).map { taps($0, h, oh) }, cols = (0..<ow).map { taps($0, w, ow) }
        var out = [Float](repeating: 0, count: oh * ow)
        for (y, (y0, y1, fy)) in rows.enumerated() {
            for (x, (x0, x1, fx)) in cols.enumerated() {
                let top = map[y0 * w + x0] * (1 - fx) + map[y0 * w + x1] * fx
                let bottom = map[y1 * w + x0] * (1 - fx) + map[y1 * w + x1] * fx
                out[y * ow + x] = top * (1 - fy) + bottom * fy
            }
        }
        return out
    }
}
