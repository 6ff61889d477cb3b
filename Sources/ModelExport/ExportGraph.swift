import TrainingEngine

/// The activation an operation applies to its own output (TFLite fuses them
/// into convolutions, fully connected layers, additions and pooling).
enum Activation: Equatable {
    case none, relu, relu6
}

/// One operation of an exported network, with its weights as inference uses
/// them (a batch norm after a convolution or dense layer folded into it).
/// Weights keep the engine's layouts; each writer turns them into its own.
enum GraphOp {
    /// Weights [kernel, kernel, inputs, outputs] (HWIO), bias [outputs].
    case convolution(weight: Tensor, bias: Tensor, stride: Int, padding: Padding, activation: Activation)
    /// Weights [kernel, kernel, channels], bias [channels].
    case depthwise(weight: Tensor, bias: Tensor, stride: Int, padding: Padding, activation: Activation)
    /// Weights [inputs, outputs], bias [outputs].
    case fullyConnected(weight: Tensor, bias: Tensor, activation: Activation)
    /// The two inputs added (a residual block's skip connection).
    case add(activation: Activation)
    /// The mean of each channel over the picture (global average pooling).
    case mean
    case maxPool(size: Int, stride: Int, padding: Padding, activation: Activation)
    case averagePool(size: Int, stride: Int, padding: Padding, activation: Activation)
    /// [height, width, channels] → [height × width × channels], in NHWC order.
    case flatten
    /// An activation that could not be fused into the operation before it.
    case activation(Activation)
    /// Probabilities from the logits: every exported classifier ends with it.
    case softmax

    var activation: Activation {
        switch self {
        case .convolution(_, _, _, _, let a), .depthwise(_, _, _, _, let a), .fullyConnected(_, _, let a), .add(let a),
             .maxPool(_, _, _, let a), .averagePool(_, _, _, let a), .activation(let a):
            return a
        case .mean, .flatten, .softmax:
            return .none
        }
    }

    var isDepthwise: Bool { if case .depthwise = self { return true } else { return false } }
    var isFullyConnected: Bool { if case .fullyConnected = self { return true } else { return false } }

    /// The same operation with `activation` fused in, if it can carry one.
    func fusing(_ activation: Activation) -> GraphOp? {
        switch self {
        case .convolution(let w, let b, let s, let p, .none): return .convolution(weight: w, bias: b, stride: s, padding: p, activation: activation)
        case .depthwise(let w, let b, let s, let p, .none): return .depthwise(weight: w, bias: b, stride: s, padding: p, activation: activation)
        case .fullyConnected(let w, let b, .none): return .fullyConnected(weight: w, bias: b, activation: activation)
        case .add(.none): return .add(activation: activation)
        case .maxPool(let k, let s, let p, .none): return .maxPool(size: k, stride: s, padding: p, activation: activation)
        case .averagePool(let k, let s, let p, .none): return .averagePool(size: k, stride: s, padding: p, activation: activation)
        default: return nil
        }
    }
}

/// A classifier as a graph of inference operations over numbered values:
/// value 0 is the input (one sample's shape, without the batch axis), the
/// last node's output the class probabilities. The TFLite and ONNX writers
/// and the quantization simulator all read this one description.
struct ExportGraph {
    struct Node {
        var op: GraphOp
        var inputs: [Int]
        var output: Int
    }

    /// Each value's shape without the batch axis; value 0 is the input.
    private(set) var shapes: [[Int]]
    private(set) var nodes: [Node] = []
    let classNames: [String]
    var inputShape: [Int] { shapes[0] }
    var output: Int { nodes.last?.output ?? 0 }

    /// True when the input is a picture (height × width × 3, scaled to [-1, 1]).
    var takesPictures: Bool { inputShape.count == 3 && inputShape[2] == 3 }

    /// Values a pending skip connection still needs unchanged (counted).
    private var pinned: [Int: Int] = [:]

    /// Lowers a trained model. Throws `ExportError` for a layer no exported
    /// format has an operation for.
    init(model: Model) throws {
        classNames = model.classNames
        shapes = [model.inputShape]
        let logits = try lower(model.network, from: 0)
        _ = append(.softmax, inputs: [logits], shape: shapes[logits])
    }

    private mutating func append(_ op: GraphOp, inputs: [Int], shape: [Int]) -> Int {
        shapes.append(shape)
        nodes.append(Node(op: op, inputs: inputs, output: shapes.count - 1))
        return shapes.count - 1
    }

    /// The shape `layer` gives `value`'s shape, without the batch axis.
    private func shape(after layer: Layer, _ value: Int) throws -> [Int] {
        do { return Array(try layer.outputShape(for: [1] + shapes[value]).dropFirst()) } catch let e as ShapeError {
            throw ExportError(e.message)
        }
    }

    /// Whether `value` is the output of the last node and nothing else reads it
    /// yet, so that a batch norm or activation may change that node instead.
    private func canChange(_ value: Int) -> Bool {
        value != 0 && nodes.last?.output == value && pinned[value, default: 0] == 0
    }

    private mutating func lower(_ layer: Layer, from value: Int) throws -> Int {
        switch layer {
        case let sequence as Sequential:
            var v = value
            for inner in sequence.layers { v = try lower(inner, from: v) }
            return v
        case let residual as Residual:
            pinned[value, default: 0] += 1
            let body = try lower(residual.body, from: value)
            pinned[value, default: 0] -= 1
            return append(.add(activation: .none), inputs: [body, value], shape: shapes[value])
        case let conv as Conv2D:
            let bias = try conv.bias?.value ?? Tensor(zeros: [conv.outputChannels])
            return append(.convolution(weight: conv.weight.value, bias: bias, stride: conv.stride, padding: conv.padding, activation: .none),
                          inputs: [value], shape: try shape(after: conv, value))
        case let conv as DepthwiseConv2D:
            let bias = try conv.bias?.value ?? Tensor(zeros: [conv.channels])
            return append(.depthwise(weight: conv.weight.value, bias: bias, stride: conv.stride, padding: conv.padding, activation: .none),
                          inputs: [value], shape: try shape(after: conv, value))
        case let dense as Dense:
            return append(.fullyConnected(weight: dense.weight.value, bias: dense.bias.value, activation: .none),
                          inputs: [value], shape: try shape(after: dense, value))
        case let norm as BatchNorm:
            return try lower(norm, from: value)
        case let relu as ReLU:
            let activation: Activation
            switch relu.cap {
            case nil: activation = .relu
            case 6?: activation = .relu6
            case let cap?: throw ExportError("a ReLU capped at \(cap) cannot be exported: TFLite and ONNX files here carry ReLU and ReLU6 only")
            }
            if canChange(value), let fused = nodes[nodes.count - 1].op.fusing(activation) {
                nodes[nodes.count - 1].op = fused
                return value
            }
            return append(.activation(activation), inputs: [value], shape: shapes[value])
        case let pool as MaxPool:
            let (size, stride, padding) = try window(pool)
            return append(.maxPool(size: size, stride: stride, padding: padding, activation: .none),
                          inputs: [value], shape: try shape(after: pool, value))
        case let pool as AveragePool:
            let (size, stride, padding) = try window(pool)
            return append(.averagePool(size: size, stride: stride, padding: padding, activation: .none),
                          inputs: [value], shape: try shape(after: pool, value))
        case let pool as GlobalAveragePool:
            return append(.mean, inputs: [value], shape: try shape(after: pool, value))
        case is Dropout:
            return value
        case let flatten as Flatten:
            let out = try shape(after: flatten, value)
            return shapes[value] == out ? value : append(.flatten, inputs: [value], shape: out)
        default:
            throw ExportError("the layer \(layer.name) cannot be exported: TFLite and ONNX files here have no operation for it")
        }
    }

    /// A pooling layer's window, read from its saved description.
    private func window(_ pool: Layer) throws -> (Int, Int, Padding) {
        let spec = pool.spec
        guard let size = spec.ints["size"], let stride = spec.ints["stride"] else { throw ExportError("\(pool.name) has no window size") }
        switch spec.strings["padding"] ?? "valid" {
        case "valid": return (size, stride, .valid)
        case "same": return (size, stride, .same)
        case let p:
            guard let pixels = Int(p), pixels >= 0 else { throw ExportError("\(pool.name) has an unknown padding \(p)") }
            return (size, stride, .explicit(pixels))
        }
    }

    /// A batch norm folds into the convolution or dense layer right before it
    /// (as Shoal's own inference does); anywhere else it becomes a 1×1
    /// depthwise convolution (pictures) or a diagonal dense layer (features).
    private mutating func lower(_ norm: BatchNorm, from value: Int) throws -> Int {
        let shape = try self.shape(after: norm, value)
        if canChange(value) {
            switch nodes[nodes.count - 1].op {
            case .convolution(let w, let b, let s, let p, .none):
                let (fw, fb) = try norm.fold(weight: w, bias: b)
                nodes[nodes.count - 1].op = .convolution(weight: fw, bias: fb, stride: s, padding: p, activation: .none)
                return value
            case .depthwise(let w, let b, let s, let p, .none):
                let (fw, fb) = try norm.fold(weight: w, bias: b)
                nodes[nodes.count - 1].op = .depthwise(weight: fw, bias: fb, stride: s, padding: p, activation: .none)
                return value
            case .fullyConnected(let w, let b, .none):
                let (fw, fb) = try norm.fold(weight: w, bias: b)
                nodes[nodes.count - 1].op = .fullyConnected(weight: fw, bias: fb, activation: .none)
                return value
            default:
                break
            }
        }
        let c = norm.features
        let (scale, shift) = try norm.fold(weight: Tensor(repeating: 1, shape: [1, c]), bias: nil)
        if shape.count == 3 {
            return append(.depthwise(weight: try scale.reshaped([1, 1, c]), bias: shift, stride: 1, padding: .valid, activation: .none),
                          inputs: [value], shape: shape)
        }
        guard shape.count == 1 else { throw ExportError("a BatchNorm over values of shape \(shape) cannot be exported") }
        let s = scale.scalars
        let diagonal = try Tensor(shape: [c, c]) { i in i / c == i % c ? s[i / c] : 0 }
        return append(.fullyConnected(weight: diagonal, bias: shift, activation: .none), inputs: [value], shape: shape)
    }

    /// For each value, the index of the last node that reads it (the output: past the end).
    var lastUse: [Int] {
        var last = [Int](repeating: -1, count: shapes.count)
        for (i, node) in nodes.enumerated() { for v in node.inputs { last[v] = i } }
        last[output] = nodes.count
        return last
    }
}

/// A user-facing export failure: an unknown format or option, a layer a
/// format cannot express, a path that cannot be written. Nothing is written
/// when one is thrown.
public struct ExportError: Error, CustomStringConvertible, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
