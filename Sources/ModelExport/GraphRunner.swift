import Foundation
import TrainingEngine

/// Runs an `ExportGraph` with Shoal's engine, as float32, as a float16 file
/// would (weights rounded to half precision), or as an int8 file would (every
/// weight and value rounded to its integer grid). Calibration watches the
/// float run; the export report's accuracies come from these runs.
final class GraphRunner {
    enum Precision {
        case float32
        case float16
        case int8(Int8Plan)
    }

    private let graph: ExportGraph
    private let precision: Precision
    /// The engine layer that computes each node (nil for adds, reshapes and softmax).
    private var layers: [Layer?] = []
    private let lastUse: [Int]

    init(graph: ExportGraph, precision: Precision) throws {
        self.graph = graph
        self.precision = precision
        lastUse = graph.lastUse
        var random = EngineRandom(seed: 0)
        for (i, node) in graph.nodes.enumerated() {
            layers.append(try layer(for: node, index: i, random: &random))
        }
    }

    private func weights(_ weight: Tensor, _ bias: Tensor, node: Int) throws -> (Tensor, Tensor) {
        switch precision {
        case .float32: return (weight, bias)
        case .float16: return (try roundedToHalf(weight), try roundedToHalf(bias))
        case .int8(let plan):
            guard let q = plan.weights[node] else { return (weight, bias) }
            let b = q.bias(bias, inputScale: plan.params[graph.nodes[node].inputs[0]].scale)
            return (try q.dequantized(shape: weight.shape), try Tensor(shape: bias.shape, scalars: zip(b.values, b.scales).map { Float($0) * $1 }))
        }
    }

    private func layer(for node: ExportGraph.Node, index: Int, random: inout EngineRandom) throws -> Layer? {
        switch node.op {
        case .convolution(let w, let b, let stride, let padding, _):
            let conv = try Conv2D(w.shape[2], w.shape[3], kernelSize: w.shape[0], stride: stride, padding: padding, random: &random)
            (conv.weight.value, conv.bias!.value) = try weights(w, b, node: index)
            return conv
        case .depthwise(let w, let b, let stride, let padding, _):
            let conv = try DepthwiseConv2D(channels: w.shape[2], kernelSize: w.shape[0], stride: stride, padding: padding, random: &random)
            (conv.weight.value, conv.bias!.value) = try weights(w, b, node: index)
            return conv
        case .fullyConnected(let w, let b, _):
            let dense = try Dense(w.shape[0], w.shape[1], random: &random)
            (dense.weight.value, dense.bias.value) = try weights(w, b, node: index)
            return dense
        case .maxPool(let size, let stride, let padding, _):
            return try MaxPool(size: size, stride: stride, padding: padding)
        case .averagePool(let size, let stride, let padding, _):
            return try AveragePool(size: size, stride: stride, padding: padding)
        case .mean:
            return GlobalAveragePool()
        case .add, .flatten, .activation, .softmax:
            return nil
        }
    }

    /// Class probabilities for a batch of inputs [n, input shape]; `observe`
    /// sees every value (the input included) as it is made.
    func run(_ input: Tensor, observe: ((Int, Tensor) throws -> Void)? = nil) throws -> Tensor {
        var values = [Tensor?](repeating: nil, count: graph.shapes.count)
        values[0] = try settle(input, value: 0)
        try observe?(0, values[0]!)
        let batch = input.shape[0]
        for (i, node) in graph.nodes.enumerated() {
            let x = values[node.inputs[0]]!
            var y: Tensor
            switch node.op {
            case .add:
                y = try x + values[node.inputs[1]]!
            case .flatten:
                y = try x.reshaped([batch] + graph.shapes[node.output])
            case .softmax:
                y = try softmax(x)
            case .activation:
                y = x
            default:
                y = try layers[i]!.forward(x, training: false)
            }
            switch node.op.activation {
            case .none: break
            case .relu: y = try ReLU().forward(y, training: false)
            case .relu6: y = try ReLU(cap: 6).forward(y, training: false)
            }
            values[node.output] = try settle(y, value: node.output)
            try observe?(node.output, values[node.output]!)
            for v in node.inputs where lastUse[v] == i { values[v] = nil }
        }
        return values[graph.output]!
    }

    /// An int8 run rounds each value to its grid; the others keep it. Values
    /// are this run's own tensors (a reshape shares its input's storage, and
    /// rounding that again to the same grid changes nothing).
    private func settle(_ t: Tensor, value: Int) throws -> Tensor {
        guard case .int8(let plan) = precision else { return t }
        var out = value == 0 ? try t.copy() : t
        out.withUnsafeMutableBufferPointer { fakeQuantize($0, plan.params[value]) }
        return out
    }

    /// The predicted class of every sample, in batches; `shouldStop` is asked between batches.
    func predictions(_ inputs: Tensor, batchSize: Int = 32, shouldStop: () -> Bool = { false }) throws -> [Int] {
        var out: [Int] = []
        let n = inputs.shape[0]
        for start in stride(from: 0, to: n, by: batchSize) {
            if shouldStop() { throw ExportCancelled() }
            out += try run(inputs.slice(start..<min(n, start + batchSize))).argmaxRows()
        }
        return out
    }
}

/// The export was interrupted (between batches of calibration or evaluation); nothing was written.
public struct ExportCancelled: Error {}

/// Everything an int8 file needs beyond the float graph: each value's scale
/// and zero point (from calibration) and each weighted node's int8 weights.
struct Int8Plan {
    var params: [QuantParams]
    var weights: [Int: Int8Weights]

    /// Calibrates on `samples` [n, input shape] with the float graph (each
    /// value's minimum and maximum, and the channel means of weighted layers'
    /// inputs), then quantizes the weights with bias correction. Pooling and
    /// reshapes keep their input's parameters (TFLite requires it); softmax
    /// writes on its fixed grid.
    init(graph: ExportGraph, samples: Tensor, batchSize: Int = 32, shouldStop: () -> Bool = { false }) throws {
        let runner = try GraphRunner(graph: graph, precision: .float32)
        let weighted = graph.nodes.filter { node in
            switch node.op {
            case .convolution, .depthwise, .fullyConnected: return true
            default: return false
            }
        }
        var observer = RangeObserver(values: graph.shapes.count, channelMeansOf: Set(weighted.map { $0.inputs[0] }))
        let n = samples.shape[0]
        for start in stride(from: 0, to: n, by: batchSize) {
            if shouldStop() { throw ExportCancelled() }
            _ = try runner.run(samples.slice(start..<min(n, start + batchSize))) { observer.observe($0, $1) }
        }
        var params = [QuantParams](repeating: QuantParams(scale: 1, zeroPoint: 0), count: graph.shapes.count)
        params[0] = QuantParams(min: observer.minimum[0], max: observer.maximum[0])
        var weights: [Int: Int8Weights] = [:]
        for (i, node) in graph.nodes.enumerated() {
            let input = params[node.inputs[0]]
            switch node.op {
            case .maxPool, .averagePool, .flatten:
                params[node.output] = input
            case .softmax:
                params[node.output] = .probabilities
            default:
                params[node.output] = QuantParams(min: observer.minimum[node.output], max: observer.maximum[node.output])
            }
            switch node.op {
            case .convolution(let w, let b, _, _, _), .depthwise(let w, let b, _, _, _), .fullyConnected(let w, let b, _):
                var q = Int8Weights(w, bias: b, inputScale: input.scale, perChannel: !node.op.isFullyConnected)
                if let means = observer.channelMeans(node.inputs[0]) {
                    q.correctBias(w, inputMeans: means, depthwise: node.op.isDepthwise)
                }
                weights[i] = q
            default:
                break
            }
        }
        (self.params, self.weights) = (params, weights)
    }
}
