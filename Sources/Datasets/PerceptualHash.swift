import Foundation
import TrainingEngine

/// Up to 256 bits of a perceptual hash; the distance between two hashes is
/// the number of bits in which they differ.
public struct HashBits: Hashable, Sendable {
    var words: SIMD4<UInt64>

    public static func distance(_ a: HashBits, _ b: HashBits) -> Int {
        let x = a.words ^ b.words
        return x[0].nonzeroBitCount + x[1].nonzeroBitCount + x[2].nonzeroBitCount + x[3].nonzeroBitCount
    }
}

/// A picture's perceptual hash, and the hash of each of its seven mirror
/// images and turns, so that a flipped or turned copy is found as easily as
/// a plain one.
public struct PictureFingerprint: Sendable {
    /// In `PictureTransform` order: `variants[t]` is the hash of `t` applied to the picture.
    public let variants: [HashBits]

    public var hash: HashBits { variants[0] }

    /// An order on pictures (by their plain hash), for comparing two in a fixed order.
    func precedes(_ other: PictureFingerprint) -> Bool {
        let (x, y) = (hash.words, other.hash.words)
        for k in 0..<4 where x[k] != y[k] { return x[k] < y[k] }
        return false
    }

    /// How close `other` is to some transform of this picture: the smallest
    /// distance and the transform that gives it (the first, on a tie).
    public func match(_ other: PictureFingerprint) -> (distance: Int, transform: PictureTransform) {
        var best = (distance: Int.max, transform: PictureTransform.none)
        for (t, bits) in variants.enumerated() {
            let d = HashBits.distance(bits, other.variants[0])
            if d < best.distance { best = (d, PictureTransform(rawValue: t) ?? .none) }
        }
        return best
    }
}

/// A DCT perceptual hash. The picture is averaged down to a grey
/// `side` × `side` thumbnail (its proportions dropped, so a resized copy or a
/// quarter turn gives the same thumbnail); the lowest `block` × `block`
/// frequencies of its discrete cosine transform, the constant term left out
/// and scaled to length 1, make its signature, and each gives one bit of the
/// hash: whether the coefficient lies above what the collection's pictures
/// have in common (`PictureSignature.centre`). Brightness and contrast
/// changes move the constant term or scale every coefficient, so they leave
/// the bits alone; JPEG noise and small crops touch the high frequencies the
/// hash ignores. The signature also keeps a 64 × 64 colour thumbnail for the
/// closer look of `LookAlikes`.
///
/// Mirroring or turning the thumbnail only flips the signs of some
/// coefficients and swaps rows for columns (a flip left to right multiplies
/// the coefficient of horizontal frequency u by (-1)^u; a diagonal flip
/// swaps u and v), so the eight variants come from one transform.
public struct PerceptualHasher: Sendable {
    public let side: Int
    public let block: Int
    /// cos(π (2x + 1) u / 2·side), for x < side and u < block, x-major.
    let cosines: [Float]

    /// The hasher the leak finder uses: 32 × 32 → 8 × 8 frequencies, 63 bits,
    /// chosen by measurement (`shoal-leak-bench --calibrate`, benchmarks/README.md).
    public static let standard = PerceptualHasher(checkedSide: 32, block: 8)

    /// How many bits a hash has: block² − 1.
    public var bits: Int { block * block - 1 }

    public init(side: Int, block: Int) throws {
        guard (8...128).contains(side) else { throw InvalidArgument("the hash thumbnail is 8 to 128 pixels, not \(side)") }
        guard (2...16).contains(block), block <= side else {
            throw InvalidArgument("the hash block is 2 to 16 frequencies (and at most the thumbnail's side), not \(block)")
        }
        self.init(checkedSide: side, block: block)
    }

    private init(checkedSide side: Int, block: Int) {
        (self.side, self.block) = (side, block)
        var c = [Float](repeating: 0, count: side * block)
        for x in 0..<side {
            for u in 0..<block { c[x * block + u] = Float(cos(Double.pi * Double(2 * x + 1) * Double(u) / Double(2 * side))) }
        }
        cosines = c
    }

    /// The signature of an 8-bit RGB picture of any size.
    public func signature(_ image: RGBImage) -> PictureSignature {
        let values = image.pixels.map(Float.init)
        return values.withUnsafeBufferPointer { signature(averaging: $0, width: image.width, height: image.height, scale: 1, offset: 0) }
    }

    /// The signature of a picture stored as RGB floats in [-1, 1], row by
    /// row (a sample of an image dataset).
    public func signature(rgb values: UnsafeBufferPointer<Float>, width: Int, height: Int) -> PictureSignature {
        signature(averaging: values, width: width, height: height, scale: 127.5, offset: 127.5)
    }

    /// The signature of RGB values whose 0–255 brightness is `scale`·v + `offset`
    /// (averaging first, then scaling: the same, and cheaper).
    func signature(averaging values: UnsafeBufferPointer<Float>, width: Int, height: Int, scale: Float, offset: Float) -> PictureSignature {
        let t = LookAlikeCheck.side
        var colour = PerceptualHasher.averaged(values, width: width, height: height, channels: 3, to: t)
        for i in colour.indices { colour[i] = max(0, min(255, scale * colour[i] + offset)) }
        let thumbnail = LookAlikeCheck.softened(colour).map { UInt8($0 + 0.5) }
        var brightness = [Float](repeating: 0, count: t * t)
        for i in brightness.indices {
            let (r, g, b) = (colour[3 * i], colour[3 * i + 1], colour[3 * i + 2])
            brightness[i] = 0.299 * r + 0.587 * g + 0.114 * b
        }
        let grey = brightness.withUnsafeBufferPointer { PerceptualHasher.averaged($0, width: t, height: t, channels: 1, to: side) }
        return signature(grey: grey, thumbnail: thumbnail)
    }

    /// The picture averaged down (or interpolated up) to `n` × `n`, channel by channel.
    static func averaged(_ values: UnsafeBufferPointer<Float>, width: Int, height: Int, channels: Int, to n: Int) -> [Float] {
        let horizontal = FlatTaps(resampleWeights(from: width, to: n)), vertical = FlatTaps(resampleWeights(from: height, to: n))
        let rowLength = n * channels
        var rows = [Float](repeating: 0, count: height * rowLength)
        var out = [Float](repeating: 0, count: n * rowLength)
        horizontal.start.withUnsafeBufferPointer { hs in
        horizontal.index.withUnsafeBufferPointer { hi in
        horizontal.weight.withUnsafeBufferPointer { hw in
        vertical.start.withUnsafeBufferPointer { vs in
        vertical.index.withUnsafeBufferPointer { vi in
        vertical.weight.withUnsafeBufferPointer { vw in
        rows.withUnsafeMutableBufferPointer { rows in
        out.withUnsafeMutableBufferPointer { out in
            let (src, mid, dst) = (values.baseAddress!, rows.baseAddress!, out.baseAddress!)
            for y in 0..<height {
                let source = src + y * width * channels, target = mid + y * rowLength
                if channels == 3 {
                    // The three colours of a pixel in one vector: one sum per output pixel, not three.
                    for x in 0..<n {
                        var acc = SIMD4<Float>()
                        for k in hs[x]..<hs[x + 1] {
                            let p = source + hi[k] * 3
                            acc += hw[k] * SIMD4<Float>(p[0], p[1], p[2], 0)
                        }
                        target[3 * x] = acc[0]; target[3 * x + 1] = acc[1]; target[3 * x + 2] = acc[2]
                    }
                } else {
                    for x in 0..<n {
                        for c in 0..<channels {
                            var acc: Float = 0
                            for k in hs[x]..<hs[x + 1] { acc += hw[k] * source[hi[k] * channels + c] }
                            target[x * channels + c] = acc
                        }
                    }
                }
            }
            for y in 0..<n {
                let target = dst + y * rowLength
                for k in vs[y]..<vs[y + 1] {
                    let (from, weight) = (mid + vi[k] * rowLength, vw[k])
                    for i in 0..<rowLength { target[i] += weight * from[i] }
                }
            }
        } } } } } } } }
        return out
    }

    /// Resampling taps in flat arrays: output i reads `index[k]` with `weight[k]` for k in `range(i)`.
    struct FlatTaps {
        var start: [Int] = [0]
        var index: [Int] = []
        var weight: [Float] = []

        init(_ taps: [[(Int, Float)]]) {
            for list in taps {
                for (i, w) in list { index.append(i); weight.append(w) }
                start.append(index.count)
            }
        }

        func range(_ i: Int) -> Range<Int> { start[i]..<start[i + 1] }
    }

    /// The signature of a grey `side` × `side` thumbnail, keeping the colour one.
    func signature(grey g: [Float], thumbnail: [UInt8]) -> PictureSignature {
        let (n, k) = (side, block)
        // Rows first: r[y][u] = Σx g[y][x] cos(x, u); then c[v][u] = Σy cos(y, v) r[y][u].
        var r = [Float](repeating: 0, count: n * k)
        for y in 0..<n {
            for x in 0..<n {
                let value = g[y * n + x]
                for u in 0..<k { r[y * k + u] += value * cosines[x * k + u] }
            }
        }
        var c = [Float](repeating: 0, count: k * k)
        for y in 0..<n {
            for v in 0..<k {
                let weight = cosines[y * k + v]
                for u in 0..<k { c[v * k + u] += weight * r[y * k + u] }
            }
        }
        c[0] = 0
        let length = c.reduce(0) { $0 + $1 * $1 }.squareRoot()
        if length > 0 { for i in c.indices { c[i] /= length } }
        return PictureSignature(block: k, coefficients: c, thumbnail: thumbnail)
    }
}

/// The low frequencies of a picture's grey thumbnail, without the constant
/// term and scaled to length 1 (so brightness and contrast do not count).
public struct PictureSignature: Sendable {
    public let block: Int
    /// Row v, column u: vertical frequency v, horizontal frequency u.
    public let coefficients: [Float]
    /// The picture in 64 × 64 colour, softened, for a closer look at the pairs the hashes find.
    let thumbnail: [UInt8]

    /// The bits of the picture and of each of its transforms: whether each
    /// coefficient lies above the `centre` (the collection's typical value).
    public func fingerprint(centre: [Float]) -> PictureFingerprint {
        let k = block
        let variants = PictureTransform.allCases.map { t -> HashBits in
            var words = SIMD4<UInt64>(repeating: 0)
            var bit = 0
            for v in 0..<k {
                for u in 0..<k where u + v > 0 {
                    if coefficient(u, v, t) > centre[v * k + u] { words[bit >> 6] |= 1 << UInt64(bit & 63) }
                    bit += 1
                }
            }
            return HashBits(words: words)
        }
        return PictureFingerprint(variants: variants)
    }

    /// Coefficient (u, v) of the transform `t` of the picture.
    public func coefficient(_ u: Int, _ v: Int, _ t: PictureTransform) -> Float {
        let k = block
        let plain = coefficients[v * k + u], swapped = coefficients[u * k + v]
        let oddU: Float = u % 2 == 0 ? 1 : -1, oddV: Float = v % 2 == 0 ? 1 : -1
        switch t {
        case .none: return plain
        case .horizontalFlip: return oddU * plain
        case .verticalFlip: return oddV * plain
        case .halfTurn: return oddU * oddV * plain
        case .quarterTurnRight: return oddU * swapped
        case .quarterTurnLeft: return oddV * swapped
        case .diagonalFlip: return swapped
        case .antidiagonalFlip: return oddU * oddV * swapped
        }
    }
}

extension PictureSignature {
    /// What the pictures of a collection have in common — the mean of their
    /// coefficients, pulled towards zero when there are few (n / (n + 50) of
    /// it) — so that the bits record how each picture differs from the rest
    /// (drawn fish on similar water share most of their low frequencies).
    public static func centre(of signatures: [PictureSignature], block: Int) -> [Float] {
        var sum = [Float](repeating: 0, count: block * block)
        for s in signatures where s.block == block {
            for i in sum.indices { sum[i] += s.coefficients[i] }
        }
        let n = Float(signatures.count)
        return sum.map { $0 / (n + 50) }
    }
}
