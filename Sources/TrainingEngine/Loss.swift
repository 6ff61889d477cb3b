import Foundation

/// A loss's value (averaged over the batch) and its gradient with respect to
/// the network's output.
public struct LossResult {
    public let value: Float
    public let gradient: Tensor
}

public protocol Loss {
    var name: String { get }
    func callAsFunction(_ output: Tensor, labels: [Int]) throws -> LossResult
}

/// Softmax followed by cross-entropy against class labels, computed from
/// logits with the log-sum-exp shift so that large logits never overflow.
/// With label smoothing ε the target puts 1 − ε on the true class and spreads
/// ε evenly over all classes (PyTorch's convention).
public struct SoftmaxCrossEntropy: Loss {
    public let labelSmoothing: Float
    public init(labelSmoothing: Float = 0) { self.labelSmoothing = labelSmoothing }
    public var name: String { "cross-entropy" }

    public func callAsFunction(_ logits: Tensor, labels: [Int]) throws -> LossResult {
        try checkRank(logits.shape, 2, "cross-entropy", "logits [batch, classes]")
        let (n, k) = (logits.shape[0], logits.shape[1])
        guard labels.count == n else {
            throw ShapeError("cross-entropy got \(n) rows of logits but \(labels.count) labels")
        }
        guard labelSmoothing >= 0, labelSmoothing < 1 else {
            throw InvalidArgument("label smoothing must be in [0, 1), got \(labelSmoothing)")
        }
        let grad = try Tensor(uninitialized: logits.shape)
        var total: Double = 0
        let off = labelSmoothing / Float(k)
        let invN = 1 / Float(max(n, 1))
        for r in 0..<n {
            let y = labels[r]
            guard y >= 0, y < k else { throw InvalidArgument("label \(y) is outside the \(k) classes") }
            let row = logits.pointer + r * k, g = grad.pointer + r * k
            var m = -Float.infinity
            for j in 0..<k { m = max(m, row[j]) }
            var s: Float = 0
            for j in 0..<k { let e = Foundation.exp(row[j] - m); g[j] = e; s += e }
            let logSum = m + Foundation.log(s)
            var loss: Float = 0
            for j in 0..<k {
                let target = (j == y ? 1 - labelSmoothing : 0) + off
                if target > 0 { loss -= target * (row[j] - logSum) }
                g[j] = (g[j] / s - target) * invN
            }
            total += Double(loss)
        }
        return LossResult(value: Float(total / Double(max(n, 1))), gradient: grad)
    }
}

/// Mean squared error against targets of the output's shape (regression).
public struct MeanSquaredError {
    public init() {}
    public var name: String { "mean squared error" }

    public func callAsFunction(_ output: Tensor, targets: Tensor) throws -> LossResult {
        guard output.shape == targets.shape else {
            throw ShapeError("mean squared error needs predictions and targets of one shape, got "
                             + "\(shapeText(output.shape)) and \(shapeText(targets.shape))")
        }
        let diff = try output - targets
        let n = Float(max(output.count, 1))
        var total: Double = 0
        for i in 0..<diff.count { total += Double(diff.pointer[i] * diff.pointer[i]) }
        return LossResult(value: Float(total / Double(n)), gradient: try diff * (2 / n))
    }
}
