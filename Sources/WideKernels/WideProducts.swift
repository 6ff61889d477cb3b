/// The products of 1×1 convolutions (and Winograd's per-position products)
/// on AVX-512: a block of six rows by 32 columns lives in twelve of the 32
/// 512-bit registers, so each step over the inner dimension loads two
/// vectors of B for twelve multiply-adds where the AVX2 kernels
/// (`EngineKernels`) load four for twelve. The same arithmetic, the same
/// order of additions per element.
///
/// On x86-64 this module is compiled for AVX-512 (Skylake-server's set:
/// F, CD, BW, DQ, VL; see Package.swift), so callers must first check that
/// the processor has it (`TrainingEngine` does); elsewhere it is compiled
/// for the baseline and never called. Nothing here runs on its own: no
/// globals, no initialisers.
///
/// All matrices are row-major Float32.
public enum WideProducts {
    /// C = clamp(A · B + bias) to [low, high] per element (C's old values
    /// added first with `accumulate`), for A m×k (row stride `lda`), B k×n
    /// (`ldb`) and C m×n (`ldc`), with `n` a multiple of 16, or of 8 and at
    /// least 24 (the last 24 columns then go in one block).
    ///
    /// Complexity: O(m·n·k).
    public static func multiply(m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int,
                                b: UnsafePointer<Float>, ldb: Int, c: UnsafeMutablePointer<Float>, ldc: Int,
                                bias: UnsafePointer<Float>?, low: Float, high: Float, accumulate: Bool) {
        var e = Finish(accumulate: accumulate, bias: bias)
        if low > -.infinity || high < .infinity { (e.clamps, e.low, e.high) = (true, W16(repeating: low), W16(repeating: high)) }
        let sixteens = n % 16 == 0 ? n : n - 24
        var col = 0
        while col < n {
            let f = e.shifted(by: col), bc = b + col, cc = c + col
            let width = col + 32 <= sixteens ? 32 : (col + 16 <= sixteens ? 16 : 24)
            switch width {
            case 32:
                rows(m, by: 6, { r in block6x32(k, a + r * lda, lda, bc, ldb, cc + r * ldc, ldc, f) },
                     then: { r in row1x32(k, a + r * lda, bc, ldb, cc + r * ldc, f) })
            case 16:
                rows(m, by: 8, { r in block8x16(k, a + r * lda, lda, bc, ldb, cc + r * ldc, ldc, f) },
                     then: { r in row1x16(k, a + r * lda, bc, ldb, cc + r * ldc, f) })
            default:
                rows(m, by: 8, { r in block8x24(k, a + r * lda, lda, bc, ldb, cc + r * ldc, ldc, f) },
                     then: { r in row1x24(k, a + r * lda, bc, ldb, cc + r * ldc, f) })
            }
            col += width
        }
    }

    /// C = Aᵀ · B (or C += Aᵀ · B when `accumulate`), for A r×m (row stride
    /// `lda`), B r×n (`ldb`) and C m×n (`ldc`), with `n` a multiple of 16:
    /// the weight gradient of a convolution, summed over the r window rows in
    /// order (the same sums as the AVX2 kernels).
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
            let count = min(slice, r - start)
            let aSlice = a + start * lda, bSlice = b + start * ldb
            var col = 0
            while col < n {
                let bc = bSlice + col, cc = c + col
                if n - col >= 32 {
                    // Blocks of six rows of C, then one of three, then single rows.
                    var i = 0
                    while i + 6 <= m {
                        outer6x32(count, aSlice + i, lda, bc, ldb, cc + i * ldc, ldc)
                        i += 6
                    }
                    if i + 3 <= m {
                        outer3x32(count, aSlice + i, lda, bc, ldb, cc + i * ldc, ldc)
                        i += 3
                    }
                    for j in i..<m { outer1(count, 32, aSlice + j, lda, bc, ldb, cc + j * ldc) }
                    col += 32
                } else {
                    rows(m, by: 8, { outer8x16(count, aSlice + $0, lda, bc, ldb, cc + $0 * ldc, ldc) },
                         then: { outer1(count, 16, aSlice + $0, lda, bc, ldb, cc + $0 * ldc) })
                    col += 16
                }
            }
            start += count
        }
    }
}

/// `block(r)` for r = 0, size, 2·size … while a whole block of `size` rows
/// fits in `m`, then `row(r)` for each row left.
@inline(__always)
private func rows(_ m: Int, by size: Int, _ block: (Int) -> Void, then row: (Int) -> Void) {
    var r = 0
    while r + size <= m {
        block(r)
        r += size
    }
    while r < m {
        row(r)
        r += 1
    }
}

typealias W16 = SIMD16<Float>
typealias W8 = SIMD8<Float>

@inline(__always)
private func load(_ p: UnsafePointer<Float>) -> W16 { UnsafeRawPointer(p).loadUnaligned(as: W16.self) }

@inline(__always)
private func load(_ p: UnsafeMutablePointer<Float>) -> W16 { UnsafeRawPointer(p).loadUnaligned(as: W16.self) }

@inline(__always)
private func load8(_ p: UnsafePointer<Float>) -> W8 { UnsafeRawPointer(p).loadUnaligned(as: W8.self) }

@inline(__always)
private func store(_ v: W16, _ p: UnsafeMutablePointer<Float>) { UnsafeMutableRawPointer(p).storeBytes(of: v, as: W16.self) }

/// What happens to each accumulator as it is stored.
struct Finish {
    var accumulate: Bool
    /// The bias of the block's first column, when there is one.
    var bias: UnsafePointer<Float>?
    var clamps = false
    var low = W16(repeating: -.infinity)
    var high = W16(repeating: .infinity)

    init(accumulate: Bool, bias: UnsafePointer<Float>?) { (self.accumulate, self.bias) = (accumulate, bias) }

    @inline(__always)
    func callAsFunction(_ v: W16, _ p: UnsafeMutablePointer<Float>, _ offset: Int) {
        var out = v
        if accumulate { out += load(p) }
        if let bias { out += load(bias + offset) }
        if clamps { out = out.replacing(with: low, where: out .< low).replacing(with: high, where: out .> high) }
        store(out, p)
    }

    /// The same for an accumulator of eight columns.
    @inline(__always)
    func eight(_ v: W8, _ p: UnsafeMutablePointer<Float>, _ offset: Int) {
        var out = v
        if accumulate { out += UnsafeRawPointer(p).loadUnaligned(as: W8.self) }
        if let bias { out += UnsafeRawPointer(bias + offset).loadUnaligned(as: W8.self) }
        if clamps {
            let (lo, hi) = (low.lowHalf, high.lowHalf)
            out = out.replacing(with: lo, where: out .< lo).replacing(with: hi, where: out .> hi)
        }
        UnsafeMutableRawPointer(p).storeBytes(of: out, as: W8.self)
    }

    func shifted(by columns: Int) -> Finish {
        var f = self
        f.bias = bias.map { $0 + columns }
        return f
    }
}

/// Six rows of C, 32 columns: 12 accumulators.
@inline(never)
private func block6x32(_ k: Int, _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
                       _ c: UnsafeMutablePointer<Float>, _ ldc: Int, _ f: Finish) {
    var c00 = W16(), c01 = W16(), c10 = W16(), c11 = W16(), c20 = W16(), c21 = W16()
    var c30 = W16(), c31 = W16(), c40 = W16(), c41 = W16(), c50 = W16(), c51 = W16()
    var bp = b
    let a0 = a, a1 = a + lda, a2 = a + 2 * lda, a3 = a + 3 * lda, a4 = a + 4 * lda, a5 = a + 5 * lda
    for p in 0..<k {
        let w0 = load(bp), w1 = load(bp + 16)
        var x = W16(repeating: a0[p])
        c00 = c00.addingProduct(x, w0); c01 = c01.addingProduct(x, w1)
        x = W16(repeating: a1[p])
        c10 = c10.addingProduct(x, w0); c11 = c11.addingProduct(x, w1)
        x = W16(repeating: a2[p])
        c20 = c20.addingProduct(x, w0); c21 = c21.addingProduct(x, w1)
        x = W16(repeating: a3[p])
        c30 = c30.addingProduct(x, w0); c31 = c31.addingProduct(x, w1)
        x = W16(repeating: a4[p])
        c40 = c40.addingProduct(x, w0); c41 = c41.addingProduct(x, w1)
        x = W16(repeating: a5[p])
        c50 = c50.addingProduct(x, w0); c51 = c51.addingProduct(x, w1)
        bp += ldb
    }
    f(c00, c, 0); f(c01, c + 16, 16)
    f(c10, c + ldc, 0); f(c11, c + ldc + 16, 16)
    f(c20, c + 2 * ldc, 0); f(c21, c + 2 * ldc + 16, 16)
    f(c30, c + 3 * ldc, 0); f(c31, c + 3 * ldc + 16, 16)
    f(c40, c + 4 * ldc, 0); f(c41, c + 4 * ldc + 16, 16)
    f(c50, c + 5 * ldc, 0); f(c51, c + 5 * ldc + 16, 16)
}

/// One row of C, 32 columns (the rows six-row blocks leave).
@inline(never)
private func row1x32(_ k: Int, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ ldb: Int,
                     _ c: UnsafeMutablePointer<Float>, _ f: Finish) {
    var c0 = W16(), c1 = W16()
    var bp = b
    for p in 0..<k {
        let x = W16(repeating: a[p])
        c0 = c0.addingProduct(x, load(bp)); c1 = c1.addingProduct(x, load(bp + 16))
        bp += ldb
    }
    f(c0, c, 0); f(c1, c + 16, 16)
}

/// Eight rows of C, 16 columns: 8 accumulators.
@inline(never)
private func block8x16(_ k: Int, _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
                       _ c: UnsafeMutablePointer<Float>, _ ldc: Int, _ f: Finish) {
    var c0 = W16(), c1 = W16(), c2 = W16(), c3 = W16(), c4 = W16(), c5 = W16(), c6 = W16(), c7 = W16()
    var bp = b
    for p in 0..<k {
        let w = load(bp)
        c0 = c0.addingProduct(W16(repeating: a[p]), w)
        c1 = c1.addingProduct(W16(repeating: a[lda + p]), w)
        c2 = c2.addingProduct(W16(repeating: a[2 * lda + p]), w)
        c3 = c3.addingProduct(W16(repeating: a[3 * lda + p]), w)
        c4 = c4.addingProduct(W16(repeating: a[4 * lda + p]), w)
        c5 = c5.addingProduct(W16(repeating: a[5 * lda + p]), w)
        c6 = c6.addingProduct(W16(repeating: a[6 * lda + p]), w)
        c7 = c7.addingProduct(W16(repeating: a[7 * lda + p]), w)
        bp += ldb
    }
    f(c0, c, 0); f(c1, c + ldc, 0); f(c2, c + 2 * ldc, 0); f(c3, c + 3 * ldc, 0)
    f(c4, c + 4 * ldc, 0); f(c5, c + 5 * ldc, 0); f(c6, c + 6 * ldc, 0); f(c7, c + 7 * ldc, 0)
}

/// Eight rows of C, 24 columns (16 and 8): 16 accumulators.
@inline(never)
private func block8x24(_ k: Int, _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
                       _ c: UnsafeMutablePointer<Float>, _ ldc: Int, _ f: Finish) {
    var c0 = W16(), c1 = W16(), c2 = W16(), c3 = W16(), c4 = W16(), c5 = W16(), c6 = W16(), c7 = W16()
    var d0 = W8(), d1 = W8(), d2 = W8(), d3 = W8(), d4 = W8(), d5 = W8(), d6 = W8(), d7 = W8()
    var bp = b
    for p in 0..<k {
        let w = load(bp), v = load8(bp + 16)
        var x = a[p]
        c0 = c0.addingProduct(W16(repeating: x), w); d0 = d0.addingProduct(W8(repeating: x), v)
        x = a[lda + p]
        c1 = c1.addingProduct(W16(repeating: x), w); d1 = d1.addingProduct(W8(repeating: x), v)
        x = a[2 * lda + p]
        c2 = c2.addingProduct(W16(repeating: x), w); d2 = d2.addingProduct(W8(repeating: x), v)
        x = a[3 * lda + p]
        c3 = c3.addingProduct(W16(repeating: x), w); d3 = d3.addingProduct(W8(repeating: x), v)
        x = a[4 * lda + p]
        c4 = c4.addingProduct(W16(repeating: x), w); d4 = d4.addingProduct(W8(repeating: x), v)
        x = a[5 * lda + p]
        c5 = c5.addingProduct(W16(repeating: x), w); d5 = d5.addingProduct(W8(repeating: x), v)
        x = a[6 * lda + p]
        c6 = c6.addingProduct(W16(repeating: x), w); d6 = d6.addingProduct(W8(repeating: x), v)
        x = a[7 * lda + p]
        c7 = c7.addingProduct(W16(repeating: x), w); d7 = d7.addingProduct(W8(repeating: x), v)
        bp += ldb
    }
    f(c0, c, 0); f(c1, c + ldc, 0); f(c2, c + 2 * ldc, 0); f(c3, c + 3 * ldc, 0)
    f(c4, c + 4 * ldc, 0); f(c5, c + 5 * ldc, 0); f(c6, c + 6 * ldc, 0); f(c7, c + 7 * ldc, 0)
    f.eight(d0, c + 16, 16); f.eight(d1, c + ldc + 16, 16); f.eight(d2, c + 2 * ldc + 16, 16)
    f.eight(d3, c + 3 * ldc + 16, 16); f.eight(d4, c + 4 * ldc + 16, 16); f.eight(d5, c + 5 * ldc + 16, 16)
    f.eight(d6, c + 6 * ldc + 16, 16); f.eight(d7, c + 7 * ldc + 16, 16)
}

/// One row of C, 24 columns.
@inline(never)
private func row1x24(_ k: Int, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ ldb: Int,
                     _ c: UnsafeMutablePointer<Float>, _ f: Finish) {
    var c0 = W16(), d0 = W8()
    var bp = b
    for p in 0..<k {
        c0 = c0.addingProduct(W16(repeating: a[p]), load(bp))
        d0 = d0.addingProduct(W8(repeating: a[p]), load8(bp + 16))
        bp += ldb
    }
    f(c0, c, 0)
    f.eight(d0, c + 16, 16)
}

/// One row of C, 16 columns.
@inline(never)
private func row1x16(_ k: Int, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ ldb: Int,
                     _ c: UnsafeMutablePointer<Float>, _ f: Finish) {
    var c0 = W16()
    var bp = b
    for p in 0..<k {
        c0 = c0.addingProduct(W16(repeating: a[p]), load(bp))
        bp += ldb
    }
    f(c0, c, 0)
}

// MARK: C += Aᵀ · B blocks

/// Six rows of C (six columns of A), 32 columns: 12 accumulators.
@inline(never)
private func outer6x32(_ rows: Int, _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
                       _ c: UnsafeMutablePointer<Float>, _ ldc: Int) {
    let r0 = c, r1 = c + ldc, r2 = c + 2 * ldc, r3 = c + 3 * ldc, r4 = c + 4 * ldc, r5 = c + 5 * ldc
    var c00 = load(r0), c01 = load(r0 + 16), c10 = load(r1), c11 = load(r1 + 16)
    var c20 = load(r2), c21 = load(r2 + 16), c30 = load(r3), c31 = load(r3 + 16)
    var c40 = load(r4), c41 = load(r4 + 16), c50 = load(r5), c51 = load(r5 + 16)
    var ap = a, bp = b
    for _ in 0..<rows {
        let w0 = load(bp), w1 = load(bp + 16)
        var x = W16(repeating: ap[0])
        c00 = c00.addingProduct(x, w0); c01 = c01.addingProduct(x, w1)
        x = W16(repeating: ap[1])
        c10 = c10.addingProduct(x, w0); c11 = c11.addingProduct(x, w1)
        x = W16(repeating: ap[2])
        c20 = c20.addingProduct(x, w0); c21 = c21.addingProduct(x, w1)
        x = W16(repeating: ap[3])
        c30 = c30.addingProduct(x, w0); c31 = c31.addingProduct(x, w1)
        x = W16(repeating: ap[4])
        c40 = c40.addingProduct(x, w0); c41 = c41.addingProduct(x, w1)
        x = W16(repeating: ap[5])
        c50 = c50.addingProduct(x, w0); c51 = c51.addingProduct(x, w1)
        ap += lda
        bp += ldb
    }
    store(c00, r0); store(c01, r0 + 16); store(c10, r1); store(c11, r1 + 16)
    store(c20, r2); store(c21, r2 + 16); store(c30, r3); store(c31, r3 + 16)
    store(c40, r4); store(c41, r4 + 16); store(c50, r5); store(c51, r5 + 16)
}

/// Three rows of C (three columns of A), 32 columns.
@inline(never)
private func outer3x32(_ rows: Int, _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
                       _ c: UnsafeMutablePointer<Float>, _ ldc: Int) {
    let r0 = c, r1 = c + ldc, r2 = c + 2 * ldc
    var c00 = load(r0), c01 = load(r0 + 16), c10 = load(r1), c11 = load(r1 + 16), c20 = load(r2), c21 = load(r2 + 16)
    var ap = a, bp = b
    for _ in 0..<rows {
        let w0 = load(bp), w1 = load(bp + 16)
        var x = W16(repeating: ap[0])
        c00 = c00.addingProduct(x, w0); c01 = c01.addingProduct(x, w1)
        x = W16(repeating: ap[1])
        c10 = c10.addingProduct(x, w0); c11 = c11.addingProduct(x, w1)
        x = W16(repeating: ap[2])
        c20 = c20.addingProduct(x, w0); c21 = c21.addingProduct(x, w1)
        ap += lda
        bp += ldb
    }
    store(c00, r0); store(c01, r0 + 16); store(c10, r1); store(c11, r1 + 16); store(c20, r2); store(c21, r2 + 16)
}

/// Eight rows of C (eight columns of A), 16 columns.
@inline(never)
private func outer8x16(_ rows: Int, _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
                       _ c: UnsafeMutablePointer<Float>, _ ldc: Int) {
    var c0 = load(c), c1 = load(c + ldc), c2 = load(c + 2 * ldc), c3 = load(c + 3 * ldc)
    var c4 = load(c + 4 * ldc), c5 = load(c + 5 * ldc), c6 = load(c + 6 * ldc), c7 = load(c + 7 * ldc)
    var ap = a, bp = b
    for _ in 0..<rows {
        let w = load(bp)
        c0 = c0.addingProduct(W16(repeating: ap[0]), w); c1 = c1.addingProduct(W16(repeating: ap[1]), w)
        c2 = c2.addingProduct(W16(repeating: ap[2]), w); c3 = c3.addingProduct(W16(repeating: ap[3]), w)
        c4 = c4.addingProduct(W16(repeating: ap[4]), w); c5 = c5.addingProduct(W16(repeating: ap[5]), w)
        c6 = c6.addingProduct(W16(repeating: ap[6]), w); c7 = c7.addingProduct(W16(repeating: ap[7]), w)
        ap += lda
        bp += ldb
    }
    store(c0, c); store(c1, c + ldc); store(c2, c + 2 * ldc); store(c3, c + 3 * ldc)
    store(c4, c + 4 * ldc); store(c5, c + 5 * ldc); store(c6, c + 6 * ldc); store(c7, c + 7 * ldc)
}

/// One row of C (one column of A), `width` (16 or 32) columns.
@inline(never)
private func outer1(_ rows: Int, _ width: Int, _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
                    _ c: UnsafeMutablePointer<Float>) {
    var v0 = load(c)
    var v1 = width > 16 ? load(c + 16) : W16()
    var ap = a, bp = b
    for _ in 0..<rows {
        let x = W16(repeating: ap[0])
        v0 = v0.addingProduct(x, load(bp))
        if width > 16 { v1 = v1.addingProduct(x, load(bp + 16)) }
        ap += lda
        bp += ldb
    }
    store(v0, c)
    if width > 16 { store(v1, c + 16) }
}
