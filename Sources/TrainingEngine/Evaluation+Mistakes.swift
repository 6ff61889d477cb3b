import Foundation

/// The mistakes of an evaluation, worst first: the pictures a model got most
/// wrong and the pairs of classes it mixes up most.
extension Evaluation {
    /// Each sample's cross-entropy loss, −log p(actual class); their mean is
    /// `loss` (without label smoothing).
    public var sampleLosses: [Float] {
        let k = classNames.count
        return labels.enumerated().map { r, y in
            let row = logits.pointer + r * k
            var m = -Float.infinity
            for j in 0..<k { m = max(m, row[j]) }
            var s: Float = 0
            for j in 0..<k { s += Foundation.exp(row[j] - m) }
            return m + Foundation.log(s) - row[y]
        }
    }

    /// Each sample's class probabilities (softmax of its logits).
    public func probabilities() throws -> Tensor { try softmax(logits) }

    /// The indices of the `count` samples with the highest loss, highest first
    /// (ties in sample order).
    public func topLosses(_ count: Int) -> [Int] {
        let losses = sampleLosses
        let order = losses.indices.sorted { losses[$0] > losses[$1] || (losses[$0] == losses[$1] && $0 < $1) }
        return Array(order.prefix(max(count, 0)))
    }

    /// (actual, predicted, count) for every pair of different classes the
    /// model mixed up at least `minimum` times, most often first.
    public func mostConfused(minimum: Int = 1) -> [(actual: Int, predicted: Int, count: Int)] {
        var pairs: [(actual: Int, predicted: Int, count: Int)] = []
        for (a, row) in confusion.enumerated() {
            for (p, n) in row.enumerated() where a != p && n >= max(minimum, 1) { pairs.append((a, p, n)) }
        }
        return pairs.sorted { ($0.count, -$0.actual, -$0.predicted) > ($1.count, -$1.actual, -$1.predicted) }
    }
}
