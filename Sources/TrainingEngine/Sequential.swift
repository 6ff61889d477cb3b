import Foundation

/// One row of a model summary.
public struct LayerSummary: Equatable, Sendable {
    public let name: String
    public let outputShape: [Int]
    public let parameters: Int
    public let frozen: Bool
}

/// Layers applied one after another. Backward stops below the lowest
/// trainable layer, so a frozen backbone costs only its forward pass.
public final class Sequential: Layer {
    public private(set) var layers: [Layer]
    public var isFrozen: Bool {
        get { layers.allSatisfy(\.isFrozen) }
        set { for l in layers { l.isFrozen = newValue } }
    }

    public init(_ layers: [Layer]) { self.layers = layers }

    public var name: String { "Sequential" }
    public var parameters: [Parameter] { layers.flatMap(\.parameters) }
    public var spec: LayerSpec { LayerSpec(kind: "Sequential", children: layers.map(\.spec)) }

    public func append(_ layer: Layer) { layers.append(layer) }

    /// Parameters and saved buffers by dotted name ("3.weight"), as model files store them.
    public var namedTensors: [(name: String, layer: Layer, key: String, value: Tensor, isParameter: Bool)] {
        var out: [(String, Layer, String, Tensor, Bool)] = []
        func walk(_ layer: Layer, _ prefix: String) {
            if let seq = layer as? Sequential {
                for (i, l) in seq.layers.enumerated() { walk(l, prefix.isEmpty ? "\(i)" : "\(prefix).\(i)") }
                return
            }
            if let residual = layer as? Residual { walk(residual.body, prefix); return }
            for p in layer.parameters { out.append(("\(prefix).\(p.name)", layer, p.name, p.value, true)) }
            for (k, v) in layer.buffers { out.append(("\(prefix).\(k)", layer, k, v, false)) }
        }
        walk(self, "")
        return out
    }

    /// Puts `value` into the parameter or buffer `entry` names.
    static func assign(_ entry: (name: String, layer: Layer, key: String, value: Tensor, isParameter: Bool), _ value: Tensor) throws {
        guard entry.value.shape == value.shape else {
            throw ShapeError("\(entry.name) has shape \(shapeText(entry.value.shape)), not \(shapeText(value.shape))")
        }
        if entry.isParameter {
            guard let p = entry.layer.parameters.first(where: { $0.name == entry.key }) else { return }
            p.value = value
        } else {
            try entry.layer.setBuffer(entry.key, value)
        }
    }

    public func outputShape(for input: [Int]) throws -> [Int] {
        try layers.reduce(input) { try $1.outputShape(for: $0) }
    }

    /// The order layers run in. A ReLU (or ReLU6) directly before a max pool
    /// runs after it instead: both are monotone, so max(relu(x)) = relu(max(x)),
    /// and the activation then touches a quarter of the values. The result and
    /// the gradients are the same.
    var executionOrder: [Int] {
        var order = Array(layers.indices)
        var i = 0
        while i + 1 < layers.count {
            if layers[i] is ReLU, layers[i + 1] is MaxPool { order.swapAt(i, i + 1); i += 2 } else { i += 1 }
        }
        return order
    }

    public func forward(_ x: Tensor, training: Bool) throws -> Tensor {
        if !training { return try inference(x) }
        return try trainingForward(x, from: 0)
    }

    /// A training pass whose caller will ask for no input gradient (the
    /// backward pass stops at the lowest trainable layer): the frozen layers
    /// below it run as inference (folded, fused, nothing kept for a backward
    /// pass), which gives the same numbers — a frozen batch norm uses its
    /// running statistics either way. Layers below the lowest trainable one
    /// with randomness of their own (dropout) keep the ordinary pass.
    func forward(_ x: Tensor, training: Bool, needsInputGradient: Bool) throws -> Tensor {
        guard training, !needsInputGradient, let lowest = lowestTrainable, lowest > 0,
              !layers[..<lowest].contains(where: Sequential.isRandom) else {
            return try forward(x, training: training)
        }
        return try trainingForward(try inference(x, layers: 0..<lowest), from: lowest)
    }

    /// Whether a layer, or one inside it, draws random numbers in training.
    static func isRandom(_ layer: Layer) -> Bool {
        if layer is Dropout { return true }
        if let s = layer as? Sequential { return s.layers.contains(where: isRandom) }
        if let r = layer as? Residual { return r.body.layers.contains(where: isRandom) }
        return false
    }

    /// The training pass of the layers from `start` on.
    private func trainingForward(_ x: Tensor, from start: Int) throws -> Tensor {
        var h = x
        // A max pool followed (in running order) by a plain ReLU does both in
        // one pass; the ReLU then passes gradients through untouched.
        let order = executionOrder.filter { $0 >= start }
        fusedReLUs = []
        var k = 0
        pooledConvolutions = [:]
        while k < order.count {
            let layer = layers[order[k]]
            // A convolution, its max pool and the ReLU in one pass, image by image.
            if let conv = layer as? Conv2D, k + 2 < order.count, let pool = layers[order[k + 1]] as? MaxPool,
               let relu = layers[order[k + 2]] as? ReLU, relu.cap == nil,
               let pooled = try conv.pooledForward(h, pool: pool) {
                h = pooled
                pooledConvolutions[order[k + 1]] = order[k]
                fusedReLUs.insert(order[k + 2])
                k += 3
                continue
            }
            if let pool = layer as? MaxPool, k + 1 < order.count, let relu = layers[order[k + 1]] as? ReLU, relu.cap == nil {
                h = try pool.forward(h, training: true, rectify: true)
                fusedReLUs.insert(order[k + 1])
                k += 2
                continue
            }
            h = try layer.forward(h, training: true)
            k += 1
        }
        return h
    }

    /// ReLUs done inside the max pool before them in the last training pass.
    private var fusedReLUs: Set<Int> = []
    /// Max pools run inside the convolution before them in the last training
    /// pass (`Conv2D.pooledForward`): the pool's index and the convolution's.
    private var pooledConvolutions: [Int: Int] = [:]

    /// Inference, with shortcuts that give the same numbers (within rounding):
    /// a batch norm right after a convolution is folded into the convolution's
    /// weights (W·γ/σ and β − μ·γ/σ, computed per call, so fine-tuned
    /// statistics are always current), a ReLU or ReLU6 after that pair is
    /// applied as the convolution stores its output, inverted-residual blocks
    /// run one image at a time per core (`InvertedResidual`), and other
    /// activations work in place on their input.
    func inference(_ x: Tensor, layers range: Range<Int>? = nil) throws -> Tensor {
        var h = x
        let order = range.map { r in executionOrder.filter { r.contains($0) } } ?? executionOrder
        var k = 0
        while k < order.count {
            let layer = layers[order[k]]
            if let block = InvertedResidual(layer), let y = try block(h) {
                h = y
                k += 1
                continue
            }
            if k + 1 < order.count, let norm = layers[order[k + 1]] as? BatchNorm {
                // The activation right after the batch norm is applied as the
                // convolution stores its result.
                let relu = k + 2 < order.count ? layers[order[k + 2]] as? ReLU : nil
                let clamp = relu.map { Clamp(cap: $0.cap) }
                let step = relu == nil ? 2 : 3
                if let conv = layer as? Conv2D, norm.features == conv.outputChannels {
                    let (w, b) = try norm.fold(weight: conv.weight.value, bias: conv.bias?.value)
                    h = try conv.forward(h, training: false, weight: w, bias: b, clamp: clamp)
                    k += step
                    continue
                }
                if let conv = layer as? DepthwiseConv2D, norm.features == conv.channels {
                    let (w, b) = try norm.fold(weight: conv.weight.value, bias: conv.bias?.value)
                    h = try conv.forward(h, training: false, weight: w, bias: b, clamp: clamp)
                    k += step
                    continue
                }
            }
            if let relu = layer as? ReLU {
                try relu.forwardInPlace(&h)
            } else {
                h = try layer.forward(h, training: false)
            }
            k += 1
        }
        return h
    }

    /// The index of the lowest layer with trainable parameters.
    var lowestTrainable: Int? { layers.firstIndex { !$0.isFrozen && !$0.parameters.isEmpty } }

    public func backward(_ g: Tensor, needInputGradient: Bool) throws -> Tensor? {
        let stop = needInputGradient ? 0 : (lowestTrainable ?? layers.count)
        var grad = g
        // Swapped pairs hold no parameters, so `stop` never falls inside one.
        var skipped = fusedReLUs
        for i in executionOrder.reversed() where i >= stop {
            if skipped.contains(i) { continue }
            if let c = pooledConvolutions[i], let conv = layers[c] as? Conv2D, let pool = layers[i] as? MaxPool {
                // The pool's gradient goes through its convolution in the same pass.
                skipped.insert(c)
                guard let next = try conv.pooledBackward(grad, pool: pool, needInputGradient: needInputGradient || c > stop)
                else { fusedReLUs = []; pooledConvolutions = [:]; return nil }
                grad = next
                continue
            }
            let needed = needInputGradient || i > stop
            guard let next = try layers[i].backward(grad, needInputGradient: needed) else { return nil }
            grad = next
        }
        fusedReLUs = []
        pooledConvolutions = [:]
        return needInputGradient ? grad : nil
    }

    /// Layer by layer: output shape for an input of `inputShape` (without the
    /// batch axis) and parameter counts.
    public func summary(inputShape: [Int]) throws -> [LayerSummary] {
        var shape = [1] + inputShape
        var rows: [LayerSummary] = []
        for layer in layers {
            shape = try layer.outputShape(for: shape)
            rows.append(LayerSummary(name: layer.name, outputShape: Array(shape.dropFirst()),
                                     parameters: layer.parameters.reduce(0) { $0 + $1.count }, frozen: layer.isFrozen))
        }
        return rows
    }

    public var trainableParameterCount: Int { layers.reduce(0) { $0 + $1.trainableParameterCount } }
    public var frozenParameterCount: Int { layers.reduce(0) { $0 + $1.frozenParameterCount } }

    /// Rebuilds a network from its stored description (weights are then
    /// loaded from the same file).
    public convenience init(specs: [LayerSpec], seed: UInt64 = 0) throws {
        var random = EngineRandom(seed: seed)
        try self.init(specs.map { try Sequential.layer(from: $0, random: &random) })
    }

    static func layer(from spec: LayerSpec, random: inout EngineRandom) throws -> Layer {
        func int(_ key: String) throws -> Int {
            guard let v = spec.ints[key] else { throw ModelFileError("layer \(spec.kind) is missing its \(key)") }
            return v
        }
        func padding() throws -> Padding { try Padding(spec: spec.strings["padding"] ?? "valid") }
        switch spec.kind {
        case "Dense": return try Dense(int("inputs"), int("outputs"), random: &random)
        case "Conv2D":
            return try Conv2D(int("inputs"), int("outputs"), kernelSize: int("kernel"), stride: int("stride"),
                              padding: padding(), useBias: (spec.ints["bias"] ?? 1) != 0, random: &random)
        case "DepthwiseConv2D":
            return try DepthwiseConv2D(channels: int("channels"), kernelSize: int("kernel"), stride: int("stride"),
                                       padding: padding(), useBias: (spec.ints["bias"] ?? 1) != 0, random: &random)
        case "BatchNorm":
            return try BatchNorm(features: int("features"), momentum: spec.floats["momentum"] ?? 0.1,
                                 epsilon: spec.floats["epsilon"] ?? 1e-5)
        case "ReLU": return ReLU()
        case "ReLU6": return ReLU(cap: 6)
        case "MaxPool": return try MaxPool(size: int("size"), stride: int("stride"), padding: padding())
        case "AveragePool": return try AveragePool(size: int("size"), stride: int("stride"), padding: padding())
        case "GlobalAveragePool": return GlobalAveragePool()
        case "Dropout": return try Dropout(rate: spec.floats["rate"] ?? 0.5, seed: random.next())
        case "Flatten": return Flatten()
        case "Sequential": return try Sequential((spec.children ?? []).map { try layer(from: $0, random: &random) })
        case "Residual":
            guard let body = spec.children, !body.isEmpty else { throw ModelFileError("a Residual layer needs a body") }
            return try Residual(Sequential(body.map { try layer(from: $0, random: &random) }))
        default:
            throw ModelFileError("unknown layer kind \(spec.kind) in the model file")
        }
    }
}

/// `body(x) + x`: the skip connection of residual blocks.
public final class Residual: Layer {
    public let body: Sequential
    public init(_ body: Sequential) { self.body = body }
    public var name: String { "Residual" }
    public var parameters: [Parameter] { body.parameters }
    public var isFrozen: Bool {
        get { body.isFrozen }
        set { body.isFrozen = newValue }
    }
    public var spec: LayerSpec { LayerSpec(kind: "Residual", children: body.layers.map(\.spec)) }

    public func outputShape(for input: [Int]) throws -> [Int] {
        let out = try body.outputShape(for: input)
        guard out == input else {
            throw ShapeError("a residual block must keep its input's shape \(shapeText(input)), but its body gives \(shapeText(out))")
        }
        return out
    }

    public func forward(_ x: Tensor, training: Bool) throws -> Tensor {
        try body.forward(x, training: training) + x
    }

    public func backward(_ g: Tensor, needInputGradient: Bool) throws -> Tensor? {
        let inner = try body.backward(g, needInputGradient: needInputGradient)
        guard needInputGradient, let inner else { return nil }
        return try inner + g
    }
}
