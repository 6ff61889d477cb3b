/// Matrix products for the narrow shapes convolutions make: a few thousand
/// rows of window matrix against 8 to 48 output channels, where a general
/// BLAS spends much of its time packing. These read the rows where they lie
/// and keep a block of the result in registers.
///
/// On x86-64 this module is compiled for Haswell's instruction set (AVX2 and
/// FMA, see Package.swift), so callers must first check that the processor
/// has it (`TrainingEngine` does); elsewhere it is compiled for the baseline.
/// Nothing here runs on its own: no globals, no initialisers.
///
/// All matrices are row-major Float32.
public enum NarrowProducts {
    /// C = A · B (or C += A · B when `accumulate`), for A m×k (row stride
    /// `lda`), B k×n (row stride `ldb`) and C m×n (row stride `ldc`), with
    /// `n` a multiple of 8.
    ///
    /// Complexity: O(m·n·k).
    public static func multiply(m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int,
                                b: UnsafePointer<Float>, ldb: Int, c: UnsafeMutablePointer<Float>, ldc: Int,
                                accumulate: Bool) {
        multiply(m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb, c: c, ldc: ldc,
                 Epilogue(accumulate: accumulate))
    }

    /// C = clamp(A · B + bias) to [low, high] per element, with `n` a
    /// multiple of 8: a 1×1 convolution with its batch norm folded in and
    /// the ReLU or ReLU6 after it, in one pass over C.
    ///
    /// Complexity: O(m·n·k).
    public static func multiply(m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int,
                                b: UnsafePointer<Float>, ldb: Int, c: UnsafeMutablePointer<Float>, ldc: Int,
                                bias: UnsafePointer<Float>?, low: Float, high: Float) {
        var e = Epilogue(bias: bias)
        if low > -.infinity || high < .infinity { (e.clamps, e.low, e.high) = (true, low, high) }
        multiply(m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb, c: c, ldc: ldc, e)
    }

    static func multiply(m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                         c: UnsafeMutablePointer<Float>, ldc: Int, _ epilogue: Epilogue) {
        var col = 0
        while col < n {
            let width = n - col >= 32 ? 32 : (n - col >= 16 ? 16 : 8)
            let e = epilogue.shifted(by: col)
            var row = 0
            switch width {
            case 32:
                // Three rows at a time, and what is left (one or two rows) as two-row blocks.
                while row + 3 <= m, m - row != 4 {
                    block3x32(k, a + row * lda, lda, b + col, ldb, c + row * ldc + col, ldc, e)
                    row += 3
                }
                while row + 2 <= m {
                    block2x32(k, a + row * lda, lda, b + col, ldb, c + row * ldc + col, ldc, e)
                    row += 2
                }
            case 16:
                while row + 6 <= m {
                    block6x16(k, a + row * lda, lda, b + col, ldb, c + row * ldc + col, ldc, e)
                    row += 6
                }
                if row + 4 <= m {
                    block4x16(k, a + row * lda, lda, b + col, ldb, c + row * ldc + col, ldc, e)
                    row += 4
                }
                if row + 2 <= m {
                    block2x16(k, a + row * lda, lda, b + col, ldb, c + row * ldc + col, ldc, e)
                    row += 2
                }
            default:
                while row + 12 <= m {
                    block12x8(k, a + row * lda, lda, b + col, ldb, c + row * ldc + col, ldc, e)
                    row += 12
                }
            }
            while row < m {
                row1(k, width, a + row * lda, b + col, ldb, c + row * ldc + col, e)
                row += 1
            }
            col += width
        }
    }

    /// A stride-1 convolution of one image as a product with its windows read
    /// in place: out[y][x] = bias + Σ input[y + i][x + j][·] · weights[i][j][·]
    /// for y < outH, x < outW, with the input already padded (`paddedWidth`
    /// pixels a row, `channels` values a pixel), weights [kernelH · kernelW ·
    /// channels, n] and out [outH · outW, n]; `n` a multiple of 8.
    ///
    /// Complexity: O(outH · outW · kernelH · kernelW · channels · n).
    public static func convolve(_ input: UnsafePointer<Float>, paddedWidth: Int, channels: Int, kernelH: Int,
                                kernelW: Int, outH: Int, outW: Int, weights: UnsafePointer<Float>, n: Int,
                                bias: UnsafePointer<Float>?, into out: UnsafeMutablePointer<Float>) {
        let rowStride = paddedWidth * channels
        let e = Epilogue(segments: kernelH, segmentStride: rowStride, accumulate: false, bias: bias)
        for y in 0..<outH {
            multiply(m: outW, n: n, k: kernelW * channels, a: input + y * rowStride, lda: channels, b: weights, ldb: n,
                     c: out + y * outW * n, ldc: n, e)
        }
    }

    /// The weight gradient of `convolve` for one image, added to `dw`
    /// ([kernelH · kernelW · channels, n]): Σ over pixels of window ⊗ gradient.
    ///
    /// Complexity: O(outH · outW · kernelH · kernelW · channels · n).
    public static func convolveWeightGradient(_ input: UnsafePointer<Float>, paddedWidth: Int, channels: Int, kernelH: Int,
                                              kernelW: Int, outH: Int, outW: Int, gradient: UnsafePointer<Float>, n: Int,
                                              into dw: UnsafeMutablePointer<Float>) {
        let rowStride = paddedWidth * channels
        let span = kernelW * channels
        for y in 0..<outH {
            for i in 0..<kernelH {
                multiplyTransposedA(r: outW, m: span, n: n, a: input + (y + i) * rowStride, lda: channels,
                                    b: gradient + y * outW * n, ldb: n, c: dw + i * span * n, ldc: n, accumulate: true)
            }
        }
    }

    /// C = Aᵀ · B (or C += Aᵀ · B), for A r×m (row stride `lda`: r rows of
    /// the window matrix, m of its columns), B r×n (row stride `ldb`) and C
    /// m×n (row stride `ldc`), with `n` a multiple of 8: the weight gradient
    /// of a convolution, summed over the r window rows.
    ///
    /// Complexity: O(r·m·n).
    public static func multiplyTransposedA(r: Int, m: Int, n: Int, a: UnsafePointer<Float>, lda: Int,
                                           b: UnsafePointer<Float>, ldb: Int, c: UnsafeMutablePointer<Float>,
                                           ldc: Int, accumulate: Bool) {
        if !accumulate {
            for i in 0..<m { (c + i * ldc).update(repeating: 0, count: n) }
        }
        // Rows of A and B in slices that stay in the first-level cache while
        // every block of C takes them in turn.
        let slice = 128
        var start = 0
        while start < r {
            let rows = min(slice, r - start)
            let aSlice = a + start * lda, bSlice = b + start * ldb
            var col = 0
            while col < n {
                let width = n - col >= 32 ? 32 : (n - col >= 16 ? 16 : 8)
                var i = 0
                switch width {
                case 32:
                    while i + 3 <= m {
                        outer3x32(rows, aSlice + i, lda, bSlice + col, ldb, c + i * ldc + col, ldc)
                        i += 3
                    }
                case 16:
                    while i + 6 <= m {
                        outer6x16(rows, aSlice + i, lda, bSlice + col, ldb, c + i * ldc + col, ldc)
                        i += 6
                    }
                    if i + 3 <= m {
                        outer3x16(rows, aSlice + i, lda, bSlice + col, ldb, c + i * ldc + col, ldc)
                        i += 3
                    }
                default:
                    while i + 12 <= m {
                        outer12x8(rows, aSlice + i, lda, bSlice + col, ldb, c + i * ldc + col, ldc)
                        i += 12
                    }
                }
                while i < m {
                    outer1(rows, width, aSlice + i, lda, bSlice + col, ldb, c + i * ldc + col)
                    i += 1
                }
                col += width
            }
            start += rows
        }
    }
}

typealias V8 = SIMD8<Float>

@inline(__always)
func load8(_ p: UnsafePointer<Float>) -> V8 { UnsafeRawPointer(p).loadUnaligned(as: V8.self) }

@inline(__always)
func store8(_ v: V8, _ p: UnsafeMutablePointer<Float>) { UnsafeMutableRawPointer(p).storeBytes(of: v, as: V8.self) }

/// How a block of C = A · B is read and written: A's rows may come in
/// `segments` pieces `segmentStride` apart (the rows of a window over an
/// image), and the block is added to C or to a bias before it is stored.
struct Epilogue {
    var segments = 1
    var segmentStride = 0
    var accumulate = false
    /// The bias of the block's first column, when there is one.
    var bias: UnsafePointer<Float>?
    /// Whether the result is clamped to [low, high] (a ReLU or ReLU6 after the product).
    var clamps = false
    var low: Float = -.infinity
    var high: Float = .infinity

    /// Stores accumulator `v` at `p`, column `offset` of the block.
    @inline(__always)
    func finish(_ v: V8, _ p: UnsafeMutablePointer<Float>, _ offset: Int) {
        var out = v
        if accumulate { out += load8(p) }
        if let bias { out += load8(bias + offset) }
        if clamps { out = clamp8(out, V8(repeating: low), V8(repeating: high)) }
        store8(out, p)
    }

    func shifted(by columns: Int) -> Epilogue {
        var e = self
        e.bias = bias.map { $0 + columns }
        return e
    }
}

// MARK: C = A · B blocks

/// Three rows of C, 32 columns: 12 accumulators.
@inline(never)
func block3x32(_ k: Int, _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
               _ c: UnsafeMutablePointer<Float>, _ ldc: Int, _ e: Epilogue) {
    var c00 = V8(), c01 = V8(), c02 = V8(), c03 = V8()
    var c10 = V8(), c11 = V8(), c12 = V8(), c13 = V8()
    var c20 = V8(), c21 = V8(), c22 = V8(), c23 = V8()
    var bp = b
    for s in 0..<e.segments {
        let a0 = a + s * e.segmentStride, a1 = a0 + lda, a2 = a0 + 2 * lda
        for p in 0..<k {
            let x0 = V8(repeating: a0[p]), x1 = V8(repeating: a1[p]), x2 = V8(repeating: a2[p])
            var w = load8(bp)
            c00 = c00.addingProduct(x0, w); c10 = c10.addingProduct(x1, w); c20 = c20.addingProduct(x2, w)
            w = load8(bp + 8)
            c01 = c01.addingProduct(x0, w); c11 = c11.addingProduct(x1, w); c21 = c21.addingProduct(x2, w)
            w = load8(bp + 16)
            c02 = c02.addingProduct(x0, w); c12 = c12.addingProduct(x1, w); c22 = c22.addingProduct(x2, w)
            w = load8(bp + 24)
            c03 = c03.addingProduct(x0, w); c13 = c13.addingProduct(x1, w); c23 = c23.addingProduct(x2, w)
            bp += ldb
        }
    }
    let r0 = c, r1 = c + ldc, r2 = c + 2 * ldc
    e.finish(c00, r0, 0); e.finish(c01, r0 + 8, 8); e.finish(c02, r0 + 16, 16); e.finish(c03, r0 + 24, 24)
    e.finish(c10, r1, 0); e.finish(c11, r1 + 8, 8); e.finish(c12, r1 + 16, 16); e.finish(c13, r1 + 24, 24)
    e.finish(c20, r2, 0); e.finish(c21, r2 + 8, 8); e.finish(c22, r2 + 16, 16); e.finish(c23, r2 + 24, 24)
}

/// Two rows of C, 32 columns (the rows three-row blocks leave).
@inline(never)
func block2x32(_ k: Int, _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
               _ c: UnsafeMutablePointer<Float>, _ ldc: Int, _ e: Epilogue) {
    var c00 = V8(), c01 = V8(), c02 = V8(), c03 = V8()
    var c10 = V8(), c11 = V8(), c12 = V8(), c13 = V8()
    var bp = b
    for s in 0..<e.segments {
        let a0 = a + s * e.segmentStride, a1 = a0 + lda
        for p in 0..<k {
            let x0 = V8(repeating: a0[p]), x1 = V8(repeating: a1[p])
            var w = load8(bp)
            c00 = c00.addingProduct(x0, w); c10 = c10.addingProduct(x1, w)
            w = load8(bp + 8)
            c01 = c01.addingProduct(x0, w); c11 = c11.addingProduct(x1, w)
            w = load8(bp + 16)
            c02 = c02.addingProduct(x0, w); c12 = c12.addingProduct(x1, w)
            w = load8(bp + 24)
            c03 = c03.addingProduct(x0, w); c13 = c13.addingProduct(x1, w)
            bp += ldb
        }
    }
    let r0 = c, r1 = c + ldc
    e.finish(c00, r0, 0); e.finish(c01, r0 + 8, 8); e.finish(c02, r0 + 16, 16); e.finish(c03, r0 + 24, 24)
    e.finish(c10, r1, 0); e.finish(c11, r1 + 8, 8); e.finish(c12, r1 + 16, 16); e.finish(c13, r1 + 24, 24)
}

/// Six rows of C, 16 columns: 12 accumulators.
@inline(never)
func block6x16(_ k: Int, _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
               _ c: UnsafeMutablePointer<Float>, _ ldc: Int, _ e: Epilogue) {
    var c00 = V8(), c01 = V8(), c10 = V8(), c11 = V8(), c20 = V8(), c21 = V8()
    var c30 = V8(), c31 = V8(), c40 = V8(), c41 = V8(), c50 = V8(), c51 = V8()
    var bp = b
    for s in 0..<e.segments {
        let a0 = a + s * e.segmentStride, a1 = a0 + lda, a2 = a0 + 2 * lda, a3 = a0 + 3 * lda, a4 = a0 + 4 * lda, a5 = a0 + 5 * lda
        for p in 0..<k {
            let w0 = load8(bp), w1 = load8(bp + 8)
            var x = V8(repeating: a0[p])
            c00 = c00.addingProduct(x, w0); c01 = c01.addingProduct(x, w1)
            x = V8(repeating: a1[p])
            c10 = c10.addingProduct(x, w0); c11 = c11.addingProduct(x, w1)
            x = V8(repeating: a2[p])
            c20 = c20.addingProduct(x, w0); c21 = c21.addingProduct(x, w1)
            x = V8(repeating: a3[p])
            c30 = c30.addingProduct(x, w0); c31 = c31.addingProduct(x, w1)
            x = V8(repeating: a4[p])
            c40 = c40.addingProduct(x, w0); c41 = c41.addingProduct(x, w1)
            x = V8(repeating: a5[p])
            c50 = c50.addingProduct(x, w0); c51 = c51.addingProduct(x, w1)
            bp += ldb
        }
    }
    var r = c
    e.finish(c00, r, 0); e.finish(c01, r + 8, 8); r += ldc
    e.finish(c10, r, 0); e.finish(c11, r + 8, 8); r += ldc
    e.finish(c20, r, 0); e.finish(c21, r + 8, 8); r += ldc
    e.finish(c30, r, 0); e.finish(c31, r + 8, 8); r += ldc
    e.finish(c40, r, 0); e.finish(c41, r + 8, 8); r += ldc
    e.finish(c50, r, 0); e.finish(c51, r + 8, 8)
}

/// Four rows of C, 16 columns (what six-row blocks leave of 16-pixel image rows).
@inline(never)
func block4x16(_ k: Int, _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
               _ c: UnsafeMutablePointer<Float>, _ ldc: Int, _ e: Epilogue) {
    var c00 = V8(), c01 = V8(), c10 = V8(), c11 = V8(), c20 = V8(), c21 = V8(), c30 = V8(), c31 = V8()
    var bp = b
    for s in 0..<e.segments {
        let a0 = a + s * e.segmentStride, a1 = a0 + lda, a2 = a0 + 2 * lda, a3 = a0 + 3 * lda
        for p in 0..<k {
            let w0 = load8(bp), w1 = load8(bp + 8)
            var x = V8(repeating: a0[p])
            c00 = c00.addingProduct(x, w0); c01 = c01.addingProduct(x, w1)
            x = V8(repeating: a1[p])
            c10 = c10.addingProduct(x, w0); c11 = c11.addingProduct(x, w1)
            x = V8(repeating: a2[p])
            c20 = c20.addingProduct(x, w0); c21 = c21.addingProduct(x, w1)
            x = V8(repeating: a3[p])
            c30 = c30.addingProduct(x, w0); c31 = c31.addingProduct(x, w1)
            bp += ldb
        }
    }
    var r = c
    e.finish(c00, r, 0); e.finish(c01, r + 8, 8); r += ldc
    e.finish(c10, r, 0); e.finish(c11, r + 8, 8); r += ldc
    e.finish(c20, r, 0); e.finish(c21, r + 8, 8); r += ldc
    e.finish(c30, r, 0); e.finish(c31, r + 8, 8)
}

/// Two rows of C, 16 columns.
@inline(never)
func block2x16(_ k: Int, _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
               _ c: UnsafeMutablePointer<Float>, _ ldc: Int, _ e: Epilogue) {
    var c00 = V8(), c01 = V8(), c10 = V8(), c11 = V8()
    var bp = b
    for s in 0..<e.segments {
        let a0 = a + s * e.segmentStride, a1 = a0 + lda
        for p in 0..<k {
            let w0 = load8(bp), w1 = load8(bp + 8)
            var x = V8(repeating: a0[p])
            c00 = c00.addingProduct(x, w0); c01 = c01.addingProduct(x, w1)
            x = V8(repeating: a1[p])
            c10 = c10.addingProduct(x, w0); c11 = c11.addingProduct(x, w1)
            bp += ldb
        }
    }
    e.finish(c00, c, 0); e.finish(c01, c + 8, 8)
    e.finish(c10, c + ldc, 0); e.finish(c11, c + ldc + 8, 8)
}

/// Twelve rows of C, 8 columns: 12 accumulators.
@inline(never)
func block12x8(_ k: Int, _ a0: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
               _ c: UnsafeMutablePointer<Float>, _ ldc: Int, _ e: Epilogue) {
    var acc = (V8(), V8(), V8(), V8(), V8(), V8(), V8(), V8(), V8(), V8(), V8(), V8())
    var bp = b
    for s in 0..<e.segments {
        let a = a0 + s * e.segmentStride
        for p in 0..<k {
            let w = load8(bp)
            acc.0 = acc.0.addingProduct(V8(repeating: a[p]), w)
            acc.1 = acc.1.addingProduct(V8(repeating: a[lda + p]), w)
            acc.2 = acc.2.addingProduct(V8(repeating: a[2 * lda + p]), w)
            acc.3 = acc.3.addingProduct(V8(repeating: a[3 * lda + p]), w)
            acc.4 = acc.4.addingProduct(V8(repeating: a[4 * lda + p]), w)
            acc.5 = acc.5.addingProduct(V8(repeating: a[5 * lda + p]), w)
            acc.6 = acc.6.addingProduct(V8(repeating: a[6 * lda + p]), w)
            acc.7 = acc.7.addingProduct(V8(repeating: a[7 * lda + p]), w)
            acc.8 = acc.8.addingProduct(V8(repeating: a[8 * lda + p]), w)
            acc.9 = acc.9.addingProduct(V8(repeating: a[9 * lda + p]), w)
            acc.10 = acc.10.addingProduct(V8(repeating: a[10 * lda + p]), w)
            acc.11 = acc.11.addingProduct(V8(repeating: a[11 * lda + p]), w)
            bp += ldb
        }
    }
    e.finish(acc.0, c, 0); e.finish(acc.1, c + ldc, 0); e.finish(acc.2, c + 2 * ldc, 0)
    e.finish(acc.3, c + 3 * ldc, 0); e.finish(acc.4, c + 4 * ldc, 0); e.finish(acc.5, c + 5 * ldc, 0)
    e.finish(acc.6, c + 6 * ldc, 0); e.finish(acc.7, c + 7 * ldc, 0); e.finish(acc.8, c + 8 * ldc, 0)
    e.finish(acc.9, c + 9 * ldc, 0); e.finish(acc.10, c + 10 * ldc, 0); e.finish(acc.11, c + 11 * ldc, 0)
}

/// One row of C, `width` (8, 16 or 32) columns.
@inline(never)
func row1(_ k: Int, _ width: Int, _ a0: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ ldb: Int,
          _ c: UnsafeMutablePointer<Float>, _ e: Epilogue) {
    var v0 = V8(), v1 = V8(), v2 = V8(), v3 = V8()
    var bp = b
    for s in 0..<e.segments {
        let a = a0 + s * e.segmentStride
        for p in 0..<k {
            let x = V8(repeating: a[p])
            v0 = v0.addingProduct(x, load8(bp))
            if width > 8 { v1 = v1.addingProduct(x, load8(bp + 8)) }
            if width > 16 {
                v2 = v2.addingProduct(x, load8(bp + 16))
                v3 = v3.addingProduct(x, load8(bp + 24))
            }
            bp += ldb
        }
    }
    e.finish(v0, c, 0)
    if width > 8 { e.finish(v1, c + 8, 8) }
    if width > 16 {
        e.finish(v2, c + 16, 16)
        e.finish(v3, c + 24, 24)
    }
}

// MARK: C += Aᵀ · B blocks (sums of outer products of rows)

/// Three rows of C (three columns of A), 32 columns.
@inline(never)
func outer3x32(_ rows: Int, _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
               _ c: UnsafeMutablePointer<Float>, _ ldc: Int) {
    let r0 = c, r1 = c + ldc, r2 = c + 2 * ldc
    var c00 = load8(r0), c01 = load8(r0 + 8), c02 = load8(r0 + 16), c03 = load8(r0 + 24)
    var c10 = load8(r1), c11 = load8(r1 + 8), c12 = load8(r1 + 16), c13 = load8(r1 + 24)
    var c20 = load8(r2), c21 = load8(r2 + 8), c22 = load8(r2 + 16), c23 = load8(r2 + 24)
    var ap = a, bp = b
    for _ in 0..<rows {
        let x0 = V8(repeating: ap[0]), x1 = V8(repeating: ap[1]), x2 = V8(repeating: ap[2])
        var w = load8(bp)
        c00 = c00.addingProduct(x0, w); c10 = c10.addingProduct(x1, w); c20 = c20.addingProduct(x2, w)
        w = load8(bp + 8)
        c01 = c01.addingProduct(x0, w); c11 = c11.addingProduct(x1, w); c21 = c21.addingProduct(x2, w)
        w = load8(bp + 16)
        c02 = c02.addingProduct(x0, w); c12 = c12.addingProduct(x1, w); c22 = c22.addingProduct(x2, w)
        w = load8(bp + 24)
        c03 = c03.addingProduct(x0, w); c13 = c13.addingProduct(x1, w); c23 = c23.addingProduct(x2, w)
        ap += lda
        bp += ldb
    }
    store8(c00, r0); store8(c01, r0 + 8); store8(c02, r0 + 16); store8(c03, r0 + 24)
    store8(c10, r1); store8(c11, r1 + 8); store8(c12, r1 + 16); store8(c13, r1 + 24)
    store8(c20, r2); store8(c21, r2 + 8); store8(c22, r2 + 16); store8(c23, r2 + 24)
}

/// Six rows of C (six columns of A), 16 columns.
@inline(never)
func outer6x16(_ rows: Int, _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
               _ c: UnsafeMutablePointer<Float>, _ ldc: Int) {
    var c00 = load8(c), c01 = load8(c + 8)
    var c10 = load8(c + ldc), c11 = load8(c + ldc + 8)
    var c20 = load8(c + 2 * ldc), c21 = load8(c + 2 * ldc + 8)
    var c30 = load8(c + 3 * ldc), c31 = load8(c + 3 * ldc + 8)
    var c40 = load8(c + 4 * ldc), c41 = load8(c + 4 * ldc + 8)
    var c50 = load8(c + 5 * ldc), c51 = load8(c + 5 * ldc + 8)
    var ap = a, bp = b
    for _ in 0..<rows {
        let w0 = load8(bp), w1 = load8(bp + 8)
        var x = V8(repeating: ap[0])
        c00 = c00.addingProduct(x, w0); c01 = c01.addingProduct(x, w1)
        x = V8(repeating: ap[1])
        c10 = c10.addingProduct(x, w0); c11 = c11.addingProduct(x, w1)
        x = V8(repeating: ap[2])
        c20 = c20.addingProduct(x, w0); c21 = c21.addingProduct(x, w1)
        x = V8(repeating: ap[3])
        c30 = c30.addingProduct(x, w0); c31 = c31.addingProduct(x, w1)
        x = V8(repeating: ap[4])
        c40 = c40.addingProduct(x, w0); c41 = c41.addingProduct(x, w1)
        x = V8(repeating: ap[5])
        c50 = c50.addingProduct(x, w0); c51 = c51.addingProduct(x, w1)
        ap += lda
        bp += ldb
    }
    store8(c00, c); store8(c01, c + 8)
    store8(c10, c + ldc); store8(c11, c + ldc + 8)
    store8(c20, c + 2 * ldc); store8(c21, c + 2 * ldc + 8)
    store8(c30, c + 3 * ldc); store8(c31, c + 3 * ldc + 8)
    store8(c40, c + 4 * ldc); store8(c41, c + 4 * ldc + 8)
    store8(c50, c + 5 * ldc); store8(c51, c + 5 * ldc + 8)
}

/// Three rows of C (three columns of A), 16 columns.
@inline(never)
func outer3x16(_ rows: Int, _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
               _ c: UnsafeMutablePointer<Float>, _ ldc: Int) {
    var c00 = load8(c), c01 = load8(c + 8)
    var c10 = load8(c + ldc), c11 = load8(c + ldc + 8)
    var c20 = load8(c + 2 * ldc), c21 = load8(c + 2 * ldc + 8)
    var ap = a, bp = b
    for _ in 0..<rows {
        let w0 = load8(bp), w1 = load8(bp + 8)
        var x = V8(repeating: ap[0])
        c00 = c00.addingProduct(x, w0); c01 = c01.addingProduct(x, w1)
        x = V8(repeating: ap[1])
        c10 = c10.addingProduct(x, w0); c11 = c11.addingProduct(x, w1)
        x = V8(repeating: ap[2])
        c20 = c20.addingProduct(x, w0); c21 = c21.addingProduct(x, w1)
        ap += lda
        bp += ldb
    }
    store8(c00, c); store8(c01, c + 8)
    store8(c10, c + ldc); store8(c11, c + ldc + 8)
    store8(c20, c + 2 * ldc); store8(c21, c + 2 * ldc + 8)
}

/// Twelve rows of C (twelve columns of A), 8 columns.
@inline(never)
func outer12x8(_ rows: Int, _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
               _ c: UnsafeMutablePointer<Float>, _ ldc: Int) {
    var acc = (load8(c), load8(c + ldc), load8(c + 2 * ldc), load8(c + 3 * ldc), load8(c + 4 * ldc),
               load8(c + 5 * ldc), load8(c + 6 * ldc), load8(c + 7 * ldc), load8(c + 8 * ldc), load8(c + 9 * ldc),
               load8(c + 10 * ldc), load8(c + 11 * ldc))
    var ap = a, bp = b
    for _ in 0..<rows {
        let w = load8(bp)
        acc.0 = acc.0.addingProduct(V8(repeating: ap[0]), w)
        acc.1 = acc.1.addingProduct(V8(repeating: ap[1]), w)
        acc.2 = acc.2.addingProduct(V8(repeating: ap[2]), w)
        acc.3 = acc.3.addingProduct(V8(repeating: ap[3]), w)
        acc.4 = acc.4.addingProduct(V8(repeating: ap[4]), w)
        acc.5 = acc.5.addingProduct(V8(repeating: ap[5]), w)
        acc.6 = acc.6.addingProduct(V8(repeating: ap[6]), w)
        acc.7 = acc.7.addingProduct(V8(repeating: ap[7]), w)
        acc.8 = acc.8.addingProduct(V8(repeating: ap[8]), w)
        acc.9 = acc.9.addingProduct(V8(repeating: ap[9]), w)
        acc.10 = acc.10.addingProduct(V8(repeating: ap[10]), w)
        acc.11 = acc.11.addingProduct(V8(repeating: ap[11]), w)
        ap += lda
        bp += ldb
    }
    store8(acc.0, c); store8(acc.1, c + ldc); store8(acc.2, c + 2 * ldc); store8(acc.3, c + 3 * ldc)
    store8(acc.4, c + 4 * ldc); store8(acc.5, c + 5 * ldc); store8(acc.6, c + 6 * ldc); store8(acc.7, c + 7 * ldc)
    store8(acc.8, c + 8 * ldc); store8(acc.9, c + 9 * ldc); store8(acc.10, c + 10 * ldc); store8(acc.11, c + 11 * ldc)
}

/// One row of C (one column of A), `width` (8, 16 or 32) columns.
@inline(never)
func outer1(_ rows: Int, _ width: Int, _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
            _ c: UnsafeMutablePointer<Float>) {
    var v0 = load8(c)
    var v1 = width > 8 ? load8(c + 8) : V8()
    var v2 = width > 16 ? load8(c + 16) : V8()
    var v3 = width > 16 ? load8(c + 24) : V8()
    var ap = a, bp = b
    for _ in 0..<rows {
        let x = V8(repeating: ap[0])
        v0 = v0.addingProduct(x, load8(bp))
        if width > 8 { v1 = v1.addingProduct(x, load8(bp + 8)) }
        if width > 16 {
            v2 = v2.addingProduct(x, load8(bp + 16))
            v3 = v3.addingProduct(x, load8(bp + 24))
        }
        ap += lda
        bp += ldb
    }
    store8(v0, c)
    if width > 8 { store8(v1, c + 8) }
    if width > 16 {
        store8(v2, c + 16)
        store8(v3, c + 24)
    }
}

/// v with each lane held to [low, high], in two vector selects (SIMD's own
/// `clamped` is not specialised here and goes lane by lane).
@inline(__always)
func clamp8(_ v: V8, _ low: V8, _ high: V8) -> V8 {
    v.replacing(with: low, where: v .< low).replacing(with: high, where: v .> high)
}
