import Foundation
import SwiftProtobuf
import TrainingEngine

/// Writes an `ExportGraph` as an ONNX model (opset 17, IR version 8) with
/// swift-protobuf and the code generated from ONNX's `onnx.proto`
/// (`Generated/onnx.pb.swift`). The input keeps Shoal's layout, NHWC
/// [batch, height, width, channels], and is transposed once to the NCHW that
/// ONNX's convolutions use; the output is "probability" [batch, classes].
/// The class names are in the metadata property "classes" (a JSON array).
struct ONNXWriter {
    static let opset: Int64 = 17
    static let irVersion: Int64 = 8

    private let graph: ExportGraph
    private var nodes: [Onnx_NodeProto] = []
    private var initializers: [Onnx_TensorProto] = []
    /// The ONNX name of each graph value (pictures in NCHW).
    private var names: [String] = []

    init(graph: ExportGraph) { self.graph = graph }

    private mutating func node(_ type: String, _ inputs: [String], _ output: String, _ attributes: [Onnx_AttributeProto] = []) {
        var n = Onnx_NodeProto()
        n.opType = type
        n.name = "\(type)_\(nodes.count)"
        n.input = inputs
        n.output = [output]
        n.attribute = attributes
        nodes.append(n)
    }

    private static func ints(_ name: String, _ values: [Int]) -> Onnx_AttributeProto {
        var a = Onnx_AttributeProto()
        a.name = name
        a.type = .ints
        a.ints = values.map(Int64.init)
        return a
    }

    private static func int(_ name: String, _ value: Int) -> Onnx_AttributeProto {
        var a = Onnx_AttributeProto()
        a.name = name
        a.type = .int
        a.i = Int64(value)
        return a
    }

    private mutating func initializer(_ name: String, _ values: [Float], shape: [Int]) -> String {
        var t = Onnx_TensorProto()
        t.name = name
        t.dims = shape.map(Int64.init)
        t.dataType = Int32(Onnx_TensorProto.DataType.float.rawValue)
        var raw = Data(count: values.count * 4)
        raw.withUnsafeMutableBytes { out in
            for (i, v) in values.enumerated() { out.storeBytes(of: v.bitPattern.littleEndian, toByteOffset: 4 * i, as: UInt32.self) }
        }
        t.rawData = raw
        initializers.append(t)
        return name
    }

    /// Begin and end padding of each spatial axis, as [top, left, bottom, right].
    private static func pads(_ padding: Padding, input: [Int], kernel: Int, stride: Int) -> [Int] {
        switch padding {
        case .valid: return [0, 0, 0, 0]
        case .explicit(let p): return [p, p, p, p]
        case .same:
            func along(_ size: Int) -> (Int, Int) {
                let out = (size + stride - 1) / stride
                let total = max((out - 1) * stride + kernel - size, 0)
                return (total / 2, total - total / 2)
            }
            let (h, w) = (along(input[0]), along(input[1]))
            return [h.0, w.0, h.1, w.1]
        }
    }

    private mutating func activation(_ a: Activation, _ input: String, _ output: String) {
        switch a {
        case .none: break
        case .relu: node("Relu", [input], output)
        case .relu6:
            if !initializers.contains(where: { $0.name == "relu6_min" }) {
                _ = initializer("relu6_min", [0], shape: [])
                _ = initializer("relu6_max", [6], shape: [])
            }
            node("Clip", [input, "relu6_min", "relu6_max"], output)
        }
    }

    /// Emits an operation and then its activation, naming the final result `name`.
    private mutating func emit(_ type: String, _ inputs: [String], _ name: String, _ attributes: [Onnx_AttributeProto], _ a: Activation) {
        node(type, inputs, a == .none ? name : name + "_linear", attributes)
        activation(a, name + "_linear", name)
    }

    private mutating func lower() {
        let inputName = graph.inputName
        names = [graph.inputShape.count == 3 ? "\(inputName)_nchw" : inputName]
        if graph.inputShape.count == 3 { node("Transpose", [inputName], names[0], [Self.ints("perm", [0, 3, 1, 2])]) }
        for (i, n) in graph.nodes.enumerated() {
            let x = names[n.inputs[0]], input = graph.shapes[n.inputs[0]]
            let name = n.output == graph.output ? "probability" : "value_\(n.output)"
            names.append(name)
            switch n.op {
            case .convolution(let w, let b, let stride, let padding, let a):
                let k = w.shape[0]
                let weight = initializer("op\(i)_weights", permute(w.scalars, shape: w.shape, order: [3, 2, 0, 1]), shape: [w.shape[3], w.shape[2], k, k])
                let bias = initializer("op\(i)_bias", b.scalars, shape: [b.count])
                emit("Conv", [x, weight, bias], name, [Self.ints("kernel_shape", [k, k]), Self.ints("strides", [stride, stride]),
                                                     Self.ints("pads", Self.pads(padding, input: input, kernel: k, stride: stride))], a)
            case .depthwise(let w, let b, let stride, let padding, let a):
                let (k, c) = (w.shape[0], w.shape[2])
                let weight = initializer("op\(i)_weights", permute(w.scalars, shape: w.shape, order: [2, 0, 1]), shape: [c, 1, k, k])
                let bias = initializer("op\(i)_bias", b.scalars, shape: [c])
                emit("Conv", [x, weight, bias], name, [Self.ints("kernel_shape", [k, k]), Self.ints("strides", [stride, stride]),
                                                     Self.ints("pads", Self.pads(padding, input: input, kernel: k, stride: stride)),
                                                     Self.int("group", c)], a)
            case .fullyConnected(let w, let b, let a):
                let weight = initializer("op\(i)_weights", w.scalars, shape: w.shape)
                let bias = initializer("op\(i)_bias", b.scalars, shape: [b.count])
                emit("Gemm", [x, weight, bias], name, [], a)
            case .add(let a):
                emit("Add", [x, names[n.inputs[1]]], name, [], a)
            case .mean:
                node("GlobalAveragePool", [x], name + "_pooled")
                node("Flatten", [name + "_pooled"], name, [Self.int("axis", 1)])
            case .maxPool(let size, let stride, let padding, let a):
                emit("MaxPool", [x], name, [Self.ints("kernel_shape", [size, size]), Self.ints("strides", [stride, stride]),
                                            Self.ints("pads", Self.pads(padding, input: input, kernel: size, stride: stride))], a)
            case .averagePool(let size, let stride, let padding, let a):
                emit("AveragePool", [x], name, [Self.ints("kernel_shape", [size, size]), Self.ints("strides", [stride, stride]),
                                                Self.ints("pads", Self.pads(padding, input: input, kernel: size, stride: stride)),
                                                Self.int("count_include_pad", 0)], a)
            case .flatten:
                // Shoal flattens NHWC pictures: back to that order first.
                node("Transpose", [x], name + "_nhwc", [Self.ints("perm", [0, 2, 3, 1])])
                node("Flatten", [name + "_nhwc"], name, [Self.int("axis", 1)])
            case .activation(let a):
                activation(a, x, name)
            case .softmax:
                node("Softmax", [x], name, [Self.int("axis", -1)])
            }
        }
    }

    private static func valueInfo(_ name: String, _ shape: [Int]) -> Onnx_ValueInfoProto {
        var dims: [Onnx_TensorShapeProto.Dimension] = []
        var batch = Onnx_TensorShapeProto.Dimension()
        batch.dimParam = "batch"
        dims.append(batch)
        for s in shape {
            var d = Onnx_TensorShapeProto.Dimension()
            d.dimValue = Int64(s)
            dims.append(d)
        }
        var tensor = Onnx_TypeProto.Tensor()
        tensor.elemType = Int32(Onnx_TensorProto.DataType.float.rawValue)
        tensor.shape.dim = dims
        var type = Onnx_TypeProto()
        type.tensorType = tensor
        var info = Onnx_ValueInfoProto()
        info.name = name
        info.type = type
        return info
    }

    /// The serialized ModelProto.
    mutating func encode(description: String, metadata: [(String, String)]) throws -> Data {
        lower()
        var g = Onnx_GraphProto()
        g.name = "shoal"
        g.node = nodes
        g.initializer = initializers
        g.input = [Self.valueInfo(graph.inputName, graph.inputShape)]
        g.output = [Self.valueInfo("probability", [graph.classNames.count])]
        var opset = Onnx_OperatorSetIdProto()
        opset.domain = ""
        opset.version = Self.opset
        var model = Onnx_ModelProto()
        model.irVersion = Self.irVersion
        model.opsetImport = [opset]
        model.producerName = "Shoal"
        model.docString = description
        model.graph = g
        model.metadataProps = metadata.map { key, value in
            var entry = Onnx_StringStringEntryProto()
            entry.key = key
            entry.value = value
            return entry
        }
        return try model.serializedData()
    }
}

extension ExportGraph {
    /// The input's name in exported files: "image" for pictures.
    var inputName: String { takesPictures ? "image" : (inputShape.count == 1 ? "features" : "input") }
}
