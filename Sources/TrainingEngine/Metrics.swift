import Foundation

/// How well a classifier does on a labelled set.
public struct Evaluation: Sendable {
    public let loss: Float
    public let labels: [Int]
    public let predictions: [Int]
    public let classNames: [String]
    /// confusion[actual][predicted] = count.
    public let confusion: [[Int]]
    let logits: Tensor

    public init(logits: Tensor, labels: [Int], classNames: [String], loss: Float) throws {
        self.logits = logits
        self.labels = labels
        self.classNames = classNames
        self.loss = loss
        predictions = labels.isEmpty ? [] : try logits.argmaxRows()
        confusion = try confusionMatrix(predicted: predictions, actual: labels, classes: classNames.count)
    }

    public var accuracy: Float { TrainingEngine.accuracy(predicted: predictions, actual: labels) }

    /// The same as a Double computed from the counts: 28 of 60 right is
    /// exactly what a learner gets from 28.0 / 60 (0.4666666666666667).
    public var exactAccuracy: Double {
        labels.isEmpty ? 0 : Double(zip(predictions, labels).reduce(0) { $0 + ($1.0 == $1.1 ? 1 : 0) }) / Double(labels.count)
    }

    /// Rows of the confusion matrix divided by their totals (each row sums to 1).
    public var normalisedConfusion: [[Float]] {
        confusion.map { row in
            let total = row.reduce(0, +)
            return row.map { total == 0 ? 0 : Float($0) / Float(total) }
        }
    }

    /// Of the samples predicted as each class, the fraction that were that class.
    public var precision: [Float] {
        (0..<classNames.count).map { c in
            let predicted = confusion.reduce(0) { $0 + $1[c] }
            return predicted == 0 ? 0 : Float(confusion[c][c]) / Float(predicted)
        }
    }

    /// Of the samples of each class, the fraction predicted as that class.
    public var recall: [Float] {
        (0..<classNames.count).map { c in
            let actual = confusion[c].reduce(0, +)
            return actual == 0 ? 0 : Float(confusion[c][c]) / Float(actual)
        }
    }

    /// The fraction of samples whose label is among the `k` highest outputs.
    public func topKAccuracy(_ k: Int) throws -> Float { try TrainingEngine.topKAccuracy(logits, labels: labels, k: k) }
}

public func accuracy(predicted: [Int], actual: [Int]) -> Float {
    guard !actual.isEmpty else { return 0 }
    return Float(zip(predicted, actual).filter { $0 == $1 }.count) / Float(actual.count)
}

/// confusion[actual][predicted] = count.
public func confusionMatrix(predicted: [Int], actual: [Int], classes: Int) throws -> [[Int]] {
    guard predicted.count == actual.count else {
        throw ShapeError("\(predicted.count) predictions for \(actual.count) labels")
    }
    var m = [[Int]](repeating: [Int](repeating: 0, count: classes), count: classes)
    for (p, a) in zip(predicted, actual) {
        guard (0..<classes).contains(p), (0..<classes).contains(a) else {
            throw InvalidArgument("class \(max(p, a)) is outside the \(classes) classes")
        }
        m[a][p] += 1
    }
    return m
}

public func topKAccuracy(_ logits: Tensor, labels: [Int], k: Int) throws -> Float {
    try checkRank(logits.shape, 2, "top-k accuracy", "scores [batch, classes]")
    guard k >= 1 else { throw InvalidArgument("k must be at least 1") }
    guard labels.count == logits.shape[0] else { throw ShapeError("\(logits.shape[0]) rows of scores for \(labels.count) labels") }
    let classes = logits.shape[1]
    var hits = 0
    for (r, y) in labels.enumerated() {
        let row = logits.pointer + r * classes
        // The label is in the top k when fewer than k classes score higher.
        var higher = 0
        for j in 0..<classes where row[j] > row[y] || (row[j] == row[y] && j < y) { higher += 1 }
        if higher < k { hits += 1 }
    }
    return labels.isEmpty ? 0 : Float(hits) / Float(labels.count)
}
