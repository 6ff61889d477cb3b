import Foundation

/// A frozen backbone's features for each sample, computed once: training a
/// new head for twenty epochs then costs one backbone pass per image, not
/// twenty. Samples are recognised by their pixels, so the same photo in
/// another split (or a re-run cell) is not computed again.
public final class FeatureExtractor {
    public let backbone: Sequential
    public let sampleShape: [Int]
    private var cache: [Int: [Float]] = [:]
    /// How many samples have gone through the backbone (cache misses).
    public private(set) var backbonePasses = 0

    public init(backbone: Sequential, sampleShape: [Int]) { (self.backbone, self.sampleShape) = (backbone, sampleShape) }

    /// The features of every sample of `data`, as a dataset of vectors with
    /// the same labels, classes and sample ids. `progress(done, total)` is
    /// called between batches; `shouldStop` is checked there too.
    public func features(_ data: LabelledDataset, batchSize: Int = 32, progress: (Int, Int) -> Void = { _, _ in },
                         shouldStop: () -> Bool = { false }) throws -> LabelledDataset {
        guard data.sampleShape == sampleShape else {
            throw ShapeError("the backbone takes samples of shape \(shapeText(sampleShape)), not \(shapeText(data.sampleShape))")
        }
        let n = data.count, per = sampleShape.reduce(1, *)
        var keys = [Int](repeating: 0, count: n)
        data.inputs.withUnsafeBufferPointer { buffer in
            for i in 0..<n {
                var h = Hasher()
                h.combine(bytes: UnsafeRawBufferPointer(start: buffer.baseAddress! + i * per, count: per * 4))
                keys[i] = h.finalize()
            }
        }
        let missing = Array(Set(keys.indices.filter { cache[keys[$0]] == nil }.map { keys[$0] }))
        let firstIndex = Dictionary(keys.indices.map { (keys[$0], $0) }, uniquingKeysWith: { a, _ in a })
        var done = 0
        progress(0, missing.count)
        for start in stride(from: 0, to: missing.count, by: max(batchSize, 1)) {
            if shouldStop() { throw TrainingCancelled(history: History()) }
            let batchKeys = Array(missing[start..<min(start + batchSize, missing.count)])
            let out = try backbone.forward(data.inputs.gather(rows: batchKeys.compactMap { firstIndex[$0] }), training: false)
            let width = out.count / max(batchKeys.count, 1)
            let values = out.scalars
            for (row, key) in batchKeys.enumerated() {
                cache[key] = Array(values[(row * width)..<((row + 1) * width)])
            }
            backbonePasses += batchKeys.count
            done += batchKeys.count
            progress(done, missing.count)
        }
        guard let width = cache[keys.first ?? 0]?.count ?? (n == 0 ? 0 : nil) else {
            throw ShapeError("no features for the data")
        }
        var vectors = try Tensor(uninitialized: [n, width])
        vectors.withUnsafeMutableBufferPointer { dst in
            for i in 0..<n { cache[keys[i]]?.withUnsafeBufferPointer { (dst.baseAddress! + i * width).update(from: $0.baseAddress!, count: width) } }
        }
        return try LabelledDataset(inputs: vectors, labels: data.labels, classNames: data.classNames, sampleIDs: data.sampleIDs)
    }
}

extension Sequential {
    /// Freezes every layer, then unfreezes the top `count` layers that have
    /// parameters (a block counts as one): fine-tuning from the top down.
    public func unfreezeTop(_ count: Int) {
        isFrozen = true
        var left = count
        for layer in layers.reversed() where left > 0 && !layer.parameters.isEmpty {
            layer.isFrozen = false
            left -= 1
        }
    }
}
