/// The depthwise convolution of inference (one k×k filter per channel), for
/// NHWC images: each output pixel keeps up to 32 channels in registers while
/// it walks the window, with the window cut to the rows and columns inside
/// the image beforehand (no test per tap), and the bias and an optional
/// clamp (ReLU, ReLU6) applied before the one store. Compiled for AVX2 and
/// FMA like the rest of this module.
public enum DepthwiseKernels {
    /// One image: out[oy][ox][c] = clamp(bias[c] + Σ input[oy·s − top + i][ox·s − left + j][c] · w[i][j][c]),
    /// over the taps inside the image. `low`/`high` clamp the result (pass
    /// −∞/+∞ for none).
    ///
    /// Complexity: O(outH · outW · kernelH · kernelW · channels).
    public static func forward(_ image: UnsafePointer<Float>, height: Int, width: Int, channels c: Int,
                               kernelH: Int, kernelW: Int, stride: Int, padTop: Int, padLeft: Int,
                               outH: Int, outW: Int, weights w: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
                               low: Float, high: Float, into out: UnsafeMutablePointer<Float>) {
        let lo = V8(repeating: low), hi = V8(repeating: high)
        let rowStride = width * c, tapRow = kernelW * c
        for oy in 0..<outH {
            let y0 = oy * stride - padTop
            let i0 = max(0, -y0), i1 = min(kernelH, height - y0)
            for ox in 0..<outW {
                let x0 = ox * stride - padLeft
                let j0 = max(0, -x0), j1 = min(kernelW, width - x0)
                let dst = out + (oy * outW + ox) * c
                let origin = image + y0 * rowStride + x0 * c
                var ch = 0
                while ch + 32 <= c {
                    var a0 = bias.map { load8($0 + ch) } ?? V8(), a1 = bias.map { load8($0 + ch + 8) } ?? V8()
                    var a2 = bias.map { load8($0 + ch + 16) } ?? V8(), a3 = bias.map { load8($0 + ch + 24) } ?? V8()
                    var i = i0
                    while i < i1 {
                        var j = j0
                        while j < j1 {
                            let s = origin + i * rowStride + j * c + ch, f = w + i * tapRow + j * c + ch
                            a0.addProduct(load8(s), load8(f))
                            a1.addProduct(load8(s + 8), load8(f + 8))
                            a2.addProduct(load8(s + 16), load8(f + 16))
                            a3.addProduct(load8(s + 24), load8(f + 24))
                            j += 1
                        }
                        i += 1
                    }
                    store8(clamp8(a0, lo, hi), dst + ch)
                    store8(clamp8(a1, lo, hi), dst + ch + 8)
                    store8(clamp8(a2, lo, hi), dst + ch + 16)
                    store8(clamp8(a3, lo, hi), dst + ch + 24)
                    ch += 32
                }
                while ch + 8 <= c {
                    var a = bias.map { load8($0 + ch) } ?? V8()
                    for i in i0..<max(i0, i1) {
                        for j in j0..<max(j0, j1) {
                            a.addProduct(load8(origin + i * rowStride + j * c + ch), load8(w + i * tapRow + j * c + ch))
                        }
                    }
                    store8(clamp8(a, lo, hi), dst + ch)
                    ch += 8
                }
                while ch < c {
                    var a = bias?[ch] ?? 0
                    for i in i0..<max(i0, i1) {
                        for j in j0..<max(j0, j1) { a += origin[i * rowStride + j * c + ch] * w[i * tapRow + j * c + ch] }
                    }
                    dst[ch] = min(max(a, low), high)
                    ch += 1
                }
            }
        }
    }
}

extension V8 {
    /// self += a · b, one fused multiply-add per lane.
    @inline(__always)
    mutating func addProduct(_ a: V8, _ b: V8) { self = self.addingProduct(a, b) }
}

/// v with each lane held to [low, high], in two vector selects (SIMD's own
/// `clamped` is not specialised here and goes lane by lane).
@inline(__always)
func clamp8(_ v: SIMD8<Float>, _ low: SIMD8<Float>, _ high: SIMD8<Float>) -> SIMD8<Float> {
    v.replacing(with: low, where: v .< low).replacing(with: high, where: v .> high)
}
