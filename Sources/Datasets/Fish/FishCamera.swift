import Foundation
import TrainingEngine

/// What the camera does to a scene: white balance and exposure, a little
/// vignetting, focus or motion blur, and sensor noise.
struct FishCamera {
    var warmth = 0.0          // > 0 warm (golden) light, < 0 cool
    var tint = 0.0            // > 0 green, < 0 magenta
    var exposure = 1.0
    var gamma = 1.0
    var vignette = 0.0
    var focusBlur = 0.0       // box radius in pixels
    var motionBlur = 0.0      // length in pixels
    var motionAngle = 0.0
    var noise = 2.0           // standard deviation, in 0–255 levels

    static func random(difficulty d: Double, size: Int, _ r: inout EngineRandom) -> FishCamera {
        var c = FishCamera()
        let px = Double(size) / 224
        c.warmth = r.double(-0.12, 0.16) * (1 + d)
        c.tint = r.double(-0.04, 0.04)
        c.exposure = r.double(0.85 - 0.15 * d, 1.12 + 0.15 * d)
        c.gamma = r.double(0.9, 1.12)
        c.vignette = r.chance(0.4) ? r.double(0.1, 0.35) : 0
        if r.chance(0.15 + 0.45 * d) { c.focusBlur = r.double(0.6, 1.2 + 1.4 * d) * px }
        if r.chance(0.08 + 0.2 * d) { c.motionBlur = r.double(2, 3 + 5 * d) * px; c.motionAngle = r.double(0, .pi) }
        c.noise = r.double(1, 3 + 6 * d)
        return c
    }

    /// Develops the picture in place: `rgb` holds 0–255 values, row by row.
    func develop(_ rgb: inout [Float], size n: Int, random r: inout EngineRandom) {
        let gains = (1 + warmth, 1 + tint, 1 - warmth)
        let g = (Float(gains.0 * exposure), Float(gains.1 * exposure), Float(gains.2 * exposure))
        let inverseGamma = Float(1 / gamma)
        let half = Float(n) / 2
        var lut = [Float](repeating: 0, count: 1025)
        for i in 0...1024 { lut[i] = 255 * pow(Float(i) / 1024, inverseGamma) }
        rgb.withUnsafeMutableBufferPointer { p in
            for y in 0..<n {
                for x in 0..<n {
                    let dx = (Float(x) - half) / half, dy = (Float(y) - half) / half
                    let v = 1 - Float(vignette) * (dx * dx + dy * dy) * 0.5
                    let i = (y * n + x) * 3
                    p[i] = lut[Int(min(1, max(0, p[i] / 255 * g.0 * v)) * 1024)]
                    p[i + 1] = lut[Int(min(1, max(0, p[i + 1] / 255 * g.1 * v)) * 1024)]
                    p[i + 2] = lut[Int(min(1, max(0, p[i + 2] / 255 * g.2 * v)) * 1024)]
                }
            }
        }
        if focusBlur >= 0.5 { Self.boxBlur(&rgb, n, radius: Int(focusBlur.rounded()), passes: 2) }
        if motionBlur >= 1.5 { Self.motion(&rgb, n, length: motionBlur, angle: motionAngle) }
        if noise > 0 {
            let sigma = Float(noise) * 1.7
            rgb.withUnsafeMutableBufferPointer { p in
                for i in stride(from: 0, to: n * n * 3, by: 3) {
                    let luma = (r.unit() + r.unit() - 1) * sigma
                    for c in 0..<3 { p[i + c] += luma + (r.unit() - 0.5) * sigma * 0.5 }
                }
            }
        }
    }

    /// A separable box blur, repeated (two passes look like a soft lens).
    static func boxBlur(_ rgb: inout [Float], _ n: Int, radius: Int, passes: Int) {
        guard radius > 0 else { return }
        var tmp = rgb
        let width = Float(2 * radius + 1)
        for _ in 0..<passes {
            for horizontal in [true, false] {
                rgb.withUnsafeBufferPointer { src in
                    tmp.withUnsafeMutableBufferPointer { dst in
                        for line in 0..<n {
                            for c in 0..<3 {
                                @inline(__always) func at(_ k: Int) -> Int {
                                    let q = min(n - 1, max(0, k))
                                    return (horizontal ? (line * n + q) : (q * n + line)) * 3 + c
                                }
                                var sum: Float = 0
                                for k in -radius...radius { sum += src[at(k)] }
                                for k in 0..<n {
                                    dst[at(k)] = sum / width
                                    sum += src[at(k + radius + 1)] - src[at(k - radius)]
                                }
                            }
                        }
                    }
                }
                swap(&rgb, &tmp)
            }
        }
    }

    /// Motion blur: the average of the picture shifted along a line.
    static func motion(_ rgb: inout [Float], _ n: Int, length: Double, angle: Double) {
        let steps = max(2, Int(length.rounded()))
        let dx = cos(angle) * length / Double(steps), dy = sin(angle) * length / Double(steps)
        var out = [Float](repeating: 0, count: rgb.count)
        let weight = 1 / Float(steps + 1)
        rgb.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for k in 0...steps {
                    let ox = Int((Double(k) - Double(steps) / 2) * dx), oy = Int((Double(k) - Double(steps) / 2) * dy)
                    for y in 0..<n {
                        let sy = min(n - 1, max(0, y + oy))
                        for x in 0..<n {
                            let sx = min(n - 1, max(0, x + ox))
                            let s = (sy * n + sx) * 3, d = (y * n + x) * 3
                            dst[d] += src[s] * weight
                            dst[d + 1] += src[s + 1] * weight
                            dst[d + 2] += src[s + 2] * weight
                        }
                    }
                }
            }
        }
        rgb = out
    }
}
