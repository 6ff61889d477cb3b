import Foundation

/// Labelled samples in memory: images [count, height, width, channels] or
/// feature vectors [count, features], an integer label per sample, the class
/// names, and a stable identifier per sample so that splits can be checked
/// for overlap.
public struct LabelledDataset: Sendable {
    public var inputs: Tensor
    public var labels: [Int]
    public var classNames: [String]
    /// Where each sample came from (its index in the original collection).
    public var sampleIDs: [Int]

    public init(inputs: Tensor, labels: [Int], classNames: [String], sampleIDs: [Int]? = nil) throws {
        guard let n = inputs.shape.first else { throw ShapeError("a dataset's inputs need a sample axis") }
        guard labels.count == n else {
            throw ShapeError("a dataset of \(n) samples got \(labels.count) labels")
        }
        if let bad = labels.first(where: { $0 < 0 || $0 >= classNames.count }) {
            throw InvalidArgument("label \(bad) is outside the \(classNames.count) classes \(classNames)")
        }
        let ids = sampleIDs ?? Array(0..<n)
        guard ids.count == n else { throw ShapeError("a dataset of \(n) samples got \(ids.count) sample ids") }
        (self.inputs, self.labels, self.classNames, self.sampleIDs) = (inputs, labels, classNames, ids)
    }

    public var count: Int { labels.count }
    /// The shape of one sample.
    public var sampleShape: [Int] { Array(inputs.shape.dropFirst()) }

    /// How many samples each class has, in class order.
    public var classCounts: [Int] {
        var counts = [Int](repeating: 0, count: classNames.count)
        for l in labels { counts[l] += 1 }
        return counts
    }

    /// Up to `count` sample indices taken in turn from each class (first of
    /// each class, then second, …), so that every class appears in a preview.
    public func roundRobin(_ count: Int) -> [Int] {
        var byClass = classNames.indices.map { c in labels.indices.filter { labels[$0] == c } }
        var picked: [Int] = []
        let wanted = min(max(count, 0), self.count)
        while picked.count < wanted {
            for c in byClass.indices where !byClass[c].isEmpty && picked.count < wanted { picked.append(byClass[c].removeFirst()) }
        }
        return picked
    }

    /// The samples at `indices`, in that order.
    public func subset(_ indices: [Int]) throws -> LabelledDataset {
        try LabelledDataset(inputs: inputs.gather(rows: indices), labels: indices.map { labels[$0] },
                            classNames: classNames, sampleIDs: indices.map { sampleIDs[$0] })
    }

    /// Splits into parts of the given fractions (which must add up to 1).
    /// Stratified: each class is shuffled with the seed and divided in the
    /// same proportions, so every part keeps the class balance. Parts never
    /// share a sample.
    public func split(fractions: [Double], seed: UInt64, stratified: Bool = true) throws -> [LabelledDataset] {
        guard !fractions.isEmpty, fractions.allSatisfy({ $0 >= 0 }), abs(fractions.reduce(0, +) - 1) < 1e-6 else {
            throw InvalidArgument("split fractions must be non-negative and add up to 1, got \(fractions)")
        }
        var random = EngineRandom(seed: seed)
        var parts = [[Int]](repeating: [], count: fractions.count)
        let groups: [[Int]] = stratified
            ? (0..<classNames.count).map { c in labels.indices.filter { labels[$0] == c } }
            : [Array(0..<count)]
        for var group in groups {
            group.shuffle(using: &random)
            // Largest-remainder rounding: sizes add up to the group exactly.
            let exact = fractions.map { $0 * Double(group.count) }
            var sizes = exact.map { Int($0.rounded(.down)) }
            let order = exact.indices.sorted { (exact[$0] - Double(sizes[$0])) > (exact[$1] - Double(sizes[$1])) }
            var left = group.count - sizes.reduce(0, +)
            for i in order where left > 0 { sizes[i] += 1; left -= 1 }
            var start = 0
            for (i, size) in sizes.enumerated() {
                parts[i] += group[start..<start + size]
                start += size
            }
        }
        return try parts.map { part in
            var p = part
            p.shuffle(using: &random)
            return try subset(p)
        }
    }

    /// Sample ids present in both datasets: an empty list means the two
    /// splits do not overlap.
    public static func overlap(_ a: LabelledDataset, _ b: LabelledDataset) -> [Int] {
        let seen = Set(a.sampleIDs)
        return b.sampleIDs.filter { seen.contains($0) }
    }
}

/// How many iterations (batches) an epoch of `count` samples takes: the last,
/// smaller batch counts too.
public func iterationsPerEpoch(samples count: Int, batchSize: Int) -> Int {
    batchSize > 0 ? count / batchSize + (count % batchSize == 0 ? 0 : 1) : 0
}

/// Shuffled mini-batches of sample indices for one epoch.
public func batchIndices(count: Int, batchSize: Int, shuffle: Bool, random: inout EngineRandom) throws -> [[Int]] {
    guard batchSize > 0 else { throw InvalidArgument("batch size must be at least 1, got \(batchSize)") }
    var order = Array(0..<count)
    if shuffle { order.shuffle(using: &random) }
    return stride(from: 0, to: count, by: batchSize).map { Array(order[$0..<min($0 + batchSize, count)]) }
}
