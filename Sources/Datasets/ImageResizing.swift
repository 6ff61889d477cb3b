import Foundation
import TrainingEngine

/// How a picture is brought to the network's square input.
public enum ImageFit: String, Sendable {
    /// Scale so the shorter side fits, then cut the middle square.
    case centreCrop
    /// Scale so the longer side fits, then pad with grey.
    case fit
}

extension RGBImage {
    /// A resized copy. Shrinking averages every source pixel each output pixel
    /// covers (no aliasing); enlarging interpolates linearly.
    public func resized(width ow: Int, height oh: Int) throws -> RGBImage {
        guard ow > 0, oh > 0 else { throw InvalidArgument("cannot resize to \(ow)×\(oh)") }
        if ow == width && oh == height { return self }
        // Separable: rows first, then columns, in Float.
        let horizontal = resampleWeights(from: width, to: ow)
        let vertical = resampleWeights(from: height, to: oh)
        var temp = [Float](repeating: 0, count: ow * height * 3)
        for y in 0..<height {
            for (x, taps) in horizontal.enumerated() {
                var acc: (Float, Float, Float) = (0, 0, 0)
                for (sx, weight) in taps {
                    let s = (y * width + sx) * 3
                    acc.0 += weight * Float(pixels[s]); acc.1 += weight * Float(pixels[s + 1]); acc.2 += weight * Float(pixels[s + 2])
                }
                let d = (y * ow + x) * 3
                temp[d] = acc.0; temp[d + 1] = acc.1; temp[d + 2] = acc.2
            }
        }
        var out = [UInt8](repeating: 0, count: ow * oh * 3)
        for (y, taps) in vertical.enumerated() {
            for x in 0..<ow {
                var acc: (Float, Float, Float) = (0, 0, 0)
                for (sy, weight) in taps {
                    let s = (sy * ow + x) * 3
                    acc.0 += weight * temp[s]; acc.1 += weight * temp[s + 1]; acc.2 += weight * temp[s + 2]
                }
                let d = (y * ow + x) * 3
                out[d] = UInt8(max(0, min(255, acc.0.rounded())))
                out[d + 1] = UInt8(max(0, min(255, acc.1.rounded())))
                out[d + 2] = UInt8(max(0, min(255, acc.2.rounded())))
            }
        }
        return try RGBImage(width: ow, height: oh, pixels: out)
    }

    /// The square `side` × `side` version of this picture.
    public func square(_ side: Int, fit: ImageFit = .centreCrop) throws -> RGBImage {
        switch fit {
        case .centreCrop:
            let scale = Double(side) / Double(min(width, height))
            let (w, h) = (max(side, Int((Double(width) * scale).rounded())), max(side, Int((Double(height) * scale).rounded())))
            let big = try resized(width: w, height: h)
            let (x0, y0) = ((w - side) / 2, (h - side) / 2)
            var out = [UInt8](repeating: 0, count: side * side * 3)
            for y in 0..<side {
                let s = ((y + y0) * w + x0) * 3
                out.replaceSubrange((y * side * 3)..<((y + 1) * side * 3), with: big.pixels[s..<(s + side * 3)])
            }
            return try RGBImage(width: side, height: side, pixels: out)
        case .fit:
            let scale = Double(side) / Double(max(width, height))
            let (w, h) = (max(1, Int((Double(width) * scale).rounded())), max(1, Int((Double(height) * scale).rounded())))
            let small = try resized(width: w, height: h)
            var out = [UInt8](repeating: 128, count: side * side * 3)
            let (x0, y0) = ((side - w) / 2, (side - h) / 2)
            for y in 0..<h {
                let d = ((y + y0) * side + x0) * 3
                out.replaceSubrange(d..<(d + w * 3), with: small.pixels[(y * w * 3)..<((y + 1) * w * 3)])
            }
            return try RGBImage(width: side, height: side, pixels: out)
        }
    }
}

/// For each output position, the source positions and weights it averages
/// (area averaging when shrinking, linear interpolation when enlarging).
func resampleWeights(from n: Int, to m: Int) -> [[(Int, Float)]] {
    let scale = Double(n) / Double(m)
    return (0..<m).map { i in
        if scale >= 1 {
            let lo = Double(i) * scale, hi = lo + scale
            var taps: [(Int, Float)] = []
            var s = Int(lo)
            while Double(s) < hi && s < n {
                let cover = min(hi, Double(s + 1)) - max(lo, Double(s))
                if cover > 1e-9 { taps.append((s, Float(cover / scale))) }
                s += 1
            }
            return taps
        }
        let centre = (Double(i) + 0.5) * scale - 0.5
        let left = Int(floor(centre)), t = Float(centre - floor(centre))
        let a = min(max(left, 0), n - 1), b = min(max(left + 1, 0), n - 1)
        return a == b ? [(a, Float(1))] : [(a, 1 - t), (b, t)]
    }
}
