import TrainingEngine

/// Numbers from TFLite's published schema (`tensorflow/compiler/mlir/lite/schema/schema.fbs`,
/// file identifier "TFL3", schema version 3): enum values, builtin operator
/// codes, the positions of the `BuiltinOptions` union members, and each
/// table's field slots (fields in declaration order; a union takes two).
enum TFLiteSchema {
    enum TensorType: UInt8 { case float32 = 0, float16 = 1, int32 = 2, uint8 = 3, int8 = 9 }

    enum Operator: Int32 {
        case add = 0, averagePool2D = 1, conv2D = 3, depthwiseConv2D = 4, dequantize = 6, fullyConnected = 9
        case maxPool2D = 17, relu = 19, relu6 = 21, reshape = 22, softmax = 25, mean = 40, quantize = 114
    }

    enum Options: UInt8 {
        case none = 0, conv2D = 1, depthwiseConv2D = 2, pool2D = 5, fullyConnected = 8, softmax = 9, add = 11
        case reshape = 17, reducer = 27
    }

    enum PaddingCode: UInt8 { case same = 0, valid = 1 }

    static func activationCode(_ a: Activation) -> UInt8 {
        switch a {
        case .none: return 0
        case .relu: return 1
        case .relu6: return 3
        }
    }

    // Field slots of the tables written.
    enum Model { static let version = 0, operatorCodes = 1, subgraphs = 2, description = 3, buffers = 4, metadata = 6, signatureDefs = 7, count = 8 }
    enum OperatorCode { static let deprecatedBuiltinCode = 0, version = 2, builtinCode = 3, count = 4 }
    enum SubGraph { static let tensors = 0, inputs = 1, outputs = 2, operators = 3, name = 4, count = 5 }
    enum Tensor { static let shape = 0, type = 1, buffer = 2, name = 3, quantization = 4, shapeSignature = 7, count = 8 }
    enum Quantization { static let scale = 2, zeroPoint = 3, quantizedDimension = 6, count = 7 }
    enum Operation { static let opcodeIndex = 0, inputs = 1, outputs = 2, optionsType = 3, options = 4, count = 5 }
    enum Buffer { static let data = 0, count = 1 }
    enum Metadata { static let name = 0, buffer = 1, count = 2 }
    enum TensorMap { static let name = 0, tensorIndex = 1, count = 2 }
    enum SignatureDef { static let inputs = 0, outputs = 1, key = 2, subgraphIndex = 4, count = 5 }
    // Options tables.
    enum Conv2DOptions { static let padding = 0, strideW = 1, strideH = 2, activation = 3, count = 4 }
    enum DepthwiseOptions { static let padding = 0, strideW = 1, strideH = 2, depthMultiplier = 3, activation = 4, count = 5 }
    enum Pool2DOptions { static let padding = 0, strideW = 1, strideH = 2, filterW = 3, filterH = 4, activation = 5, count = 6 }
    enum FullyConnectedOptions { static let activation = 0, count = 1 }
    enum SoftmaxOptions { static let beta = 0, count = 1 }
    enum AddOptions { static let activation = 0, count = 1 }
    enum ReshapeOptions { static let newShape = 0, count = 1 }
    enum ReducerOptions { static let keepDims = 0, count = 1 }
}

/// How a TFLite file stores its numbers.
enum TFLitePrecision {
    case float32
    case float16
    case int8(Int8Plan, input: InferenceType, output: InferenceType)
}

/// Writes an `ExportGraph` as a TFLite flatbuffer in the operators TFLite's
/// builtin kernels run, with one input [1, …] (any batch: its signature is
/// [-1, …]) and the class probabilities as output. `metadata` (a ModelMetadata
/// flatbuffer) goes in a buffer named TFLITE_METADATA, as Model Maker does.
struct TFLiteWriter {
    typealias S = TFLiteSchema

    private struct TensorEntry {
        var name: String
        var shape: [Int]
        var signature: [Int]?
        var type: S.TensorType
        var buffer = 0
        var quantization: (scales: [Float], zeroPoints: [Int64], dimension: Int)? = nil
    }

    private struct OperatorEntry {
        var opcode: Int
        var inputs: [Int]
        var outputs: [Int]
        var optionsType: S.Options
        var options: ((inout FlatBufferBuilder) -> Int)?
    }

    private let graph: ExportGraph
    private let precision: TFLitePrecision
    private var buffers: [[UInt8]] = [[]]
    private var tensors: [TensorEntry] = []
    private var operators: [OperatorEntry] = []
    private var opcodes: [(code: S.Operator, version: Int32)] = []
    /// The tensor holding each graph value.
    private var valueTensors: [Int] = []
    private var inputTensor = 0, outputTensor = 0

    private var plan: Int8Plan? {
        if case .int8(let plan, _, _) = precision { return plan }
        return nil
    }

    init(graph: ExportGraph, precision: TFLitePrecision) throws {
        self.graph = graph
        self.precision = precision
        try lower()
    }

    // MARK: Building the tables

    private mutating func addBuffer(_ bytes: [UInt8]) -> Int {
        buffers.append(bytes)
        return buffers.count - 1
    }

    private mutating func addTensor(_ t: TensorEntry) -> Int {
        tensors.append(t)
        return tensors.count - 1
    }

    private mutating func addOperator(_ op: S.Operator, version: Int32 = 1, inputs: [Int], outputs: [Int],
                                      options: S.Options = .none, write: ((inout FlatBufferBuilder) -> Int)? = nil) {
        let index: Int
        if let i = opcodes.firstIndex(where: { $0.code == op && $0.version == version }) { index = i } else {
            opcodes.append((op, version))
            index = opcodes.count - 1
        }
        operators.append(OperatorEntry(opcode: index, inputs: inputs, outputs: outputs, optionsType: options, options: write))
    }

    private static func bytes<T: FixedWidthInteger>(_ values: [T]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: values.count * MemoryLayout<T>.size)
        out.withUnsafeMutableBytes { raw in
            for (i, v) in values.enumerated() { raw.storeBytes(of: v.littleEndian, toByteOffset: i * MemoryLayout<T>.size, as: T.self) }
        }
        return out
    }

    /// A float constant, in float32, or in float16 with the DEQUANTIZE op that
    /// turns it back (as TensorFlow's float16 converter writes it).
    private mutating func floatConstant(_ name: String, _ values: [Float], shape: [Int]) -> Int {
        if case .float16 = precision {
            let half = addTensor(TensorEntry(name: name + "_float16", shape: shape, type: .float16,
                                             buffer: addBuffer(Self.bytes(values.map(halfBits)))))
            let full = addTensor(TensorEntry(name: name, shape: shape, type: .float32))
            addOperator(.dequantize, version: 3, inputs: [half], outputs: [full])
            return full
        }
        return addTensor(TensorEntry(name: name, shape: shape, type: .float32, buffer: addBuffer(Self.bytes(values.map(\.bitPattern)))))
    }

    private mutating func int32Constant(_ name: String, _ values: [Int32]) -> Int {
        addTensor(TensorEntry(name: name, shape: [values.count], type: .int32, buffer: addBuffer(Self.bytes(values))))
    }

    /// The weights and bias of node `index`: float (or float16), or int8 with an int32 bias.
    private mutating func weights(node index: Int, name: String, weight: Tensor, bias: Tensor, order: [Int], shape: [Int],
                                  dimension: Int) -> (Int, Int) {
        guard let plan, let q = plan.weights[index] else {
            return (floatConstant(name + "_weights", permute(weight.scalars, shape: weight.shape, order: order), shape: shape),
                    floatConstant(name + "_bias", bias.scalars, shape: [bias.count]))
        }
        let perChannel = Set(q.scales).count > 1 || dimension != 0
        let scales = perChannel ? q.scales : [q.scales[0]]
        let values = permute(q.values, shape: weight.shape, order: order).map { UInt8(bitPattern: $0) }
        let w = addTensor(TensorEntry(name: name + "_weights", shape: shape, type: .int8, buffer: addBuffer(values),
                                      quantization: (scales, [Int64](repeating: 0, count: scales.count), dimension)))
        let inputScale = plan.params[graph.nodes[index].inputs[0]].scale
        let (biasValues, allBiasScales) = q.bias(bias, inputScale: inputScale)
        let biasScales = perChannel ? allBiasScales : [allBiasScales[0]]
        let b = addTensor(TensorEntry(name: name + "_bias", shape: [bias.count], type: .int32, buffer: addBuffer(Self.bytes(biasValues)),
                                      quantization: (biasScales, [Int64](repeating: 0, count: biasScales.count), 0)))
        return (w, b)
    }

    /// TFLite pads "same" or "valid"; an explicit padding is accepted when it is one of them for this input.
    private func paddingCode(_ padding: Padding, input: [Int], kernel: Int, stride: Int, what: String) throws -> UInt8 {
        switch padding {
        case .same: return S.PaddingCode.same.rawValue
        case .valid, .explicit(0): return S.PaddingCode.valid.rawValue
        case .explicit(let p):
            let same = input.prefix(2).allSatisfy { size in
                let out = (size + stride - 1) / stride
                let total = max((out - 1) * stride + kernel - size, 0)
                return total / 2 == p && total - total / 2 == p
            }
            guard same else {
                throw ExportError("a \(what) padded by \(p) pixel\(p == 1 ? "" : "s") on every side cannot be written to a TFLite file, whose convolutions and "
                                  + "pools pad only \"same\" or \"valid\"; export it as .onnx, or train it with padding \"same\"")
            }
            return S.PaddingCode.same.rawValue
        }
    }

    private var isInt8: Bool { plan != nil }

    /// Lays out tensors and operators: quantize at the input and dequantize at
    /// the output when an int8 model keeps float input and output.
    private mutating func lower() throws {
        let valueType: S.TensorType = isInt8 ? .int8 : .float32
        let inputName = graph.inputName
        for v in 0..<graph.shapes.count {
            let name = v == 0 ? inputName : (v == graph.output ? "probability" : "value_\(v)")
            var entry = TensorEntry(name: name, shape: [1] + graph.shapes[v], signature: [-1] + graph.shapes[v], type: valueType)
            if let p = plan?.params[v] { entry.quantization = ([p.scale], [Int64(p.zeroPoint)], 0) }
            valueTensors.append(addTensor(entry))
        }
        (inputTensor, outputTensor) = (valueTensors[0], valueTensors[graph.output])
        if case .int8(let plan, let inputType, _) = precision, inputType != .int8 {
            tensors[inputTensor].name = inputName + "_int8"
            var outer = TensorEntry(name: inputName, shape: tensors[inputTensor].shape, signature: tensors[inputTensor].signature,
                                    type: inputType == .uint8 ? .uint8 : .float32)
            if inputType == .uint8 { outer.quantization = ([plan.params[0].scale], [Int64(plan.params[0].zeroPoint + 128)], 0) }
            let t = addTensor(outer)
            addOperator(.quantize, version: 2, inputs: [t], outputs: [valueTensors[0]])
            inputTensor = t
        }
        for (i, node) in graph.nodes.enumerated() { try emit(node, index: i) }
        if case .int8(_, _, let outputType) = precision, outputType != .int8 {
            tensors[outputTensor].name = "probability_int8"
            var outer = TensorEntry(name: "probability", shape: tensors[outputTensor].shape, signature: tensors[outputTensor].signature,
                                    type: outputType == .uint8 ? .uint8 : .float32)
            if outputType == .uint8 { outer.quantization = ([QuantParams.probabilities.scale], [0], 0) }
            let t = addTensor(outer)
            addOperator(outputType == .uint8 ? .quantize : .dequantize, version: 2, inputs: [outputTensor], outputs: [t])
            outputTensor = t
        }
    }

    private mutating func emit(_ node: ExportGraph.Node, index: Int) throws {
        let x = valueTensors[node.inputs[0]], y = valueTensors[node.output]
        let inputShape = graph.shapes[node.inputs[0]]
        let name = "op\(index)"
        let quantized = isInt8
        func int8Version(_ float: Int32, _ int8: Int32) -> Int32 { quantized ? int8 : float }
        switch node.op {
        case .convolution(let w, let b, let stride, let padding, let act):
            let k = w.shape[0]
            let pad = try paddingCode(padding, input: inputShape, kernel: k, stride: stride, what: "\(k)×\(k) convolution")
            let (wt, bt) = weights(node: index, name: name, weight: w, bias: b, order: [3, 0, 1, 2],
                                   shape: [w.shape[3], k, k, w.shape[2]], dimension: 0)
            addOperator(.conv2D, version: int8Version(1, 3), inputs: [x, wt, bt], outputs: [y], options: .conv2D) { f in
                f.startTable(fields: S.Conv2DOptions.count)
                f.add(slot: S.Conv2DOptions.strideW, Int32(stride), default: 0)
                f.add(slot: S.Conv2DOptions.strideH, Int32(stride), default: 0)
                f.add(slot: S.Conv2DOptions.padding, pad, default: 0)
                f.add(slot: S.Conv2DOptions.activation, S.activationCode(act), default: 0)
                return f.endTable()
            }
        case .depthwise(let w, let b, let stride, let padding, let act):
            let k = w.shape[0]
            let pad = try paddingCode(padding, input: inputShape, kernel: k, stride: stride, what: "\(k)×\(k) depthwise convolution")
            let (wt, bt) = weights(node: index, name: name, weight: w, bias: b, order: [0, 1, 2], shape: [1, k, k, w.shape[2]], dimension: 3)
            addOperator(.depthwiseConv2D, version: int8Version(1, 3), inputs: [x, wt, bt], outputs: [y], options: .depthwiseConv2D) { f in
                f.startTable(fields: S.DepthwiseOptions.count)
                f.add(slot: S.DepthwiseOptions.strideW, Int32(stride), default: 0)
                f.add(slot: S.DepthwiseOptions.strideH, Int32(stride), default: 0)
                f.add(slot: S.DepthwiseOptions.depthMultiplier, Int32(1), default: 0)
                f.add(slot: S.DepthwiseOptions.padding, pad, default: 0)
                f.add(slot: S.DepthwiseOptions.activation, S.activationCode(act), default: 0)
                return f.endTable()
            }
        case .fullyConnected(let w, let b, let act):
            let (wt, bt) = weights(node: index, name: name, weight: w, bias: b, order: [1, 0], shape: [w.shape[1], w.shape[0]], dimension: 0)
            addOperator(.fullyConnected, version: int8Version(1, 4), inputs: [x, wt, bt], outputs: [y], options: .fullyConnected) { f in
                f.startTable(fields: S.FullyConnectedOptions.count)
                f.add(slot: S.FullyConnectedOptions.activation, S.activationCode(act), default: 0)
                return f.endTable()
            }
        case .add(let act):
            addOperator(.add, version: int8Version(1, 2), inputs: [x, valueTensors[node.inputs[1]]], outputs: [y], options: .add) { f in
                f.startTable(fields: S.AddOptions.count)
                f.add(slot: S.AddOptions.activation, S.activationCode(act), default: 0)
                return f.endTable()
            }
        case .mean:
            let axes = int32Constant(name + "_axes", [1, 2])
            addOperator(.mean, version: int8Version(1, 2), inputs: [x, axes], outputs: [y], options: .reducer) { f in
                f.startTable(fields: S.ReducerOptions.count)
                f.add(slot: S.ReducerOptions.keepDims, false)
                return f.endTable()
            }
        case .maxPool(let size, let stride, let padding, let act), .averagePool(let size, let stride, let padding, let act):
            let isMax: Bool
            if case .maxPool = node.op { isMax = true } else { isMax = false }
            let pad = try paddingCode(padding, input: inputShape, kernel: size, stride: stride, what: "\(size)×\(size) pool")
            addOperator(isMax ? .maxPool2D : .averagePool2D, version: int8Version(1, 2), inputs: [x], outputs: [y], options: .pool2D) { f in
                f.startTable(fields: S.Pool2DOptions.count)
                f.add(slot: S.Pool2DOptions.strideW, Int32(stride), default: 0)
                f.add(slot: S.Pool2DOptions.strideH, Int32(stride), default: 0)
                f.add(slot: S.Pool2DOptions.filterW, Int32(size), default: 0)
                f.add(slot: S.Pool2DOptions.filterH, Int32(size), default: 0)
                f.add(slot: S.Pool2DOptions.padding, pad, default: 0)
                f.add(slot: S.Pool2DOptions.activation, S.activationCode(act), default: 0)
                return f.endTable()
            }
        case .flatten:
            let newShape: [Int32] = [-1, Int32(graph.shapes[node.output][0])]
            let shape = int32Constant(name + "_shape", newShape)
            addOperator(.reshape, inputs: [x, shape], outputs: [y], options: .reshape) { f in
                let v = f.vector(newShape)
                f.startTable(fields: S.ReshapeOptions.count)
                f.addOffset(slot: S.ReshapeOptions.newShape, v)
                return f.endTable()
            }
        case .activation(let act):
            guard act != .none else { return }
            addOperator(act == .relu ? .relu : .relu6, version: int8Version(1, 2), inputs: [x], outputs: [y])
        case .softmax:
            addOperator(.softmax, version: int8Version(1, 2), inputs: [x], outputs: [y], options: .softmax) { f in
                f.startTable(fields: S.SoftmaxOptions.count)
                f.add(slot: S.SoftmaxOptions.beta, Float(1), default: 0)
                return f.endTable()
            }
        }
    }

    // MARK: Writing the flatbuffer

    /// The model file's bytes; `metadata` is a ModelMetadata flatbuffer for TFLITE_METADATA.
    func encode(description: String, metadata: [UInt8]?) -> [UInt8] {
        var f = FlatBufferBuilder(capacity: buffers.reduce(1 << 16) { $0 + $1.count + 32 })
        var allBuffers = buffers
        let metadataBuffer = metadata.map { allBuffers.append($0); return allBuffers.count - 1 }
        // Buffers: the large constant data first, so that it sits at the end of the file.
        let bufferTables: [Int] = allBuffers.map { data in
            let v = data.isEmpty ? nil : f.bytes(data, alignment: 16)
            f.startTable(fields: S.Buffer.count)
            if let v { f.addOffset(slot: S.Buffer.data, v) }
            return f.endTable()
        }
        let tensorTables: [Int] = tensors.map { t in
            let name = f.string(t.name)
            let shape = f.vector(t.shape.map(Int32.init))
            let signature = t.signature.map { f.vector($0.map(Int32.init)) }
            let quantization: Int? = t.quantization.map { q in
                let scales = f.vector(q.scales), zeros = f.vector(q.zeroPoints)
                f.startTable(fields: S.Quantization.count)
                f.addOffset(slot: S.Quantization.scale, scales)
                f.addOffset(slot: S.Quantization.zeroPoint, zeros)
                f.add(slot: S.Quantization.quantizedDimension, Int32(q.dimension), default: 0)
                return f.endTable()
            }
            f.startTable(fields: S.Tensor.count)
            f.addOffset(slot: S.Tensor.shape, shape)
            f.add(slot: S.Tensor.type, t.type.rawValue, default: 0)
            f.add(slot: S.Tensor.buffer, UInt32(t.buffer), default: 0)
            f.addOffset(slot: S.Tensor.name, name)
            if let quantization { f.addOffset(slot: S.Tensor.quantization, quantization) }
            if let signature { f.addOffset(slot: S.Tensor.shapeSignature, signature) }
            return f.endTable()
        }
        let operatorTables: [Int] = operators.map { op in
            let inputs = f.vector(op.inputs.map(Int32.init)), outputs = f.vector(op.outputs.map(Int32.init))
            let options = op.options.map { $0(&f) }
            f.startTable(fields: S.Operation.count)
            f.add(slot: S.Operation.opcodeIndex, UInt32(op.opcode), default: 0)
            f.addOffset(slot: S.Operation.inputs, inputs)
            f.addOffset(slot: S.Operation.outputs, outputs)
            if let options {
                f.add(slot: S.Operation.optionsType, op.optionsType.rawValue, default: 0)
                f.addOffset(slot: S.Operation.options, options)
            }
            return f.endTable()
        }
        let subgraph: Int = {
            let tensorVector = f.vector(offsets: tensorTables)
            let inputs = f.vector([Int32(inputTensor)]), outputs = f.vector([Int32(outputTensor)])
            let operatorVector = f.vector(offsets: operatorTables)
            let name = f.string("main")
            f.startTable(fields: S.SubGraph.count)
            f.addOffset(slot: S.SubGraph.tensors, tensorVector)
            f.addOffset(slot: S.SubGraph.inputs, inputs)
            f.addOffset(slot: S.SubGraph.outputs, outputs)
            f.addOffset(slot: S.SubGraph.operators, operatorVector)
            f.addOffset(slot: S.SubGraph.name, name)
            return f.endTable()
        }()
        let codeTables: [Int] = opcodes.map { code in
            f.startTable(fields: S.OperatorCode.count)
            f.add(slot: S.OperatorCode.builtinCode, code.code.rawValue, default: 0)
            f.add(slot: S.OperatorCode.version, code.version, default: 1)
            f.add(slot: S.OperatorCode.deprecatedBuiltinCode, Int8(min(code.code.rawValue, 127)), default: 0)
            return f.endTable()
        }
        let metadataTables: [Int] = metadataBuffer.map { index in
            let name = f.string("TFLITE_METADATA")
            f.startTable(fields: S.Metadata.count)
            f.addOffset(slot: S.Metadata.name, name)
            f.add(slot: S.Metadata.buffer, UInt32(index), default: 0)
            return [f.endTable()]
        } ?? []
        let signature: Int = {
            func tensorMap(_ name: String, _ index: Int) -> Int {
                let n = f.string(name)
                f.startTable(fields: S.TensorMap.count)
                f.addOffset(slot: S.TensorMap.name, n)
                f.add(slot: S.TensorMap.tensorIndex, UInt32(index), default: 0)
                return f.endTable()
            }
            let inputs = f.vector(offsets: [tensorMap(tensors[inputTensor].name, inputTensor)])
            let outputs = f.vector(offsets: [tensorMap("probability", outputTensor)])
            let key = f.string("serving_default")
            f.startTable(fields: S.SignatureDef.count)
            f.addOffset(slot: S.SignatureDef.inputs, inputs)
            f.addOffset(slot: S.SignatureDef.outputs, outputs)
            f.addOffset(slot: S.SignatureDef.key, key)
            return f.endTable()
        }()
        let codes = f.vector(offsets: codeTables)
        let subgraphs = f.vector(offsets: [subgraph])
        let text = f.string(description)
        let bufferVector = f.vector(offsets: bufferTables)
        let metadataVector = metadataTables.isEmpty ? nil : f.vector(offsets: metadataTables)
        let signatures = f.vector(offsets: [signature])
        f.startTable(fields: S.Model.count)
        f.add(slot: S.Model.version, UInt32(3), default: 0)
        f.addOffset(slot: S.Model.operatorCodes, codes)
        f.addOffset(slot: S.Model.subgraphs, subgraphs)
        f.addOffset(slot: S.Model.description, text)
        f.addOffset(slot: S.Model.buffers, bufferVector)
        if let metadataVector { f.addOffset(slot: S.Model.metadata, metadataVector) }
        f.addOffset(slot: S.Model.signatureDefs, signatures)
        return f.finish(root: f.endTable(), identifier: "TFL3")
    }
}
