import Dispatch
import Foundation
import TrainingEngine

/// Two pictures that look alike: `second` is close to `transform` applied to `first`.
public struct LookAlikePair: Equatable, Sendable {
    /// The first picture's index (in the first collection, for pairs between two).
    public let first: Int
    /// The second picture's index (in the second collection, for pairs between two).
    public let second: Int
    /// How far the two are from identical once lined up: 100 × (1 − the
    /// correlation of their thumbnails); 0 for a perfect copy.
    public let difference: Double
    /// How many of the 63 hash bits differ.
    public let bits: Int
    public let transform: PictureTransform

    public init(first: Int, second: Int, difference: Double, bits: Int, transform: PictureTransform) {
        (self.first, self.second, self.difference, self.bits, self.transform) = (first, second, difference, bits, transform)
    }
}

/// Finds pictures that look alike — exact copies, mirror images, quarter
/// turns, resized or re-encoded copies, small crops, brighter or darker
/// copies — in two steps: perceptual hashes (`PerceptualHasher.standard`,
/// with each picture's eight mirror images and turns) pick the pairs within
/// `candidateBits` of each other; then each such pair's colour thumbnails
/// are lined up (`PictureSignature.similarity`) and the pair is kept when
/// their difference is at most the threshold. The hash alone cannot tell a
/// copy from a distinct photo of the same scene; the thumbnails can.
///
/// The numbers were chosen by measurement (`shoal-leak-bench --calibrate`,
/// benchmarks/README.md).
public enum LookAlikes {
    /// Hashes at most this many bits apart (of 63) are looked at closely.
    public static let candidateBits = 10
    /// Pairs that differ by at most this much once lined up are look-alikes.
    public static let defaultThreshold = 1.25
    /// Thresholds a cell may ask for: above 10, distinct photos of one scene start to match.
    public static let thresholds = 0.0...10.0

    static func check(threshold: Double) throws {
        guard thresholds.contains(threshold) else {
            throw InvalidArgument("the threshold is how far two look-alikes may be from identical once lined up: "
                                  + "\(describe(thresholds.lowerBound)) to \(describe(thresholds.upperBound)), "
                                  + "\(describe(defaultThreshold)) by default; got \(describe(threshold))")
        }
    }

    /// A difference as a table shows it: two decimals.
    public static func format(_ difference: Double) -> String {
        difference.isFinite ? String(format: "%.2f", difference) : "\(difference)"
    }

    /// A threshold as a message says it: 1.25, 0, 10.
    public static func describe(_ threshold: Double) -> String { String(format: "%g", threshold) }

    /// The signature of every picture of an image dataset, on all cores.
    public static func signatures(of data: LabelledDataset, hasher: PerceptualHasher = .standard) throws -> [PictureSignature] {
        let shape = data.sampleShape
        guard shape.count == 3, shape[2] == 3 else {
            throw InvalidArgument("look-alikes are found among pictures; these samples have shape \(shape)")
        }
        let (h, w) = (shape[0], shape[1])
        let size = h * w * 3
        var out = [PictureSignature?](repeating: nil, count: data.count)
        let inputs = data.inputs
        inputs.withUnsafeBufferPointer { all in
            out.withUnsafeMutableBufferPointer { slots in
                let results = slots.baseAddress!
                DispatchQueue.concurrentPerform(iterations: data.count) { i in
                    let one = UnsafeBufferPointer(rebasing: all[(i * size)..<((i + 1) * size)])
                    results[i] = hasher.signature(rgb: one, width: w, height: h)
                }
            }
        }
        return out.compactMap { $0 }
    }

    /// The fingerprints of several collections compared with one another,
    /// centred on what all of them have in common.
    static func fingerprints(_ collections: [[PictureSignature]]) -> [[PictureFingerprint]] {
        let all = collections.flatMap { $0 }
        guard let block = all.first?.block else { return collections.map { _ in [] } }
        let centre = PictureSignature.centre(of: all, block: block)
        return collections.map { $0.map { $0.fingerprint(centre: centre) } }
    }

    /// The centred fingerprints of one collection (for `shoal-leak-bench --calibrate`).
    public static func fingerprintsForCalibration(_ pictures: [PictureSignature]) -> [PictureFingerprint] { fingerprints([pictures])[0] }

    /// The pair (i, j) when the hashes are close and the thumbnails agree.
    /// The two are compared in an order that depends on the pictures only, so
    /// that (a, b) and (b, a) give the same answer.
    static func look(_ a: PictureSignature, _ pa: PictureFingerprint, _ b: PictureSignature, _ pb: PictureFingerprint,
                     _ i: Int, _ j: Int, threshold: Double) -> LookAlikePair? {
        let swapped = pb.precedes(pa) || (!pa.precedes(pb) && b.thumbnail.lexicographicallyPrecedes(a.thumbnail))
        let (x, px, y, py) = swapped ? (b, pb, a, pa) : (a, pa, b, pb)
        let m = px.match(py)
        guard m.distance <= candidateBits else { return nil }
        let difference = 100 * (1 - Double(x.similarity(to: y, transform: m.transform)))
        guard difference <= threshold + 1e-9 else { return nil }
        return LookAlikePair(first: i, second: j, difference: max(0, difference), bits: m.distance,
                             transform: swapped ? m.transform.inverse : m.transform)
    }

    /// Every pair of look-alikes among `pictures` (first < second), on all cores.
    public static func pairs(within pictures: [PictureSignature], threshold: Double = defaultThreshold) throws -> [LookAlikePair] {
        try check(threshold: threshold)
        let prints = fingerprints([pictures])[0]
        return collect(count: pictures.count) { i in
            ((i + 1)..<pictures.count).compactMap { j in look(pictures[i], prints[i], pictures[j], prints[j], i, j, threshold: threshold) }
        }
    }

    /// Every pair of a picture in `a` and a look-alike in `b`, on all cores.
    public static func pairs(between a: [PictureSignature], and b: [PictureSignature],
                             threshold: Double = defaultThreshold) throws -> [LookAlikePair] {
        try check(threshold: threshold)
        let prints = fingerprints([a, b])
        return collect(count: a.count) { i in
            b.indices.compactMap { j in look(a[i], prints[0][i], b[j], prints[1][j], i, j, threshold: threshold) }
        }
    }

    /// Runs `row` for 0..<count on all cores and joins the results in order.
    private static func collect(count: Int, _ row: (Int) -> [LookAlikePair]) -> [LookAlikePair] {
        guard count > 0 else { return [] }
        let chunks = min(count, 64)
        var parts = [[LookAlikePair]](repeating: [], count: chunks)
        parts.withUnsafeMutableBufferPointer { slots in
            let base = slots.baseAddress!
            DispatchQueue.concurrentPerform(iterations: chunks) { c in
                var found: [LookAlikePair] = []
                // Interleaved rows, so that the short rows at the end of a triangle spread over the chunks.
                for i in stride(from: c, to: count, by: chunks) { found += row(i) }
                base[c] = found
            }
        }
        return parts.joined().sorted { ($0.first, $0.second) < ($1.first, $1.second) }
    }

    /// A group number for each of `count` pictures: look-alikes (and their
    /// look-alikes, and so on) share a number; groups are numbered in order
    /// of their first picture.
    public static func groups(count: Int, pairs: [LookAlikePair]) -> [Int] {
        var parent = Array(0..<count)
        func root(_ i: Int) -> Int {
            var r = i
            while parent[r] != r { r = parent[r] }
            var j = i
            while parent[j] != r { (parent[j], j) = (r, parent[j]) }
            return r
        }
        for p in pairs where p.first < count && p.second < count {
            let (a, b) = (root(p.first), root(p.second))
            if a != b { parent[max(a, b)] = min(a, b) }
        }
        var number: [Int: Int] = [:]
        return (0..<count).map { i in
            let r = root(i)
            if let n = number[r] { return n }
            number[r] = number.count
            return number.count - 1
        }
    }
}

extension LabelledDataset {
    /// Two or more parts of the given fractions, like `split(fractions:seed:)`,
    /// but look-alike pictures (copies, flips, turns, resized copies) always
    /// land in the same part, so that no part holds a look-alike of another's.
    public func splitKeepingLookAlikes(fractions: [Double], seed: UInt64,
                                       threshold: Double = LookAlikes.defaultThreshold) throws -> [LabelledDataset] {
        let pictures = try LookAlikes.signatures(of: self)
        let groups = LookAlikes.groups(count: count, pairs: try LookAlikes.pairs(within: pictures, threshold: threshold))
        return try split(fractions: fractions, seed: seed, groups: groups)
    }
}

extension LabelledDataset {
    /// The dataset with `count` more pictures, each a mirror image (flipped
    /// left to right or upside down, at random) of a different picture already
    /// in it, with the same label and a new sample id: the leak of a folder
    /// "augmented" by hand before it was split. Seeded.
    public func addingMirroredCopies(_ count: Int, seed: UInt64) throws -> LabelledDataset {
        let shape = sampleShape
        guard shape.count == 3, shape[2] == 3 else {
            throw InvalidArgument("mirrored copies are made of pictures; these samples have shape \(shape)")
        }
        guard (1...self.count).contains(count) else {
            throw InvalidArgument("count must be 1 to \(self.count) (each picture is copied at most once), got \(count)")
        }
        var random = EngineRandom(seed: seed)
        var order = Array(0..<self.count)
        order.shuffle(using: &random)
        let originals = Array(order.prefix(count))
        let flips = originals.map { _ in random.next() % 2 == 0 ? PictureTransform.verticalFlip : .horizontalFlip }
        let (h, w) = (shape[0], shape[1])
        let size = h * w * 3
        var inputs = try Tensor(uninitialized: [self.count + count] + shape)
        let source = self.inputs
        source.withUnsafeBufferPointer { src in
            inputs.withUnsafeMutableBufferPointer { dst in
                let (from, to) = (src.baseAddress!, dst.baseAddress!)
                to.update(from: from, count: self.count * size)
                for (k, (i, flip)) in zip(originals, flips).enumerated() {
                    let copy = to + (self.count + k) * size, original = from + i * size
                    for y in 0..<h {
                        for x in 0..<w {
                            let (sx, sy) = flip.source(x, y, w, h)
                            (copy + (y * w + x) * 3).update(from: original + (sy * w + sx) * 3, count: 3)
                        }
                    }
                }
            }
        }
        let nextID = (sampleIDs.max() ?? -1) + 1
        return try LabelledDataset(inputs: inputs, labels: labels + originals.map { labels[$0] }, classNames: classNames,
                                   sampleIDs: sampleIDs + (0..<count).map { nextID + $0 })
    }
}
