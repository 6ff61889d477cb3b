import Foundation

/// A fully connected layer: `output = input · weight + bias`, with `weight`
/// of shape [inputs, outputs].
public final class Dense: Layer {
    public let inputSize: Int
    public let outputSize: Int
    public let weight: Parameter
    public let bias: Parameter
    public var isFrozen = false
    private var input: Tensor?

    /// Glorot-uniform weights and zero bias from a seeded generator.
    public init(_ inputSize: Int, _ outputSize: Int, random: inout EngineRandom) throws {
        guard inputSize > 0, outputSize > 0 else {
            throw InvalidArgument("Dense needs positive sizes, got \(inputSize) → \(outputSize)")
        }
        self.inputSize = inputSize
        self.outputSize = outputSize
        let bound = (6 / Float(inputSize + outputSize)).squareRoot()
        weight = try Parameter(name: "weight", value: Tensor(shape: [inputSize, outputSize]) { _ in random.uniform(-bound, bound) })
        bias = try Parameter(name: "bias", value: Tensor(zeros: [outputSize]))
    }

    public var name: String { "Dense" }
    public var parameters: [Parameter] { [weight, bias] }
    public var spec: LayerSpec { LayerSpec(kind: "Dense", ints: ["inputs": inputSize, "outputs": outputSize]) }

    public func outputShape(for input: [Int]) throws -> [Int] {
        try checkRank(input, 2, "Dense", "a batch of feature vectors [batch, \(inputSize)]; put a Flatten before it")
        guard input[1] == inputSize else {
            throw ShapeError("Dense(\(inputSize) → \(outputSize)) got \(input[1]) features per sample (shape \(shapeText(input)))")
        }
        return [input[0], outputSize]
    }

    public func forward(_ x: Tensor, training: Bool) throws -> Tensor {
        let shape = try outputShape(for: x.shape)
        let n = shape[0]
        let out = try Tensor(uninitialized: shape)
        // Bias first in every row, then the product accumulates onto it.
        fillRows(out.pointer, rows: n, with: bias.value.pointer, width: outputSize)
        let (xp, w, o, width, depth) = (x.pointer, weight.value.pointer, out.pointer, outputSize, inputSize)
        if Dense.isNarrow(outputSize) {
            Engine.parallelFor(n, grain: 8) { rows in
                Narrow.multiply(m: rows.count, n: width, k: depth, a: xp + rows.lowerBound * depth, lda: depth, b: w,
                                ldb: width, c: o + rows.lowerBound * width, ldc: width, accumulate: true)
            }
        } else {
            Engine.sgemm(transA: false, transB: false, m: n, n: outputSize, k: inputSize,
                         a: x.pointer, lda: inputSize, b: weight.value.pointer, ldb: outputSize,
                         beta: 1, c: out.pointer, ldc: outputSize)
        }
        input = training ? x : nil
        return out
    }

    /// Layers with up to 64 outputs (a multiple of 8) use the narrow products.
    static func isNarrow(_ outputs: Int) -> Bool { outputs <= 64 && Narrow.fits(outputs) }

    public func backward(_ g: Tensor, needInputGradient: Bool) throws -> Tensor? {
        let x = try requireCached(input, "Dense")
        let n = x.shape[0]
        guard g.shape == [n, outputSize] else {
            throw ShapeError("Dense backward expects a gradient of shape \(shapeText([n, outputSize])), got \(shapeText(g.shape))")
        }
        if !isFrozen {
            let dw = weight.mutableGradient
            if Dense.isNarrow(outputSize) {
                let (xp, gp, width, depth) = (x.pointer, g.pointer, outputSize, inputSize)
                Engine.parallelFor(inputSize, grain: 64) { inputs in
                    Narrow.multiplyTransposedA(r: n, m: inputs.count, n: width, a: xp + inputs.lowerBound, lda: depth,
                                               b: gp, ldb: width, c: dw + inputs.lowerBound * width, ldc: width,
                                               accumulate: false)
                }
            } else {
                Engine.sgemm(transA: true, transB: false, m: inputSize, n: outputSize, k: n,
                             a: x.pointer, lda: inputSize, b: g.pointer, ldb: outputSize,
                             beta: 0, c: dw, ldc: outputSize)
            }
            sumRows(g.pointer, rows: n, width: outputSize, into: bias.mutableGradient)
        }
        input = nil
        guard needInputGradient else { return nil }
        let dx = try Tensor(uninitialized: x.shape)
        Engine.sgemm(transA: false, transB: true, m: n, n: inputSize, k: outputSize,
                   a: g.pointer, lda: outputSize, b: weight.value.pointer, ldb: outputSize,
                   beta: 0, c: dx.pointer, ldc: inputSize)
        return dx
    }
}
