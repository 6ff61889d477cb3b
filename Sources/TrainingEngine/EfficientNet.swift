import Foundation

/// EfficientNet-Lite0 (Tan & Le, the "lite" variant for mobile devices: ReLU6,
/// no squeeze-and-excitation, fixed stem and head), laid out as in the
/// reference PyTorch port (PyPI `efficientnet-lite-pytorch`) that loads the
/// ImageNet weights: a 3×3 stride-2 stem, 16 inverted-residual blocks, a 1×1
/// head to 1,280 channels, global average pooling, dropout and the classifier.
/// Convolutions pad like TensorFlow's "same"; batch norm uses ε = 0.001.
/// Inputs are 224×224 RGB scaled to [-1, 1], NHWC.
public enum EfficientNetLite0 {
    /// (repeats, kernel, stride, expansion, input channels, output channels) per stage.
    static let stages: [(Int, Int, Int, Int, Int, Int)] = [
        (1, 3, 1, 1, 32, 16), (2, 3, 2, 6, 16, 24), (2, 5, 2, 6, 24, 40), (3, 3, 2, 6, 40, 80),
        (3, 5, 1, 6, 80, 112), (4, 5, 2, 6, 112, 192), (1, 3, 1, 6, 192, 320),
    ]

    public static let imageSize = 224
    public static let featureCount = 1280
    /// Layers up to and including global pooling: their output is the 1,280 features.
    public static let featureLayers = 23

    /// How a reference tensor becomes one of ours.
    public enum Conversion: Sendable { case convolution, depthwise, dense, vector }

    /// Our tensor name, the reference (PyTorch) name, and the conversion between them.
    public typealias NameMap = [(name: String, reference: String, conversion: Conversion)]

    /// The network (random weights, to be loaded) and the names of its tensors in the reference model.
    public static func make(classes: Int = 1000, seed: UInt64 = 0) throws -> (network: Sequential, names: NameMap) {
        var random = EngineRandom(seed: seed)
        var layers: [Layer] = []
        var names: NameMap = []
        func batchNorm(_ features: Int, _ ours: String, _ reference: String) throws -> BatchNorm {
            for (o, r) in [("scale", "weight"), ("shift", "bias"), ("runningMean", "running_mean"), ("runningVariance", "running_var")] {
                names.append(("\(ours).\(o)", "\(reference).\(r)", .vector))
            }
            return try BatchNorm(features: features, momentum: 0.01, epsilon: 1e-3)
        }
        // Stem.
        layers.append(try Conv2D(3, 32, kernelSize: 3, stride: 2, padding: .same, useBias: false, random: &random))
        names.append(("0.weight", "_conv_stem.weight", .convolution))
        layers.append(try batchNorm(32, "1", "_bn0"))
        layers.append(ReLU(cap: 6))
        // Blocks.
        var block = 0
        for (repeats, kernel, stride, expansion, input, output) in stages {
            for r in 0..<repeats {
                let (inChannels, s) = r == 0 ? (input, stride) : (output, 1)
                let hidden = inChannels * expansion
                let prefix = "\(layers.count)", reference = "_blocks.\(block)"
                var body: [Layer] = []
                if expansion != 1 {
                    body.append(try Conv2D(inChannels, hidden, kernelSize: 1, useBias: false, random: &random))
                    names.append(("\(prefix).\(body.count - 1).weight", "\(reference)._expand_conv.weight", .convolution))
                    body.append(try batchNorm(hidden, "\(prefix).\(body.count)", "\(reference)._bn0"))
                    body.append(ReLU(cap: 6))
                }
                body.append(try DepthwiseConv2D(channels: hidden, kernelSize: kernel, stride: s, padding: .same, useBias: false, random: &random))
                names.append(("\(prefix).\(body.count - 1).weight", "\(reference)._depthwise_conv.weight", .depthwise))
                body.append(try batchNorm(hidden, "\(prefix).\(body.count)", "\(reference)._bn1"))
                body.append(ReLU(cap: 6))
                body.append(try Conv2D(hidden, output, kernelSize: 1, useBias: false, random: &random))
                names.append(("\(prefix).\(body.count - 1).weight", "\(reference)._project_conv.weight", .convolution))
                body.append(try batchNorm(output, "\(prefix).\(body.count)", "\(reference)._bn2"))
                let sequence = Sequential(body)
                layers.append(s == 1 && inChannels == output ? Residual(sequence) : sequence)
                block += 1
            }
        }
        // Head.
        layers.append(try Conv2D(320, featureCount, kernelSize: 1, useBias: false, random: &random))
        names.append(("\(layers.count - 1).weight", "_conv_head.weight", .convolution))
        layers.append(try batchNorm(featureCount, "\(layers.count)", "_bn1"))
        layers.append(ReLU(cap: 6))
        layers.append(GlobalAveragePool())
        layers.append(try Dropout(rate: 0.2, seed: random.next()))
        layers.append(try Dense(featureCount, classes, random: &random))
        names.append(("\(layers.count - 1).weight", "_fc.weight", .dense))
        names.append(("\(layers.count - 1).bias", "_fc.bias", .vector))
        return (Sequential(layers), names)
    }

    /// Converts the reference model's tensors (PyTorch layouts and names) to
    /// this network's, checking every shape.
    public static func convert(reference: [String: Tensor], names: NameMap) throws -> [(String, Tensor)] {
        try names.map { entry in
            guard let t = reference[entry.reference] else {
                throw ModelFileError("the EfficientNet-Lite0 weights have no \(entry.reference)")
            }
            switch entry.conversion {
            case .vector:
                guard t.rank == 1 else { throw ModelFileError("\(entry.reference) should be a vector, not \(shapeText(t.shape))") }
                return (entry.name, t)
            case .dense:
                return (entry.name, try t.transposed())
            case .convolution:
                // [out, in, kh, kw] → [kh, kw, in, out]
                guard t.rank == 4 else { throw ModelFileError("\(entry.reference) should be 4-D, not \(shapeText(t.shape))") }
                return (entry.name, try t.permuted([2, 3, 1, 0]))
            case .depthwise:
                // [channels, 1, kh, kw] → [kh, kw, channels]
                guard t.rank == 4, t.shape[1] == 1 else { throw ModelFileError("\(entry.reference) should be [C, 1, k, k], not \(shapeText(t.shape))") }
                return (entry.name, try t.permuted([2, 3, 1, 0]).reshaped([t.shape[2], t.shape[3], t.shape[0]]))
            }
        }
    }

    /// Where `shoal models fetch` keeps the converted weights:
    /// `$XDG_CACHE_HOME/shoal` or `~/.cache/shoal`.
    public static var cachedWeights: URL {
        let env = ProcessInfo.processInfo.environment
        let base = env["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0) }
            ?? URL(fileURLWithPath: NSHomeDirectory()).appendingPathComponent(".cache")
        return base.appendingPathComponent("shoal/efficientnet-lite0.safetensors")
    }

    /// The ImageNet model with its weights from a file written by
    /// `shoal models fetch` (safetensors, in this network's layout).
    public static func pretrained(weights url: URL) throws -> Model {
        let (network, _) = try make()
        let file = try SafeTensors.read(url)
        guard file.metadata["architecture"] == "efficientnet-lite0" else {
            throw ModelFileError("\(url.lastPathComponent) does not hold EfficientNet-Lite0 weights")
        }
        let classes = ImageNetClasses.names
        let model = try Model(network: network, inputShape: [imageSize, imageSize, 3], classNames: classes)
        try model.loadWeights(file, source: url.lastPathComponent)
        return model
    }
}

extension Tensor {
    /// The axes reordered: `permuted(p)[i₀, i₁, …]` = `self[i_p⁻¹…]`, i.e.
    /// output axis k is input axis `order[k]`.
    public func permuted(_ order: [Int]) throws -> Tensor {
        guard order.sorted() == Array(0..<rank) else { throw ShapeError("\(order) is not an order of \(rank) axes") }
        let outShape = order.map { shape[$0] }
        var inStrides = [Int](repeating: 1, count: rank)
        for i in stride(from: rank - 2, through: 0, by: -1) { inStrides[i] = inStrides[i + 1] * shape[i + 1] }
        let strides = order.map { inStrides[$0] }
        var out = try Tensor(uninitialized: outShape)
        out.withUnsafeMutableBufferPointer { dst in
            forEachPosition(outShape, strides: [strides]) { i, o in dst[i] = pointer[o[0]] }
        }
        return out
    }
}
