/// The second look at a pair the hashes call close: the two small colour
/// thumbnails are laid over each other — one mirrored or turned as the hash
/// match says, then shifted and stretched by up to 6 % along each side to
/// undo a crop — and compared pixel by pixel (their correlation, so that
/// brightness and contrast do not count). Copies line up almost exactly;
/// two distinct photos of the same scene do not.
enum LookAlikeCheck {
    /// The side of the colour thumbnail every signature keeps.
    static let side = 64
    /// The thumbnail softened by a 1-2-1 filter across and down (edges
    /// repeated): copies then differ less in their resampling and JPEG noise,
    /// and the filter is the same mirrored or turned.
    static func softened(_ v: [Float]) -> [Float] {
        let n = side
        var across = v, out = v
        for y in 0..<n {
            for x in 0..<n {
                let (l, r) = (y * n + max(0, x - 1), y * n + min(n - 1, x + 1))
                for c in 0..<3 { across[(y * n + x) * 3 + c] = (v[l * 3 + c] + 2 * v[(y * n + x) * 3 + c] + v[r * 3 + c]) / 4 }
            }
        }
        for y in 0..<n {
            for x in 0..<n {
                let (u, d) = (max(0, y - 1) * n + x, min(n - 1, y + 1) * n + x)
                for c in 0..<3 { out[(y * n + x) * 3 + c] = (across[u * 3 + c] + 2 * across[(y * n + x) * 3 + c] + across[d * 3 + c]) / 4 }
            }
        }
        return out
    }

    /// The correlation (−1 to 1) of the thumbnail of `b` with `t` applied to
    /// `a`'s, after aligning them.
    static func similarity(_ a: PictureSignature, _ b: PictureSignature, transform t: PictureTransform) -> Float {
        let n = side
        var first = [Float](repeating: 0, count: n * n * 3), second = first
        var columnsA = [Float](repeating: 0, count: n), rowsA = [Float](repeating: 0, count: n)
        var columnsB = [Float](repeating: 0, count: n), rowsB = [Float](repeating: 0, count: n)
        a.thumbnail.withUnsafeBufferPointer { ta in
            b.thumbnail.withUnsafeBufferPointer { tb in
                for y in 0..<n {
                    for x in 0..<n {
                        let (sx, sy) = t.source(x, y, n, n)
                        let d = (y * n + x) * 3, s = (sy * n + sx) * 3
                        var ga: Float = 0, gb: Float = 0
                        for c in 0..<3 {
                            let va = Float(ta[s + c]), vb = Float(tb[d + c])
                            first[d + c] = va; second[d + c] = vb
                            ga += va; gb += vb
                        }
                        columnsA[x] += ga; rowsA[y] += ga; columnsB[x] += gb; rowsB[y] += gb
                    }
                }
            }
        }
        let (sx0, x0) = align(columnsA, columnsB), (sy0, y0) = align(rowsA, rowsB)
        // The profiles place each axis to half a pixel and a hundredth of its
        // length; the pictures themselves settle the rest (on every other row
        // and column, then once in full). A stretch turns about the middle.
        var (sx, ox, sy, oy) = (sx0, x0, sy0, y0)
        var best = correlation(first, second, sx: sx, ox: ox, sy: sy, oy: oy, step: 2)
        let middle = Float(n - 1) / 2
        for (shift, stretch) in [(Float(0.25), Float(0.005)), (0.125, 0.0025)] {
            for move in 0..<8 {
                var (tsx, tox, tsy, toy) = (sx, ox, sy, oy)
                let sign: Float = move % 2 == 0 ? -1 : 1
                switch move / 2 {
                case 0: tox += sign * shift
                case 1: toy += sign * shift
                case 2: tsx += sign * stretch; tox -= sign * stretch * middle
                default: tsy += sign * stretch; toy -= sign * stretch * middle
                }
                let c = correlation(first, second, sx: tsx, ox: tox, sy: tsy, oy: toy, step: 2)
                if c > best { (best, sx, ox, sy, oy) = (c, tsx, tox, tsy, toy) }
            }
        }
        return correlation(first, second, sx: sx, ox: ox, sy: sy, oy: oy)
    }

    /// One candidate alignment of a profile: for b's positions `first`…,
    /// a's sample index and the weight of the next sample.
    struct Stretch {
        let s: Float, o: Float
        let first: Int
        let index: [Int]
        let weight: [Float]
    }

    /// Stretches of 0.94 to 1.06 by 0.01 and shifts of ±4.5 pixels by halves,
    /// each with at least four fifths of b inside a.
    static let stretches: [Stretch] = {
        var out: [Stretch] = []
        for k in -6...6 {
            for h in -9...9 {
                let (s, o) = (1 + Float(k) / 100, Float(h) / 2)
                var first = -1, index: [Int] = [], weight: [Float] = []
                for p in 0..<side {
                    let q = o + s * Float(p)
                    guard q >= 0, q <= Float(side - 1) else { continue }
                    if first < 0 { first = p }
                    let i = min(Int(q), side - 2)
                    index.append(i); weight.append(q - Float(i))
                }
                if index.count >= side * 4 / 5 { out.append(Stretch(s: s, o: o, first: first, index: index, weight: weight)) }
            }
        }
        return out
    }()

    /// The stretch s and shift o for which b[p] best matches a[o + s·p]
    /// (Pearson's correlation of the two profiles).
    static func align(_ a: [Float], _ b: [Float]) -> (Float, Float) {
        var best = (score: Float(-2), s: Float(1), o: Float(0))
        for st in stretches {
            var sa: Float = 0, sb: Float = 0, sab: Float = 0, saa: Float = 0, sbb: Float = 0
            for k in st.index.indices {
                let i = st.index[k], f = st.weight[k]
                let va = a[i] + (a[i + 1] - a[i]) * f, vb = b[st.first + k]
                sa += va; sb += vb; sab += va * vb; saa += va * va; sbb += vb * vb
            }
            let count = Float(st.index.count)
            let cov = sab - sa * sb / count, va = saa - sa * sa / count, vb = sbb - sb * sb / count
            let score = cov / max((va * vb).squareRoot(), 1e-6)
            if score > best.score { best = (score, st.s, st.o) }
        }
        return (best.s, best.o)
    }

    /// The correlation of b with a sampled at (ox + sx·x, oy + sy·y), each colour
    /// channel about its own mean, over the part of b that falls inside a;
    /// every `step`-th row and column of b.
    static func correlation(_ a: [Float], _ b: [Float], sx: Float, ox: Float, sy: Float, oy: Float, step: Int = 1) -> Float {
        let n = side
        // Where each column of b falls in a (the same for every row).
        var columns: [(b: Int, a: Int, f: Float)] = []
        columns.reserveCapacity(n)
        for x in stride(from: 0, to: n, by: step) {
            let q = ox + sx * Float(x)
            guard q >= 0, q <= Float(n - 1) else { continue }
            let i = min(Int(q), n - 2)
            columns.append((x * 3, i * 3, q - Float(i)))
        }
        var count: Float = 0
        var sa = SIMD4<Float>(), sb = SIMD4<Float>(), sab = SIMD4<Float>(), saa = SIMD4<Float>(), sbb = SIMD4<Float>()
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                for y in stride(from: 0, to: n, by: step) {
                    let qy = oy + sy * Float(y)
                    guard qy >= 0, qy <= Float(n - 1) else { continue }
                    let iy = min(Int(qy), n - 2), fy = qy - Float(iy)
                    let top = iy * n * 3, bottom = top + n * 3, row = y * n * 3
                    for c in columns {
                        let (i0, i1) = (top + c.a, bottom + c.a)
                        let upper = SIMD4<Float>(a[i0], a[i0 + 1], a[i0 + 2], 0) * (1 - c.f) + SIMD4<Float>(a[i0 + 3], a[i0 + 4], a[i0 + 5], 0) * c.f
                        let lower = SIMD4<Float>(a[i1], a[i1 + 1], a[i1 + 2], 0) * (1 - c.f) + SIMD4<Float>(a[i1 + 3], a[i1 + 4], a[i1 + 5], 0) * c.f
                        let va = upper + (lower - upper) * fy
                        let j = row + c.b
                        let vb = SIMD4<Float>(b[j], b[j + 1], b[j + 2], 0)
                        count += 1; sa += va; sb += vb; sab += va * vb; saa += va * va; sbb += vb * vb
                    }
                }
            }
        }
        guard count >= Float(n * n / (2 * step * step)) else { return -1 }
        let cov = sab - sa * sb / count, va = saa - sa * sa / count, vb = sbb - sb * sb / count
        return cov.sum() / max((va.sum() * vb.sum()).squareRoot(), 1e-6)
    }
}

extension PictureSignature {
    /// How well `other` matches `transform` applied to this picture once a
    /// crop is undone: the correlation of their colour thumbnails, 1 for copies.
    public func similarity(to other: PictureSignature, transform: PictureTransform) -> Float {
        LookAlikeCheck.similarity(self, other, transform: transform)
    }
}
