import CellLanguage
import Foundation
import Rendering
import TrainingEngine

/// Least-squares polynomial fitting, for the overfitting lesson: a degree-9
/// polynomial through ten points fits them exactly and is wild in between.
enum Polynomial {
    /// Coefficients c₀ … c_d of the least-squares fit, solved from the normal
    /// equations with x scaled to [-1, 1] for conditioning.
    static func fit(x: [Double], y: [Double], degree: Int) throws -> [Double] {
        guard x.count == y.count, !x.isEmpty else { throw CellError.value("x and y need the same, non-zero number of values") }
        guard (0...15).contains(degree) else { throw CellError.value("degree must be 0 to 15") }
        let n = degree + 1
        let (lo, hi) = (x.min() ?? 0, x.max() ?? 1)
        let (mid, half) = ((lo + hi) / 2, max((hi - lo) / 2, 1e-12))
        let u = x.map { ($0 - mid) / half }
        var a = [[Double]](repeating: [Double](repeating: 0, count: n + 1), count: n)
        for (ui, yi) in zip(u, y) {
            var powers = [Double](repeating: 1, count: 2 * n)
            for k in 1..<(2 * n) { powers[k] = powers[k - 1] * ui }
            for r in 0..<n {
                for c in 0..<n { a[r][c] += powers[r + c] }
                a[r][n] += powers[r] * yi
            }
        }
        // Gaussian elimination with partial pivoting, with a tiny ridge for more parameters than points.
        for r in 0..<n { a[r][r] += 1e-10 }
        for col in 0..<n {
            let pivot = (col..<n).max { abs(a[$0][col]) < abs(a[$1][col]) } ?? col
            a.swapAt(col, pivot)
            guard abs(a[col][col]) > 1e-300 else { continue }
            for r in 0..<n where r != col {
                let f = a[r][col] / a[col][col]
                for c in col...n { a[r][c] -= f * a[col][c] }
            }
        }
        let scaled = (0..<n).map { a[$0][$0] == 0 ? 0 : a[$0][n] / a[$0][$0] }
        // Back to powers of x: Σ s_k ((x − mid)/half)^k.
        var coefficients = [Double](repeating: 0, count: n)
        for k in 0..<n {
            // (x − mid)^k / half^k expanded with binomial coefficients.
            var binomial = 1.0
            for j in 0...k {
                if j > 0 { binomial = binomial * Double(k - j + 1) / Double(j) }
                coefficients[j] += scaled[k] * binomial * pow(-mid, Double(k - j)) / pow(half, Double(k))
            }
        }
        return coefficients
    }

    static func evaluate(_ c: [Double], _ x: Double) -> Double { c.reversed().reduce(0) { $0 * x + $1 } }
}

extension PracticeBuiltins {
    static func registerLessons(in r: BuiltinRegistry) {
        struct Fit: Decodable { var x: [Double], y: [Double], degree: Int }
        r.addFunction("fitPolynomial(x: [Double], y: [Double], degree: Int) -> [Double]",
                      doc: "The least-squares polynomial of this degree through the points: its coefficients c₀, c₁, … (c₀ + c₁x + c₂x² + …).",
                      example: "let line = fitPolynomial(x: xs, y: ys, degree: 1)", options: Fit.self) { o, _ in
            .array(try Polynomial.fit(x: o.x, y: o.y, degree: o.degree).map { .double($0) })
        }
        struct Evaluate: Decodable { var coefficients: [Double], x: [Double] }
        r.addFunction("evaluatePolynomial(_ coefficients: [Double], at x: [Double]) -> [Double]",
                      doc: "The polynomial's values at each x.",
                      example: "evaluatePolynomial(line, at: [0, 0.5, 1])", options: Evaluate.self) { o, _ in
            return .array(o.x.map { .double(Polynomial.evaluate(o.coefficients, $0)) })
        }
        struct Errors: Decodable { var predicted: [Double], actual: [Double] }
        r.addFunction("meanSquaredError(_ predicted: [Double], _ actual: [Double]) -> Double",
                      doc: "The mean of the squared differences: 0 is a perfect fit.",
                      example: "meanSquaredError(evaluatePolynomial(line, at: xs), ys)", options: Errors.self) { o, _ in
            let p = o.predicted, y = o.actual
            guard p.count == y.count, !p.isEmpty else { throw CellError.value("both need the same, non-zero number of values") }
            return .double(zip(p, y).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } / Double(p.count))
        }
        struct Convolution: Decodable { var inputs: Int, outputs: Int, kernelSize: Int, stride: Int, padding: String }
        r.addFunction("Conv2D(_ inputs: Int, _ outputs: Int, kernelSize: Int = 3, stride: Int = 1, padding: String = \"same\") -> Layer",
                      doc: "A convolution over pictures: `outputs` filters of kernelSize × kernelSize; padding \"same\" keeps the size, \"valid\" shrinks it.",
                      example: "Conv2D(3, 16, kernelSize: 3)", options: Convolution.self) { o, rt in
            var random = EngineRandom(seed: seed(rt))
            let padding: Padding
            switch o.padding {
            case "same": padding = .same
            case "valid": padding = .valid
            default: throw CellError.value("padding must be \"same\" or \"valid\"")
            }
            return .object(LayerObject(try TrainingEngine.Conv2D(o.inputs, o.outputs, kernelSize: o.kernelSize, stride: o.stride, padding: padding, random: &random)))
        }
        struct Pool: Decodable { var size: Int }
        r.addFunction("MaxPool(_ size: Int = 2) -> Layer", doc: "Keeps the largest value of each size × size window: halves the picture.",
                      example: "MaxPool(2)", options: Pool.self) { o, _ in
            return .object(LayerObject(try TrainingEngine.MaxPool(size: o.size)))
        }
        r.addFunction("GlobalAveragePool() -> Layer", doc: "The mean of each channel over the whole picture.",
                      example: "GlobalAveragePool()") { _, _ in .object(LayerObject(TrainingEngine.GlobalAveragePool())) }
        r.addFunction("Flatten() -> Layer", doc: "Turns pictures into one long vector each, for a Dense layer after it.",
                      example: "Flatten()") { _, _ in .object(LayerObject(TrainingEngine.Flatten())) }
        struct Features: Decodable { var features: Int }
        r.addFunction("BatchNorm(_ features: Int) -> Layer", doc: "Normalises each feature or channel over the batch.",
                      example: "BatchNorm(16)", options: Features.self) { o, _ in
            return .object(LayerObject(try TrainingEngine.BatchNorm(features: o.features)))
        }
        r.addFunction("loadModel(_ path: String) -> Sequential",
                      doc: "A model saved with export, ready to evaluate or train further.",
                      example: "let model = loadModel(\"fish-classifier.safetensors\")", options: PathArgument.self) { o, rt in
            var path = o.path
            let exact = try allowedPath(path, rt)
            if !path.hasSuffix(".safetensors") && !FileManager.default.fileExists(atPath: exact.path) { path += ".safetensors" }
            let model = try Model.load(from: try allowedPath(path, rt))
            let object = ModelObject(model.network)
            object.model = model
            return .object(object)
        }
    }
}
