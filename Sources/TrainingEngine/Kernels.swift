import Foundation

// Every per-element loop of the engine lives in this file, beside the SIMD
// helpers it uses. The module is compiled file by file with -O (SwiftPM's
// debug build cannot link it as a whole module), and the optimiser only
// inlines within a file: a `load8` in another file would be a call per eight
// floats. Layers in other files call these kernels once per operation.

/// Eight floats, one AVX register (two SSE registers on a baseline build).
typealias F8 = SIMD8<Float>

@inline(__always)
func load8(_ p: UnsafePointer<Float>) -> F8 { UnsafeRawPointer(p).loadUnaligned(as: F8.self) }

@inline(__always)
func store8(_ v: F8, _ p: UnsafeMutablePointer<Float>) { UnsafeMutableRawPointer(p).storeBytes(of: v, as: F8.self) }

/// out[i] = f(a[i]) for i in 0..<n.
@inline(__always)
func vmap(_ a: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, _ n: Int,
          _ vector: (F8) -> F8, _ scalar: (Float) -> Float) {
    var i = 0
    while i + 8 <= n { store8(vector(load8(a + i)), out + i); i += 8 }
    while i < n { out[i] = scalar(a[i]); i += 1 }
}

/// out[i] = f(a[i], b[i]) for i in 0..<n.
@inline(__always)
func vzip(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, _ n: Int,
          _ vector: (F8, F8) -> F8, _ scalar: (Float, Float) -> Float) {
    var i = 0
    while i + 8 <= n { store8(vector(load8(a + i), load8(b + i)), out + i); i += 8 }
    while i < n { out[i] = scalar(a[i], b[i]); i += 1 }
}

/// Sum of n floats, accumulated in eight lanes.
func vsum(_ a: UnsafePointer<Float>, _ n: Int) -> Float {
    var acc = F8(repeating: 0)
    var i = 0
    while i + 8 <= n { acc += load8(a + i); i += 8 }
    var s = acc.sum()
    while i < n { s += a[i]; i += 1 }
    return s
}

@inline(__always)
func axpyInline(_ alpha: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
    let a = F8(repeating: alpha)
    var i = 0
    while i + 8 <= n { store8(load8(y + i) + a * load8(x + i), y + i); i += 8 }
    while i < n { y[i] += alpha * x[i]; i += 1 }
}

/// y += alpha * x.
func vaxpy(_ alpha: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
    axpyInline(alpha, x, y, n)
}

/// dst = src * s.
func vscale(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, _ n: Int, _ s: Float) {
    vmap(src, dst, n, { $0 * F8(repeating: s) }, { $0 * s })
}

/// p += s.
func vaddScalar(_ p: UnsafeMutablePointer<Float>, _ n: Int, _ s: Float) {
    vmap(p, p, n, { $0 + F8(repeating: s) }, { $0 + s })
}

/// Sums `rows` rows of `width` floats into `out` (overwriting it): bias gradients.
func sumRows(_ x: UnsafePointer<Float>, rows: Int, width: Int, into out: UnsafeMutablePointer<Float>) {
    out.update(repeating: 0, count: width)
    for r in 0..<rows { axpyInline(1, x + r * width, out, width) }
}

/// out[j] += Σ over rows of x[r · width + j]: a bias gradient from a batch
/// of output gradients, sixteen columns at a time in registers (two sums
/// per column, even and odd rows, so that the additions overlap).
func addRowSums(_ x: UnsafePointer<Float>, rows: Int, width: Int, into out: UnsafeMutablePointer<Float>) {
    var j = 0
    while j + 8 <= width {
        let pair = j + 16 <= width
        var s0 = F8(), s1 = F8(), t0 = F8(), t1 = F8()
        var p = x + j, r = 0
        while r + 2 <= rows {
            s0 += load8(p); t0 += load8(p + width)
            if pair { s1 += load8(p + 8); t1 += load8(p + width + 8) }
            p += 2 * width
            r += 2
        }
        if r < rows {
            s0 += load8(p)
            if pair { s1 += load8(p + 8) }
        }
        store8(load8(out + j) + (s0 + t0), out + j)
        if pair { store8(load8(out + j + 8) + (s1 + t1), out + j + 8) }
        j += pair ? 16 : 8
    }
    while j < width {
        var s: Float = 0
        for r in 0..<rows { s += x[r * width + j] }
        out[j] += s
        j += 1
    }
}

/// Copies `count` floats; short runs (a pixel's few channels) without a memmove call.
@inline(__always)
func copyFloats(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, _ count: Int) {
    if count >= 32 { dst.update(from: src, count: count); return }
    var i = 0
    while i + 8 <= count { store8(load8(src + i), dst + i); i += 8 }
    while i < count { dst[i] = src[i]; i += 1 }
}

/// Every row of a [rows, width] matrix set to `row` (a bias before a product accumulates onto it).
func fillRows(_ dst: UnsafeMutablePointer<Float>, rows: Int, with row: UnsafePointer<Float>, width: Int) {
    for r in 0..<rows { copyFloats(row, dst + r * width, width) }
}

@inline(__always)
func zeroFloats(_ dst: UnsafeMutablePointer<Float>, _ count: Int) {
    if count >= 32 { dst.update(repeating: 0, count: count); return }
    for i in 0..<count { dst[i] = 0 }
}

// MARK: - Activations

func reluForward(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, _ n: Int, cap: Float?) {
    let zero = F8(repeating: 0)
    if let cap {
        let top = F8(repeating: cap)
        vmap(src, dst, n, { v in
            v.replacing(with: zero, where: v .< zero).replacing(with: top, where: v .> top)
        }, { min(max($0, 0), cap) })
    } else {
        vmap(src, dst, n, { $0.replacing(with: zero, where: $0 .< zero) }, { max($0, 0) })
    }
}

/// The range an activation keeps: [0, ∞) for ReLU, [0, 6] for ReLU6.
struct Clamp: Equatable {
    var low: Float
    var high: Float
    init(cap: Float?) { (low, high) = (0, cap ?? .infinity) }
}

/// p[i] = min(max(p[i], low), high): a ReLU or ReLU6 in place.
func clampFloats(_ p: UnsafeMutablePointer<Float>, _ n: Int, _ clamp: Clamp) {
    let (lo, hi) = (F8(repeating: clamp.low), F8(repeating: clamp.high))
    vmap(p, p, n, { clamp8($0, lo, hi) }, { min(max($0, clamp.low), clamp.high) })
}

/// The gradient through ReLU (or ReLU6), from the layer's output `y`.
func reluBackward(_ g: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, _ n: Int, cap: Float?) {
    let zero = F8(repeating: 0)
    if let cap {
        let top = F8(repeating: cap)
        vzip(g, y, dst, n, { g, y in g.replacing(with: zero, where: (y .<= zero) .| (y .>= top)) },
             { g, y in y > 0 && y < cap ? g : 0 })
    } else {
        vzip(g, y, dst, n, { g, y in g.replacing(with: zero, where: y .<= zero) }, { g, y in y > 0 ? g : 0 })
    }
}

// MARK: - Windows: im2col, pooling, depthwise convolution

/// Copies the windows of images `images` into rows of a matrix
/// [images × outH × outW, kernelH × kernelW × channels], zero outside the image.
func im2col(_ x: UnsafePointer<Float>, _ g: WindowGeometry, images: Range<Int>, into cols: UnsafeMutablePointer<Float>) {
    let c = g.channels
    let rowLength = g.kernelH * g.kernelW * c
    let span = g.kernelW * c
    var row = cols
    for n in images {
        let image = x + n * g.height * g.width * c
        for oy in 0..<g.outH {
            for ox in 0..<g.outW {
                var dst = row
                let ix0 = ox * g.stride - g.padLeft
                let inside = ix0 >= 0 && ix0 + g.kernelW <= g.width
                for ky in 0..<g.kernelH {
                    let iy = oy * g.stride - g.padTop + ky
                    if iy < 0 || iy >= g.height {
                        zeroFloats(dst, span)
                    } else if inside {
                        // The whole row of the window is inside: one copy.
                        copyFloats(image + (iy * g.width + ix0) * c, dst, span)
                    } else {
                        for kx in 0..<g.kernelW {
                            let ix = ix0 + kx
                            if ix < 0 || ix >= g.width {
                                zeroFloats(dst + kx * c, c)
                            } else {
                                copyFloats(image + (iy * g.width + ix) * c, dst + kx * c, c)
                            }
                        }
                    }
                    dst += span
                }
                row += rowLength
            }
        }
    }
}

/// Copies an image into a zeroed frame: `top` rows above it and `left`
/// columns before it, the rest of `paddedHeight` × `paddedWidth` zeros.
func padImage(_ image: UnsafePointer<Float>, height: Int, width: Int, channels c: Int, top: Int, left: Int,
              into padded: UnsafeMutablePointer<Float>, paddedHeight: Int, paddedWidth: Int) {
    let rowLength = paddedWidth * c
    for y in 0..<paddedHeight {
        let row = padded + y * rowLength
        let sourceY = y - top
        guard sourceY >= 0, sourceY < height else { zeroFloats(row, rowLength); continue }
        let first = max(0, left), last = min(paddedWidth, left + width)
        if first > 0 { zeroFloats(row, first * c) }
        if last > first { copyFloats(image + (sourceY * width + first - left) * c, row + first * c, (last - first) * c) }
        if last < paddedWidth { zeroFloats(row + last * c, (paddedWidth - last) * c) }
    }
}

/// The adjoint of `im2col`: adds each row's values back onto the pixels they came from.
func col2im(_ cols: UnsafePointer<Float>, _ g: WindowGeometry, images: Range<Int>, into dx: UnsafeMutablePointer<Float>) {
    let c = g.channels
    let rowLength = g.kernelH * g.kernelW * c
    var row = cols
    for n in images {
        let image = dx + n * g.height * g.width * c
        for oy in 0..<g.outH {
            for ox in 0..<g.outW {
                var src = row
                for ky in 0..<g.kernelH {
                    let iy = oy * g.stride - g.padTop + ky
                    if iy < 0 || iy >= g.height { src += g.kernelW * c; continue }
                    for kx in 0..<g.kernelW {
                        let ix = ox * g.stride - g.padLeft + kx
                        if ix >= 0 && ix < g.width { axpyInline(1, src, image + (iy * g.width + ix) * c, c) }
                        src += c
                    }
                }
                row += rowLength
            }
        }
    }
}

/// The 2×2, stride-2 tiles of `images`: (offset of the tile's top-left
/// input value, offset of its output value).
@inline(__always)
func forEachTile(_ g: WindowGeometry, images: Range<Int>, _ body: (Int, Int) -> Void) {
    let c = g.channels
    for n in images {
        for oy in 0..<g.outH {
            for ox in 0..<g.outW {
                body(((n * g.height + 2 * oy) * g.width + 2 * ox) * c, ((n * g.outH + oy) * g.outW + ox) * c)
            }
        }
    }
}

/// Max pooling of `images`; with `winners`, records which window position
/// won for every output value (as a Float: SIMD comparisons of Int32 lanes
/// are not vectorised by the compiler, those of Float lanes are).
/// With `rectify`, each maximum is also put through a ReLU: negative maxima
/// become 0 and win nothing, so their gradient is 0.
func maxPoolForward(_ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, winners: UnsafeMutablePointer<Float>?,
                    _ g: WindowGeometry, images: Range<Int>, rectify: Bool = false) {
    let c = g.channels
    if g.kernelH == 2, g.kernelW == 2, g.stride == 2, g.padTop == 0, g.padLeft == 0, c % 8 == 0 {
        // The common 2×2 pool: four loads and three comparisons per eight channels.
        let rowStride = g.width * c
        forEachTile(g, images: images) { topLeft, outOffset in
            let p00 = x + topLeft
            var i = 0
            while i < c {
                let a = load8(p00 + i), b = load8(p00 + c + i)
                let d = load8(p00 + rowStride + i), e = load8(p00 + rowStride + c + i)
                var best = a, at = F8(repeating: 0)
                var better = b .> best
                best.replace(with: b, where: better); at.replace(with: 1, where: better)
                better = d .> best
                best.replace(with: d, where: better); at.replace(with: 2, where: better)
                better = e .> best
                best.replace(with: e, where: better); at.replace(with: 3, where: better)
                if rectify {
                    let off = best .<= 0
                    best.replace(with: 0, where: off); at.replace(with: -1, where: off)
                }
                store8(best, out + outOffset + i)
                if let winners { store8(at, winners + outOffset + i) }
                i += 8
            }
        }
        return
    }
    for n in images {
        let image = x + n * g.height * g.width * c
        for oy in 0..<g.outH {
            for ox in 0..<g.outW {
                let outOffset = ((n * g.outH + oy) * g.outW + ox) * c
                var i = 0
                while i < c {
                    let lanes = min(8, c - i)
                    var best = F8(repeating: -.infinity)
                    var at = F8(repeating: -1)
                    for ky in 0..<g.kernelH {
                        let iy = oy * g.stride - g.padTop + ky
                        if iy < 0 || iy >= g.height { continue }
                        for kx in 0..<g.kernelW {
                            let ix = ox * g.stride - g.padLeft + kx
                            if ix < 0 || ix >= g.width { continue }
                            let src = image + (iy * g.width + ix) * c + i
                            var v = F8(repeating: -.infinity)
                            if lanes == 8 { v = load8(src) } else { for l in 0..<lanes { v[l] = src[l] } }
                            let better = v .> best
                            best.replace(with: v, where: better)
                            at.replace(with: F8(repeating: Float(ky * g.kernelW + kx)), where: better)
                        }
                    }
                    if rectify {
                        let off = best .<= 0
                        best.replace(with: 0, where: off); at.replace(with: -1, where: off)
                    }
                    if lanes == 8 {
                        store8(best, out + outOffset + i)
                        if let winners { store8(at, winners + outOffset + i) }
                    } else {
                        for l in 0..<lanes { out[outOffset + i + l] = best[l]; winners?[outOffset + i + l] = at[l] }
                    }
                    i += 8
                }
            }
        }
    }
}

/// Routes each output gradient to its window's winner; `dx` of `images` is overwritten.
func maxPoolBackward(_ gy: UnsafePointer<Float>, winners: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>,
                     _ g: WindowGeometry, images: Range<Int>) {
    let c = g.channels
    let imageSize = g.height * g.width * c
    if g.kernelH == 2, g.kernelW == 2, g.stride == 2, g.padTop == 0, g.padLeft == 0, c % 8 == 0,
       g.height % 2 == 0, g.width % 2 == 0 {
        // The common 2×2 pool tiles the image: every input gets its value written once.
        let rowStride = g.width * c
        let zero = F8(repeating: 0)
        forEachTile(g, images: images) { topLeft, outOffset in
            let p00 = dx + topLeft
            var i = 0
            while i < c {
                let grad = load8(gy + outOffset + i), at = load8(winners + outOffset + i)
                store8(grad.replacing(with: zero, where: at .!= 0), p00 + i)
                store8(grad.replacing(with: zero, where: at .!= 1), p00 + c + i)
                store8(grad.replacing(with: zero, where: at .!= 2), p00 + rowStride + i)
                store8(grad.replacing(with: zero, where: at .!= 3), p00 + rowStride + c + i)
                i += 8
            }
        }
        return
    }
    (dx + images.lowerBound * imageSize).update(repeating: 0, count: images.count * imageSize)
    for n in images {
        let image = dx + n * imageSize
        for oy in 0..<g.outH {
            for ox in 0..<g.outW {
                let outOffset = ((n * g.outH + oy) * g.outW + ox) * c
                for ky in 0..<g.kernelH {
                    let iy = oy * g.stride - g.padTop + ky
                    if iy < 0 || iy >= g.height { continue }
                    for kx in 0..<g.kernelW {
                        let ix = ox * g.stride - g.padLeft + kx
                        if ix < 0 || ix >= g.width { continue }
                        let position = Float(ky * g.kernelW + kx)
                        let positions = F8(repeating: position)
                        let dst = image + (iy * g.width + ix) * c
                        var i = 0
                        while i + 8 <= c {
                            let grad = load8(gy + outOffset + i)
                            store8(load8(dst + i) + grad.replacing(with: 0, where: load8(winners + outOffset + i) .!= positions), dst + i)
                            i += 8
                        }
                        while i < c {
                            if winners[outOffset + i] == position { dst[i] += gy[outOffset + i] }
                            i += 1
                        }
                    }
                }
            }
        }
    }
}

/// Visits each output pixel's window of an average pool: (output offset,
/// input offset, 1 / pixels inside the window).
@inline(__always)
func forEachAverageWindow(_ g: WindowGeometry, images: Range<Int>, _ body: (Int, Int, Float) -> Void) {
    let c = g.channels
    for n in images {
        for oy in 0..<g.outH {
            let y0 = max(oy * g.stride - g.padTop, 0), y1 = min(oy * g.stride - g.padTop + g.kernelH, g.height)
            for ox in 0..<g.outW {
                let x0 = max(ox * g.stride - g.padLeft, 0), x1 = min(ox * g.stride - g.padLeft + g.kernelW, g.width)
                let inv = 1 / Float(max((y1 - y0) * (x1 - x0), 1))
                let outOffset = ((n * g.outH + oy) * g.outW + ox) * c
                for iy in y0..<max(y0, y1) {
                    for ix in x0..<max(x0, x1) { body(outOffset, ((n * g.height + iy) * g.width + ix) * c, inv) }
                }
            }
        }
    }
}

func averagePoolForward(_ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, _ g: WindowGeometry, images: Range<Int>) {
    let c = g.channels
    (out + images.lowerBound * g.outH * g.outW * c).update(repeating: 0, count: images.count * g.outH * g.outW * c)
    forEachAverageWindow(g, images: images) { o, i, inv in axpyInline(inv, x + i, out + o, c) }
}

func averagePoolBackward(_ gy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>, _ g: WindowGeometry, images: Range<Int>) {
    let c = g.channels
    let imageSize = g.height * g.width * c
    (dx + images.lowerBound * imageSize).update(repeating: 0, count: images.count * imageSize)
    forEachAverageWindow(g, images: images) { o, i, inv in axpyInline(inv, gy + o, dx + i, c) }
}

/// [n, pixels, c] → [n, c] means, and back.
func globalAverageForward(_ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, pixels: Int, channels c: Int, images: Range<Int>) {
    let inv = 1 / Float(max(pixels, 1))
    for b in images {
        zeroFloats(out + b * c, c)
        for p in 0..<pixels { axpyInline(inv, x + (b * pixels + p) * c, out + b * c, c) }
    }
}

func globalAverageBackward(_ g: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>, pixels: Int, channels c: Int, images: Range<Int>) {
    let inv = 1 / Float(max(pixels, 1))
    for b in images {
        for p in 0..<pixels {
            vmap(g + b * c, dx + (b * pixels + p) * c, c, { $0 * F8(repeating: inv) }, { $0 * inv })
        }
    }
}

/// A depthwise convolution of `images`: out = bias + Σ window · weight, per channel.
func depthwiseForward(_ x: UnsafePointer<Float>, weight w: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
                      _ out: UnsafeMutablePointer<Float>, _ g: WindowGeometry, images: Range<Int>) {
    let c = g.channels
    for n in images {
        let image = x + n * g.height * g.width * c
        for oy in 0..<g.outH {
            for ox in 0..<g.outW {
                let dst = out + ((n * g.outH + oy) * g.outW + ox) * c
                if let bias { copyFloats(bias, dst, c) } else { zeroFloats(dst, c) }
                for ky in 0..<g.kernelH {
                    let iy = oy * g.stride - g.padTop + ky
                    if iy < 0 || iy >= g.height { continue }
                    for kx in 0..<g.kernelW {
                        let ix = ox * g.stride - g.padLeft + kx
                        if ix < 0 || ix >= g.width { continue }
                        let src = image + (iy * g.width + ix) * c
                        let wk = w + (ky * g.kernelW + kx) * c
                        var i = 0
                        while i + 8 <= c { store8(load8(dst + i) + load8(src + i) * load8(wk + i), dst + i); i += 8 }
                        while i < c { dst[i] += src[i] * wk[i]; i += 1 }
                    }
                }
            }
        }
    }
}

/// Adds the weight gradient of `images` into `dw` (when given) and writes
/// their input gradient into `dx` (when given, zeroed first).
func depthwiseBackward(_ x: UnsafePointer<Float>, weight w: UnsafePointer<Float>, _ gy: UnsafePointer<Float>,
                       dw: UnsafeMutablePointer<Float>?, dx: UnsafeMutablePointer<Float>?, _ g: WindowGeometry, images: Range<Int>) {
    let c = g.channels
    let imageSize = g.height * g.width * c
    if let dx { (dx + images.lowerBound * imageSize).update(repeating: 0, count: images.count * imageSize) }
    for n in images {
        let image = x + n * imageSize
        for oy in 0..<g.outH {
            for ox in 0..<g.outW {
                let grad = gy + ((n * g.outH + oy) * g.outW + ox) * c
                for ky in 0..<g.kernelH {
                    let iy = oy * g.stride - g.padTop + ky
                    if iy < 0 || iy >= g.height { continue }
                    for kx in 0..<g.kernelW {
                        let ix = ox * g.stride - g.padLeft + kx
                        if ix < 0 || ix >= g.width { continue }
                        let offset = (iy * g.width + ix) * c
                        let wk = (ky * g.kernelW + kx) * c
                        if let dw {
                            let src = image + offset, dst = dw + wk
                            var i = 0
                            while i + 8 <= c { store8(load8(dst + i) + load8(src + i) * load8(grad + i), dst + i); i += 8 }
                            while i < c { dst[i] += src[i] * grad[i]; i += 1 }
                        }
                        if let dx {
                            let dst = dx + n * imageSize + offset, wp = w + wk
                            var i = 0
                            while i + 8 <= c { store8(load8(dst + i) + load8(wp + i) * load8(grad + i), dst + i); i += 8 }
                            while i < c { dst[i] += wp[i] * grad[i]; i += 1 }
                        }
                    }
                }
            }
        }
    }
}

// MARK: - Batch normalisation

/// Per-feature sums of x and x² over `rows` rows of `c` features.
func featureSums(_ x: UnsafePointer<Float>, rows: Int, features c: Int,
                 sum: UnsafeMutablePointer<Float>, sumOfSquares: UnsafeMutablePointer<Float>) {
    zeroFloats(sum, c)
    zeroFloats(sumOfSquares, c)
    for r in 0..<rows {
        let row = x + r * c
        var i = 0
        while i + 8 <= c {
            let v = load8(row + i)
            store8(load8(sum + i) + v, sum + i)
            store8(load8(sumOfSquares + i) + v * v, sumOfSquares + i)
            i += 8
        }
        while i < c { sum[i] += row[i]; sumOfSquares[i] += row[i] * row[i]; i += 1 }
    }
}

/// out = (x − mean) · inverseStd · gamma + beta, keeping the normalised values when asked.
func normalise(_ x: UnsafePointer<Float>, rows: Int, features c: Int, mean: UnsafePointer<Float>, inverseStd: UnsafePointer<Float>,
               gamma: UnsafePointer<Float>, beta: UnsafePointer<Float>, out: UnsafeMutablePointer<Float>,
               normalised: UnsafeMutablePointer<Float>?) {
    for r in 0..<rows {
        let src = x + r * c, dst = out + r * c
        var i = 0
        while i + 8 <= c {
            let h = (load8(src + i) - load8(mean + i)) * load8(inverseStd + i)
            if let normalised { store8(h, normalised + r * c + i) }
            store8(h * load8(gamma + i) + load8(beta + i), dst + i)
            i += 8
        }
        while i < c {
            let h = (src[i] - mean[i]) * inverseStd[i]
            normalised?[r * c + i] = h
            dst[i] = h * gamma[i] + beta[i]
            i += 1
        }
    }
}

/// dGamma = Σ g · x̂ and dBeta = Σ g per feature.
func normaliseGradientSums(_ g: UnsafePointer<Float>, _ xhat: UnsafePointer<Float>, rows: Int, features c: Int,
                           dGamma: UnsafeMutablePointer<Float>, dBeta: UnsafeMutablePointer<Float>) {
    zeroFloats(dGamma, c)
    zeroFloats(dBeta, c)
    for r in 0..<rows {
        let gr = g + r * c, hr = xhat + r * c
        var i = 0
        while i + 8 <= c {
            let gv = load8(gr + i)
            store8(load8(dGamma + i) + gv * load8(hr + i), dGamma + i)
            store8(load8(dBeta + i) + gv, dBeta + i)
            i += 8
        }
        while i < c { dGamma[i] += gr[i] * hr[i]; dBeta[i] += gr[i]; i += 1 }
    }
}

/// The input gradient of batch norm. With batch statistics:
/// dx = γ·σ⁻¹/N · (N·g − dβ − x̂·dγ); with running statistics: dx = γ·σ⁻¹·g.
func normaliseInputGradient(_ g: UnsafePointer<Float>, _ xhat: UnsafePointer<Float>, rows: Int, batchRows: Int, features c: Int,
                            gamma: UnsafePointer<Float>, inverseStd: UnsafePointer<Float>, dGamma: UnsafePointer<Float>,
                            dBeta: UnsafePointer<Float>, batchStatistics: Bool, dx: UnsafeMutablePointer<Float>) {
    let n = Float(batchRows)
    for r in 0..<rows {
        let gr = g + r * c, hr = xhat + r * c, dr = dx + r * c
        if batchStatistics {
            let nv = F8(repeating: n), invN = F8(repeating: 1 / n)
            var i = 0
            while i + 8 <= c {
                let k = load8(gamma + i) * load8(inverseStd + i) * invN
                store8(k * (nv * load8(gr + i) - load8(dBeta + i) - load8(hr + i) * load8(dGamma + i)), dr + i)
                i += 8
            }
            while i < c {
                dr[i] = gamma[i] * inverseStd[i] / n * (n * gr[i] - dBeta[i] - hr[i] * dGamma[i])
                i += 1
            }
        } else {
            var i = 0
            while i + 8 <= c { store8(load8(gr + i) * load8(gamma + i) * load8(inverseStd + i), dr + i); i += 8 }
            while i < c { dr[i] = gr[i] * gamma[i] * inverseStd[i]; i += 1 }
        }
    }
}

// MARK: - Optimisers

/// SGD with momentum (PyTorch's form) and L2 weight decay, in place.
func sgdMomentumStep(_ w: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>, _ v: UnsafeMutablePointer<Float>, _ n: Int,
                     learningRate lr: Float, momentum mu: Float, weightDecay wd: Float, nesterov: Bool) {
    let lrv = F8(repeating: lr), muv = F8(repeating: mu), wdv = F8(repeating: wd)
    var i = 0
    while i + 8 <= n {
        let wi = load8(w + i)
        let d = load8(g + i) + wdv * wi
        let vi = muv * load8(v + i) + d
        store8(vi, v + i)
        store8(wi - lrv * (nesterov ? d + muv * vi : vi), w + i)
        i += 8
    }
    while i < n {
        let d = g[i] + wd * w[i]
        v[i] = mu * v[i] + d
        w[i] -= lr * (nesterov ? d + mu * v[i] : v[i])
        i += 1
    }
}

/// Plain SGD with L2 weight decay, in place.
func sgdStep(_ w: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>, _ n: Int, learningRate lr: Float, weightDecay wd: Float) {
    vzip(w, g, w, n, { w, g in w - F8(repeating: lr) * (g + F8(repeating: wd) * w) }, { w, g in w - lr * (g + wd * w) })
}

/// One Adam step in place (bias-corrected step size and √(1−β₂ᵗ) given).
func adamStep(_ w: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>, _ m: UnsafeMutablePointer<Float>,
              _ v: UnsafeMutablePointer<Float>, _ n: Int, learningRate lr: Float, beta1 b1: Float, beta2 b2: Float,
              epsilon eps: Float, weightDecay wd: Float, decoupled: Bool, stepSize: Float, rootCorrection: Float) {
    for i in 0..<n {
        var gi = g[i]
        if decoupled { w[i] *= 1 - lr * wd } else { gi += wd * w[i] }
        m[i] = b1 * m[i] + (1 - b1) * gi
        v[i] = b2 * v[i] + (1 - b2) * gi * gi
        w[i] -= stepSize * m[i] / (v[i].squareRoot() / rootCorrection + eps)
    }
}

// MARK: - Element-wise tensor operations

extension Tensor {
    /// Element-wise binary operation with broadcasting. Same shapes and a
    /// trailing-vector right operand (a bias) take vectorised paths.
    @inline(__always)
    func binary(_ other: Tensor, _ vector: (F8, F8) -> F8, _ scalar: (Float, Float) -> Float) throws -> Tensor {
        if shape == other.shape {
            let out = try Tensor(uninitialized: shape)
            vzip(pointer, other.pointer, out.pointer, count, vector, scalar)
            return out
        }
        let outShape = try Tensor.broadcastShape(shape, other.shape)
        let out = try Tensor(uninitialized: outShape)
        // A trailing vector (a bias per feature or channel): row by row.
        let core = Array(other.shape.drop(while: { $0 == 1 }))
        if outShape == shape, core.count == 1, shape.last == core[0], core[0] > 0 {
            let row = core[0]
            for r in 0..<(count / row) {
                vzip(pointer + r * row, other.pointer, out.pointer + r * row, row, vector, scalar)
            }
            return out
        }
        // General case: walk the output index and map it into both operands.
        let aStrides = Tensor.broadcastStrides(shape, to: outShape)
        let bStrides = Tensor.broadcastStrides(other.shape, to: outShape)
        forEachPosition(outShape, strides: [aStrides, bStrides]) { i, o in
            out.pointer[i] = scalar(pointer[o[0]], other.pointer[o[1]])
        }
        return out
    }

    public static func + (a: Tensor, b: Tensor) throws -> Tensor { try a.binary(b, { $0 + $1 }, { $0 + $1 }) }
    public static func - (a: Tensor, b: Tensor) throws -> Tensor { try a.binary(b, { $0 - $1 }, { $0 - $1 }) }
    public static func * (a: Tensor, b: Tensor) throws -> Tensor { try a.binary(b, { $0 * $1 }, { $0 * $1 }) }
    public static func / (a: Tensor, b: Tensor) throws -> Tensor { try a.binary(b, { $0 / $1 }, { $0 / $1 }) }

    public static func * (a: Tensor, s: Float) throws -> Tensor { try a.map({ $0 * F8(repeating: s) }, { $0 * s }) }
    public static func + (a: Tensor, s: Float) throws -> Tensor { try a.map({ $0 + F8(repeating: s) }, { $0 + s }) }

    @inline(__always)
    func map(_ vector: (F8) -> F8, _ scalar: (Float) -> Float) throws -> Tensor {
        let out = try Tensor(uninitialized: shape)
        vmap(pointer, out.pointer, count, vector, scalar)
        return out
    }

    public func exp() throws -> Tensor { try map({ v in F8(v.indices.map { Foundation.exp(v[$0]) }) }, { Foundation.exp($0) }) }
    public func log() throws -> Tensor { try map({ v in F8(v.indices.map { Foundation.log(v[$0]) }) }, { Foundation.log($0) }) }
    public func squared() throws -> Tensor { try map({ $0 * $0 }, { $0 * $0 }) }

}

/// v with each lane held to [low, high], in two vector selects (SIMD's own
/// `clamped` is not specialised here and goes lane by lane).
@inline(__always)
func clamp8(_ v: SIMD8<Float>, _ low: SIMD8<Float>, _ high: SIMD8<Float>) -> SIMD8<Float> {
    v.replacing(with: low, where: v .< low).replacing(with: high, where: v .> high)
}
