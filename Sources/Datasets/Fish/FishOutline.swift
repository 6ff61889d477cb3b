import Foundation

/// The fish's outline as a region of the picture, grown by a margin, and how
/// much of a heat map (an explanation) falls inside it.
public enum FishOutline {
    /// The pixels within `radius` pixels (Euclidean) of the fish (mask ≥ 128)
    /// of a `side × side` mask, by an exact distance transform (Felzenszwalb
    /// and Huttenlocher's, along rows and then columns).
    public static func grown(_ mask: [UInt8], side n: Int, radius: Double) -> [Bool] {
        guard n > 0, mask.count == n * n else { return [] }
        let far = Double(4 * n * n)
        // Squared distance to the fish along each column, then the full transform along rows.
        var columns = [Double](repeating: far, count: n * n)
        var line = [Double](repeating: 0, count: n), out = [Double](repeating: 0, count: n)
        for x in 0..<n {
            for y in 0..<n { line[y] = mask[y * n + x] >= 128 ? 0 : far }
            distance1D(line, into: &out)
            for y in 0..<n { columns[y * n + x] = out[y] }
        }
        var inside = [Bool](repeating: false, count: n * n)
        let limit = radius * radius
        for y in 0..<n {
            for x in 0..<n { line[x] = columns[y * n + x] }
            distance1D(line, into: &out)
            for x in 0..<n { inside[y * n + x] = out[x] <= limit }
        }
        return inside
    }

    /// The share of `heat` (non-negative, one value per pixel) inside `region`; 0 when there is none.
    public static func share(of heat: [Float], inside region: [Bool]) -> Double {
        guard heat.count == region.count else { return 0 }
        var total = 0.0, within = 0.0
        for (h, r) in zip(heat, region) where h > 0 {
            total += Double(h)
            if r { within += Double(h) }
        }
        return total > 0 ? within / total : 0
    }

    /// The lower envelope of parabolas: d[q] = min over p of (q − p)² + f[p].
    /// Values of f must be finite (z[0] = −∞ keeps k from going below 0).
    static func distance1D(_ f: [Double], into d: inout [Double]) {
        let n = f.count
        guard n > 0 else { return }
        var v = [Int](repeating: 0, count: n), z = [Double](repeating: 0, count: n + 1)
        var k = 0
        (z[0], z[1]) = (-.infinity, .infinity)
        func meet(_ q: Int, _ p: Int) -> Double { ((f[q] + Double(q * q)) - (f[p] + Double(p * p))) / Double(2 * (q - p)) }
        for q in 1..<n {
            var s = meet(q, v[k])
            while s <= z[k] {
                k -= 1
                s = meet(q, v[k])
            }
            k += 1
            v[k] = q
            (z[k], z[k + 1]) = (s, .infinity)
        }
        k = 0
        for q in 0..<n {
            while z[k + 1] < Double(q) { k += 1 }
            d[q] = Double((q - v[k]) * (q - v[k])) + f[v[k]]
        }
    }
}
