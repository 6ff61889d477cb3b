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
    /// the ReLU or ReLU6 after it, in one pass over C; with `accumulate`,
    /// C's old values are added before the clamp (a residual connection).
    ///
    /// Complexity: O(m·n·k).
    public static func multiply(m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int,
                                b: UnsafePointer<Float>, ldb: Int, c: UnsafeMutablePointer<Float>, ldc: Int,
                                bias: UnsafePointer<Float>?, low: Float, high: Float, accumulate: Bool = false) {
        var e = Epilogue(accumulate: accumulate, bias: bias)
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

    /// A convolution of one image as a product with its windows read in
    /// place: out[y][x] = clamp(bias + Σ input[s·y + i][s·x + j][·] · weights[i][j][·])
    /// to [low, high] for y < outH, x < outW and stride s, with the input
    /// already padded (`paddedWidth` pixels a row, `channels` values a pixel),
    /// weights [kernelH · kernelW · channels, n] and out [outH · outW, n]; `n`
    /// a multiple of 8.
    ///
    /// Complexity: O(outH · outW · kernelH · kernelW · channels · n).
    public static func convolve(_ input: UnsafePointer<Float>, paddedWidth: Int, channels: Int, kernelH: Int,
                                kernelW: Int, outH: Int, outW: Int, weights: UnsafePointer<Float>, n: Int,
                                bias: UnsafePointer<Float>?, stride: Int = 1, low: Float = -.infinity, high: Float = .infinity,
                                into out: UnsafeMutablePointer<Float>) {
        let rowStride = paddedWidth * channels
        var e = Epilogue(segments: kernelH, segmentStride: rowStride, accumulate: false, bias: bias)
        if low > -.infinity || high < .infinity { (e.clamps, e.low, e.high) = (true, low, high) }
        for y in 0..<outH {
            multiply(m: outW, n: n, k: kernelW * channels, a: input + y * stride * rowStride, lda: stride * channels,
                     b: weights, ldb: n, c: out + y * outW * n, ldc: n, e)
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

// MARK: Depthwise convolution

/// The depthwise convolution of inference (one k×k filter per channel) over
/// one NHWC image, with its bias and an optional clamp (ReLU, ReLU6) applied
/// before the one store of each output value.
///
/// It goes output row by output row, in groups of four output pixels, 16
/// (then 8) channels at a time: the four pixels' sums stay in registers for
/// the whole window, each tap's weights are loaded once for the four, and
/// the input is read along its rows as it lies in memory. Pixels whose window
/// crosses the left or right border, and channels beyond a multiple of 8,
/// take a plain path with the window cut to the image. Compiled for AVX2 and
/// FMA like the rest of this module, and in this file because a debug build
/// optimises file by file: `load8`, `store8` and `clamp8` are inlined only
/// into code of the same file (in a file of its own this kernel called them,
/// and ran slower than the plain kernel it replaces).
public enum DepthwiseKernels {
    /// out[oy][ox][ch] = clamp(bias[ch] + Σ input[oy·s − top + i][ox·s − left + j][ch] · w[i][j][ch])
    /// over the taps inside the image, for an image of `height` × `width` ×
    /// `channels` and weights [kernelH, kernelW, channels]; `low`/`high`
    /// clamp the result (−∞/+∞ for none).
    ///
    /// Complexity: O(outH · outW · kernelH · kernelW · channels).
    public static func forward(_ image: UnsafePointer<Float>, height: Int, width: Int, channels c: Int,
                               kernelH: Int, kernelW: Int, stride: Int, padTop: Int, padLeft: Int,
                               outH: Int, outW: Int, weights w: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
                               low: Float, high: Float, into out: UnsafeMutablePointer<Float>) {
        let shape = DepthwiseShape(height: height, width: width, channels: c, kernelH: kernelH, kernelW: kernelW,
                                   stride: stride, padTop: padTop, padLeft: padLeft, outW: outW,
                                   low: V8(repeating: low), high: V8(repeating: high))
        // Output columns whose whole window lies inside the image.
        let first = min(outW, (padLeft + stride - 1) / stride)
        let lastStart = width - kernelW + padLeft
        let end = lastStart < 0 ? first : max(first, min(outW, lastStart / stride + 1))
        let vectorChannels = c / 8 * 8
        for oy in 0..<outH {
            let y0 = oy * stride - padTop
            let rows = max(0, -y0)..<max(max(0, -y0), min(kernelH, height - y0))
            let dst = out + oy * outW * c
            // Groups of four pixels inside the image, all their channels in turn
            // (the input is read along its rows, as it lies in memory).
            var ox = first
            // At stride 1 with a 3- or 5-wide window: groups of eight pixels, 8 channels at a
            // time, each input column loaded once (what they leave goes on in fours).
            if stride == 1, kernelW == 3 || kernelW == 5, vectorChannels > 0 {
                while ox + 8 <= end {
                    for ch in Swift.stride(from: 0, to: vectorChannels, by: 8) {
                        if kernelW == 3 {
                            shape.eight8Width3(image, y0: y0, rows: rows, ox: ox, ch: ch, w, bias, dst)
                        } else {
                            shape.eight8Width5(image, y0: y0, rows: rows, ox: ox, ch: ch, w, bias, dst)
                        }
                    }
                    ox += 8
                }
                let left = end - ox
                if left == 7 || left == 6 {
                    for ch in Swift.stride(from: 0, to: vectorChannels, by: 8) {
                        switch (left, kernelW) {
                        case (7, 3): shape.seven8Width3(image, y0: y0, rows: rows, ox: ox, ch: ch, w, bias, dst)
                        case (7, _): shape.seven8Width5(image, y0: y0, rows: rows, ox: ox, ch: ch, w, bias, dst)
                        case (_, 3): shape.six8Width3(image, y0: y0, rows: rows, ox: ox, ch: ch, w, bias, dst)
                        default: shape.six8Width5(image, y0: y0, rows: rows, ox: ox, ch: ch, w, bias, dst)
                        }
                    }
                    ox = end
                }
            }
            while ox + 4 <= end {
                var ch = 0
                while ch + 16 <= vectorChannels {
                    shape.four16(image, y0: y0, rows: rows, ox: ox, ch: ch, w, bias, dst)
                    ch += 16
                }
                if ch < vectorChannels { shape.four8(image, y0: y0, rows: rows, ox: ox, ch: ch, w, bias, dst) }
                // What groups of four leave is done as the last four inside
                // (some pixels twice, with the same values).
                var next = ox + 4
                if next < end, next + 4 > end { next = end - 4 }
                ox = next
            }
            // The border columns (and rows narrower than four pixels), one pixel at a time.
            for x in 0..<first {
                for ch in Swift.stride(from: 0, to: vectorChannels, by: 8) { shape.one8(image, y0: y0, rows: rows, ox: x, ch: ch, w, bias, dst) }
            }
            for x in ox..<outW {
                for ch in Swift.stride(from: 0, to: vectorChannels, by: 8) { shape.one8(image, y0: y0, rows: rows, ox: x, ch: ch, w, bias, dst) }
            }
            if vectorChannels < c {
                for x in 0..<outW {
                    for k in vectorChannels..<c { shape.scalar(image, y0: y0, rows: rows, ox: x, ch: k, w, bias, dst, low, high) }
                }
            }
        }
    }
}

/// What every pixel of one depthwise image shares.
struct DepthwiseShape {
    let height, width, channels, kernelH, kernelW, stride, padTop, padLeft, outW: Int
    let low, high: V8

    /// The columns of the window of output column `ox` that lie inside the image.
    @inline(__always)
    func columns(_ x0: Int) -> Range<Int> {
        let j0 = max(0, -x0)
        return j0..<max(j0, min(kernelW, width - x0))
    }

    /// Four output pixels from `ox` on (windows inside the image), channels `ch` to `ch + 16`.
    @inline(__always)
    func four16(_ image: UnsafePointer<Float>, y0: Int, rows: Range<Int>, ox: Int, ch: Int, _ w: UnsafePointer<Float>,
                _ bias: UnsafePointer<Float>?, _ dst: UnsafeMutablePointer<Float>) {
        let c = channels, step = stride * c
        let b0 = bias.map { load8($0 + ch) } ?? V8(), b1 = bias.map { load8($0 + ch + 8) } ?? V8()
        var a00 = b0, a01 = b1, a10 = b0, a11 = b1, a20 = b0, a21 = b1, a30 = b0, a31 = b1
        for i in rows {
            var s = image + ((y0 + i) * width + ox * stride - padLeft) * c + ch
            var f = w + i * kernelW * c + ch
            for _ in 0..<kernelW {
                let f0 = load8(f), f1 = load8(f + 8)
                a00 = a00.addingProduct(load8(s), f0); a01 = a01.addingProduct(load8(s + 8), f1)
                a10 = a10.addingProduct(load8(s + step), f0); a11 = a11.addingProduct(load8(s + step + 8), f1)
                a20 = a20.addingProduct(load8(s + 2 * step), f0); a21 = a21.addingProduct(load8(s + 2 * step + 8), f1)
                a30 = a30.addingProduct(load8(s + 3 * step), f0); a31 = a31.addingProduct(load8(s + 3 * step + 8), f1)
                s += c
                f += c
            }
        }
        let p = dst + ox * c + ch
        store8(clamp8(a00, low, high), p); store8(clamp8(a01, low, high), p + 8)
        store8(clamp8(a10, low, high), p + c); store8(clamp8(a11, low, high), p + c + 8)
        store8(clamp8(a20, low, high), p + 2 * c); store8(clamp8(a21, low, high), p + 2 * c + 8)
        store8(clamp8(a30, low, high), p + 3 * c); store8(clamp8(a31, low, high), p + 3 * c + 8)
    }

    /// Eight output pixels from `ox` on at stride 1, a 3-wide window inside the
    /// image, channels `ch` to `ch + 8`: each input column of a row is loaded
    /// once and added to every pixel whose window holds it (`four16` loads it
    /// once per pixel and tap). Written out, so that the eight sums and the
    /// row's 3 weights stay in registers: one generic version over value
    /// generics and `InlineArray` kept its loops and branches and made
    /// inference 5–8 % slower (181–189 against 190–204 images/s), so the
    /// eight-, seven- and six-pixel kernels below repeat this shape on purpose.
    @inline(__always)
    func eight8Width3(_ image: UnsafePointer<Float>, y0: Int, rows: Range<Int>, ox: Int, ch: Int,
                     _ w: UnsafePointer<Float>, _ bias: UnsafePointer<Float>?, _ dst: UnsafeMutablePointer<Float>) {
        let c = channels
        let b = bias.map { load8($0 + ch) } ?? V8()
        var a0 = b, a1 = b, a2 = b, a3 = b, a4 = b, a5 = b, a6 = b, a7 = b
        for i in rows {
            let s = image + ((y0 + i) * width + ox - padLeft) * c + ch
            let f = w + i * 3 * c + ch
            let f0 = load8(f), f1 = load8(f + c), f2 = load8(f + 2 * c)
            var x = load8(s)
            a0 = a0.addingProduct(x, f0)
            x = load8(s + c)
            a1 = a1.addingProduct(x, f0); a0 = a0.addingProduct(x, f1)
            x = load8(s + 2 * c)
            a2 = a2.addingProduct(x, f0); a1 = a1.addingProduct(x, f1); a0 = a0.addingProduct(x, f2)
            x = load8(s + 3 * c)
            a3 = a3.addingProduct(x, f0); a2 = a2.addingProduct(x, f1); a1 = a1.addingProduct(x, f2)
            x = load8(s + 4 * c)
            a4 = a4.addingProduct(x, f0); a3 = a3.addingProduct(x, f1); a2 = a2.addingProduct(x, f2)
            x = load8(s + 5 * c)
            a5 = a5.addingProduct(x, f0); a4 = a4.addingProduct(x, f1); a3 = a3.addingProduct(x, f2)
            x = load8(s + 6 * c)
            a6 = a6.addingProduct(x, f0); a5 = a5.addingProduct(x, f1); a4 = a4.addingProduct(x, f2)
            x = load8(s + 7 * c)
            a7 = a7.addingProduct(x, f0); a6 = a6.addingProduct(x, f1); a5 = a5.addingProduct(x, f2)
            x = load8(s + 8 * c)
            a7 = a7.addingProduct(x, f1); a6 = a6.addingProduct(x, f2)
            x = load8(s + 9 * c)
            a7 = a7.addingProduct(x, f2)
        }
        let d = dst + ox * c + ch
        store8(clamp8(a0, low, high), d)
        store8(clamp8(a1, low, high), d + c)
        store8(clamp8(a2, low, high), d + 2 * c)
        store8(clamp8(a3, low, high), d + 3 * c)
        store8(clamp8(a4, low, high), d + 4 * c)
        store8(clamp8(a5, low, high), d + 5 * c)
        store8(clamp8(a6, low, high), d + 6 * c)
        store8(clamp8(a7, low, high), d + 7 * c)
    }

    /// Eight output pixels from `ox` on at stride 1, a 5-wide window inside the
    /// image, channels `ch` to `ch + 8`: each input column of a row is loaded
    /// once and added to every pixel whose window holds it (`four16` loads it
    /// once per pixel and tap). Written out, so that the eight sums and the
    /// row's 5 weights stay in registers.
    @inline(__always)
    func eight8Width5(_ image: UnsafePointer<Float>, y0: Int, rows: Range<Int>, ox: Int, ch: Int,
                     _ w: UnsafePointer<Float>, _ bias: UnsafePointer<Float>?, _ dst: UnsafeMutablePointer<Float>) {
        let c = channels
        let b = bias.map { load8($0 + ch) } ?? V8()
        var a0 = b, a1 = b, a2 = b, a3 = b, a4 = b, a5 = b, a6 = b, a7 = b
        for i in rows {
            let s = image + ((y0 + i) * width + ox - padLeft) * c + ch
            let f = w + i * 5 * c + ch
            let f0 = load8(f), f1 = load8(f + c), f2 = load8(f + 2 * c), f3 = load8(f + 3 * c), f4 = load8(f + 4 * c)
            var x = load8(s)
            a0 = a0.addingProduct(x, f0)
            x = load8(s + c)
            a1 = a1.addingProduct(x, f0); a0 = a0.addingProduct(x, f1)
            x = load8(s + 2 * c)
            a2 = a2.addingProduct(x, f0); a1 = a1.addingProduct(x, f1); a0 = a0.addingProduct(x, f2)
            x = load8(s + 3 * c)
            a3 = a3.addingProduct(x, f0); a2 = a2.addingProduct(x, f1); a1 = a1.addingProduct(x, f2); a0 = a0.addingProduct(x, f3)
            x = load8(s + 4 * c)
            a4 = a4.addingProduct(x, f0); a3 = a3.addingProduct(x, f1); a2 = a2.addingProduct(x, f2); a1 = a1.addingProduct(x, f3); a0 = a0.addingProduct(x, f4)
            x = load8(s + 5 * c)
            a5 = a5.addingProduct(x, f0); a4 = a4.addingProduct(x, f1); a3 = a3.addingProduct(x, f2); a2 = a2.addingProduct(x, f3); a1 = a1.addingProduct(x, f4)
            x = load8(s + 6 * c)
            a6 = a6.addingProduct(x, f0); a5 = a5.addingProduct(x, f1); a4 = a4.addingProduct(x, f2); a3 = a3.addingProduct(x, f3); a2 = a2.addingProduct(x, f4)
            x = load8(s + 7 * c)
            a7 = a7.addingProduct(x, f0); a6 = a6.addingProduct(x, f1); a5 = a5.addingProduct(x, f2); a4 = a4.addingProduct(x, f3); a3 = a3.addingProduct(x, f4)
            x = load8(s + 8 * c)
            a7 = a7.addingProduct(x, f1); a6 = a6.addingProduct(x, f2); a5 = a5.addingProduct(x, f3); a4 = a4.addingProduct(x, f4)
            x = load8(s + 9 * c)
            a7 = a7.addingProduct(x, f2); a6 = a6.addingProduct(x, f3); a5 = a5.addingProduct(x, f4)
            x = load8(s + 10 * c)
            a7 = a7.addingProduct(x, f3); a6 = a6.addingProduct(x, f4)
            x = load8(s + 11 * c)
            a7 = a7.addingProduct(x, f4)
        }
        let d = dst + ox * c + ch
        store8(clamp8(a0, low, high), d)
        store8(clamp8(a1, low, high), d + c)
        store8(clamp8(a2, low, high), d + 2 * c)
        store8(clamp8(a3, low, high), d + 3 * c)
        store8(clamp8(a4, low, high), d + 4 * c)
        store8(clamp8(a5, low, high), d + 5 * c)
        store8(clamp8(a6, low, high), d + 6 * c)
        store8(clamp8(a7, low, high), d + 7 * c)
    }

    /// `eight8Width3` and `eight8Width5` for the seven or six pixels a row of 7
    /// or 14 leaves (the last blocks' 7×7 images, the 14×14 ones).
    @inline(__always)
    func seven8Width3(_ image: UnsafePointer<Float>, y0: Int, rows: Range<Int>, ox: Int, ch: Int,
                     _ w: UnsafePointer<Float>, _ bias: UnsafePointer<Float>?, _ dst: UnsafeMutablePointer<Float>) {
        let c = channels
        let b = bias.map { load8($0 + ch) } ?? V8()
        var a0 = b, a1 = b, a2 = b, a3 = b, a4 = b, a5 = b, a6 = b
        for i in rows {
            let s = image + ((y0 + i) * width + ox - padLeft) * c + ch
            let f = w + i * 3 * c + ch
            let f0 = load8(f), f1 = load8(f + c), f2 = load8(f + 2 * c)
            var x = load8(s)
            a0 = a0.addingProduct(x, f0)
            x = load8(s + c)
            a1 = a1.addingProduct(x, f0); a0 = a0.addingProduct(x, f1)
            x = load8(s + 2 * c)
            a2 = a2.addingProduct(x, f0); a1 = a1.addingProduct(x, f1); a0 = a0.addingProduct(x, f2)
            x = load8(s + 3 * c)
            a3 = a3.addingProduct(x, f0); a2 = a2.addingProduct(x, f1); a1 = a1.addingProduct(x, f2)
            x = load8(s + 4 * c)
            a4 = a4.addingProduct(x, f0); a3 = a3.addingProduct(x, f1); a2 = a2.addingProduct(x, f2)
            x = load8(s + 5 * c)
            a5 = a5.addingProduct(x, f0); a4 = a4.addingProduct(x, f1); a3 = a3.addingProduct(x, f2)
            x = load8(s + 6 * c)
            a6 = a6.addingProduct(x, f0); a5 = a5.addingProduct(x, f1); a4 = a4.addingProduct(x, f2)
            x = load8(s + 7 * c)
            a6 = a6.addingProduct(x, f1); a5 = a5.addingProduct(x, f2)
            x = load8(s + 8 * c)
            a6 = a6.addingProduct(x, f2)
        }
        let d = dst + ox * c + ch
        store8(clamp8(a0, low, high), d)
        store8(clamp8(a1, low, high), d + c)
        store8(clamp8(a2, low, high), d + 2 * c)
        store8(clamp8(a3, low, high), d + 3 * c)
        store8(clamp8(a4, low, high), d + 4 * c)
        store8(clamp8(a5, low, high), d + 5 * c)
        store8(clamp8(a6, low, high), d + 6 * c)
    }

    @inline(__always)
    func seven8Width5(_ image: UnsafePointer<Float>, y0: Int, rows: Range<Int>, ox: Int, ch: Int,
                     _ w: UnsafePointer<Float>, _ bias: UnsafePointer<Float>?, _ dst: UnsafeMutablePointer<Float>) {
        let c = channels
        let b = bias.map { load8($0 + ch) } ?? V8()
        var a0 = b, a1 = b, a2 = b, a3 = b, a4 = b, a5 = b, a6 = b
        for i in rows {
            let s = image + ((y0 + i) * width + ox - padLeft) * c + ch
            let f = w + i * 5 * c + ch
            let f0 = load8(f), f1 = load8(f + c), f2 = load8(f + 2 * c), f3 = load8(f + 3 * c), f4 = load8(f + 4 * c)
            var x = load8(s)
            a0 = a0.addingProduct(x, f0)
            x = load8(s + c)
            a1 = a1.addingProduct(x, f0); a0 = a0.addingProduct(x, f1)
            x = load8(s + 2 * c)
            a2 = a2.addingProduct(x, f0); a1 = a1.addingProduct(x, f1); a0 = a0.addingProduct(x, f2)
            x = load8(s + 3 * c)
            a3 = a3.addingProduct(x, f0); a2 = a2.addingProduct(x, f1); a1 = a1.addingProduct(x, f2); a0 = a0.addingProduct(x, f3)
            x = load8(s + 4 * c)
            a4 = a4.addingProduct(x, f0); a3 = a3.addingProduct(x, f1); a2 = a2.addingProduct(x, f2); a1 = a1.addingProduct(x, f3); a0 = a0.addingProduct(x, f4)
            x = load8(s + 5 * c)
            a5 = a5.addingProduct(x, f0); a4 = a4.addingProduct(x, f1); a3 = a3.addingProduct(x, f2); a2 = a2.addingProduct(x, f3); a1 = a1.addingProduct(x, f4)
            x = load8(s + 6 * c)
            a6 = a6.addingProduct(x, f0); a5 = a5.addingProduct(x, f1); a4 = a4.addingProduct(x, f2); a3 = a3.addingProduct(x, f3); a2 = a2.addingProduct(x, f4)
            x = load8(s + 7 * c)
            a6 = a6.addingProduct(x, f1); a5 = a5.addingProduct(x, f2); a4 = a4.addingProduct(x, f3); a3 = a3.addingProduct(x, f4)
            x = load8(s + 8 * c)
            a6 = a6.addingProduct(x, f2); a5 = a5.addingProduct(x, f3); a4 = a4.addingProduct(x, f4)
            x = load8(s + 9 * c)
            a6 = a6.addingProduct(x, f3); a5 = a5.addingProduct(x, f4)
            x = load8(s + 10 * c)
            a6 = a6.addingProduct(x, f4)
        }
        let d = dst + ox * c + ch
        store8(clamp8(a0, low, high), d)
        store8(clamp8(a1, low, high), d + c)
        store8(clamp8(a2, low, high), d + 2 * c)
        store8(clamp8(a3, low, high), d + 3 * c)
        store8(clamp8(a4, low, high), d + 4 * c)
        store8(clamp8(a5, low, high), d + 5 * c)
        store8(clamp8(a6, low, high), d + 6 * c)
    }

    @inline(__always)
    func six8Width3(_ image: UnsafePointer<Float>, y0: Int, rows: Range<Int>, ox: Int, ch: Int,
                     _ w: UnsafePointer<Float>, _ bias: UnsafePointer<Float>?, _ dst: UnsafeMutablePointer<Float>) {
        let c = channels
        let b = bias.map { load8($0 + ch) } ?? V8()
        var a0 = b, a1 = b, a2 = b, a3 = b, a4 = b, a5 = b
        for i in rows {
            let s = image + ((y0 + i) * width + ox - padLeft) * c + ch
            let f = w + i * 3 * c + ch
            let f0 = load8(f), f1 = load8(f + c), f2 = load8(f + 2 * c)
            var x = load8(s)
            a0 = a0.addingProduct(x, f0)
            x = load8(s + c)
            a1 = a1.addingProduct(x, f0); a0 = a0.addingProduct(x, f1)
            x = load8(s + 2 * c)
            a2 = a2.addingProduct(x, f0); a1 = a1.addingProduct(x, f1); a0 = a0.addingProduct(x, f2)
            x = load8(s + 3 * c)
            a3 = a3.addingProduct(x, f0); a2 = a2.addingProduct(x, f1); a1 = a1.addingProduct(x, f2)
            x = load8(s + 4 * c)
            a4 = a4.addingProduct(x, f0); a3 = a3.addingProduct(x, f1); a2 = a2.addingProduct(x, f2)
            x = load8(s + 5 * c)
            a5 = a5.addingProduct(x, f0); a4 = a4.addingProduct(x, f1); a3 = a3.addingProduct(x, f2)
            x = load8(s + 6 * c)
            a5 = a5.addingProduct(x, f1); a4 = a4.addingProduct(x, f2)
            x = load8(s + 7 * c)
            a5 = a5.addingProduct(x, f2)
        }
        let d = dst + ox * c + ch
        store8(clamp8(a0, low, high), d)
        store8(clamp8(a1, low, high), d + c)
        store8(clamp8(a2, low, high), d + 2 * c)
        store8(clamp8(a3, low, high), d + 3 * c)
        store8(clamp8(a4, low, high), d + 4 * c)
        store8(clamp8(a5, low, high), d + 5 * c)
    }

    @inline(__always)
    func six8Width5(_ image: UnsafePointer<Float>, y0: Int, rows: Range<Int>, ox: Int, ch: Int,
                     _ w: UnsafePointer<Float>, _ bias: UnsafePointer<Float>?, _ dst: UnsafeMutablePointer<Float>) {
        let c = channels
        let b = bias.map { load8($0 + ch) } ?? V8()
        var a0 = b, a1 = b, a2 = b, a3 = b, a4 = b, a5 = b
        for i in rows {
            let s = image + ((y0 + i) * width + ox - padLeft) * c + ch
            let f = w + i * 5 * c + ch
            let f0 = load8(f), f1 = load8(f + c), f2 = load8(f + 2 * c), f3 = load8(f + 3 * c), f4 = load8(f + 4 * c)
            var x = load8(s)
            a0 = a0.addingProduct(x, f0)
            x = load8(s + c)
            a1 = a1.addingProduct(x, f0); a0 = a0.addingProduct(x, f1)
            x = load8(s + 2 * c)
            a2 = a2.addingProduct(x, f0); a1 = a1.addingProduct(x, f1); a0 = a0.addingProduct(x, f2)
            x = load8(s + 3 * c)
            a3 = a3.addingProduct(x, f0); a2 = a2.addingProduct(x, f1); a1 = a1.addingProduct(x, f2); a0 = a0.addingProduct(x, f3)
            x = load8(s + 4 * c)
            a4 = a4.addingProduct(x, f0); a3 = a3.addingProduct(x, f1); a2 = a2.addingProduct(x, f2); a1 = a1.addingProduct(x, f3); a0 = a0.addingProduct(x, f4)
            x = load8(s + 5 * c)
            a5 = a5.addingProduct(x, f0); a4 = a4.addingProduct(x, f1); a3 = a3.addingProduct(x, f2); a2 = a2.addingProduct(x, f3); a1 = a1.addingProduct(x, f4)
            x = load8(s + 6 * c)
            a5 = a5.addingProduct(x, f1); a4 = a4.addingProduct(x, f2); a3 = a3.addingProduct(x, f3); a2 = a2.addingProduct(x, f4)
            x = load8(s + 7 * c)
            a5 = a5.addingProduct(x, f2); a4 = a4.addingProduct(x, f3); a3 = a3.addingProduct(x, f4)
            x = load8(s + 8 * c)
            a5 = a5.addingProduct(x, f3); a4 = a4.addingProduct(x, f4)
            x = load8(s + 9 * c)
            a5 = a5.addingProduct(x, f4)
        }
        let d = dst + ox * c + ch
        store8(clamp8(a0, low, high), d)
        store8(clamp8(a1, low, high), d + c)
        store8(clamp8(a2, low, high), d + 2 * c)
        store8(clamp8(a3, low, high), d + 3 * c)
        store8(clamp8(a4, low, high), d + 4 * c)
        store8(clamp8(a5, low, high), d + 5 * c)
    }

    /// Four output pixels from `ox` on (windows inside the image), channels `ch` to `ch + 8`.
    @inline(__always)
    func four8(_ image: UnsafePointer<Float>, y0: Int, rows: Range<Int>, ox: Int, ch: Int, _ w: UnsafePointer<Float>,
               _ bias: UnsafePointer<Float>?, _ dst: UnsafeMutablePointer<Float>) {
        let c = channels, step = stride * c
        let b = bias.map { load8($0 + ch) } ?? V8()
        var a0 = b, a1 = b, a2 = b, a3 = b
        for i in rows {
            var s = image + ((y0 + i) * width + ox * stride - padLeft) * c + ch
            var f = w + i * kernelW * c + ch
            for _ in 0..<kernelW {
                let f0 = load8(f)
                a0 = a0.addingProduct(load8(s), f0); a1 = a1.addingProduct(load8(s + step), f0)
                a2 = a2.addingProduct(load8(s + 2 * step), f0); a3 = a3.addingProduct(load8(s + 3 * step), f0)
                s += c
                f += c
            }
        }
        let p = dst + ox * c + ch
        store8(clamp8(a0, low, high), p); store8(clamp8(a1, low, high), p + c)
        store8(clamp8(a2, low, high), p + 2 * c); store8(clamp8(a3, low, high), p + 3 * c)
    }

    /// One output pixel, channels `ch` to `ch + 8`, its window cut to the image.
    @inline(__always)
    func one8(_ image: UnsafePointer<Float>, y0: Int, rows: Range<Int>, ox: Int, ch: Int, _ w: UnsafePointer<Float>,
              _ bias: UnsafePointer<Float>?, _ dst: UnsafeMutablePointer<Float>) {
        let c = channels, x0 = ox * stride - padLeft
        var a = bias.map { load8($0 + ch) } ?? V8()
        for i in rows {
            for j in columns(x0) {
                a = a.addingProduct(load8(image + ((y0 + i) * width + x0 + j) * c + ch), load8(w + (i * kernelW + j) * c + ch))
            }
        }
        store8(clamp8(a, low, high), dst + ox * c + ch)
    }

    /// One output value (a channel beyond the last multiple of 8), its window cut to the image.
    func scalar(_ image: UnsafePointer<Float>, y0: Int, rows: Range<Int>, ox: Int, ch: Int, _ w: UnsafePointer<Float>,
                _ bias: UnsafePointer<Float>?, _ dst: UnsafeMutablePointer<Float>, _ low: Float, _ high: Float) {
        let c = channels, x0 = ox * stride - padLeft
        var a = bias?[ch] ?? 0
        for i in rows {
            for j in columns(x0) { a += image[((y0 + i) * width + x0 + j) * c + ch] * w[(i * kernelW + j) * c + ch] }
        }
        dst[ox * c + ch] = min(max(a, low), high)
    }
}
