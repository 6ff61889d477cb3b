import EngineKernels
import WideKernels
import Foundation

// MARK: - BLAS

/// Matrix products go through OpenBLAS, opened on first use (`OpenBLAS`).
/// The engine runs it single-threaded inside its own blocks (`Engine`);
/// `threads` lets a benchmark give it every core for one large product.
public enum BLAS {
    public static var threads: Int {
        get { OpenBLAS.functions.map { Int($0.getThreads()) } ?? 1 }
        set { OpenBLAS.functions?.setThreads(Int32(max(1, newValue))) }
    }

    /// C = alpha * op(A) * op(B) + beta * C, row-major; op(A) is m×k, op(B) k×n.
    @inline(__always)
    static func sgemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float = 1,
                      a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                      beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        guard m > 0, n > 0 else { return }
        if k == 0 {
            if beta == 0 { for r in 0..<m { (c + r * ldc).initialize(repeating: 0, count: n) } }
            return
        }
        guard let blas = OpenBLAS.functions else {
            return OpenBLAS.fallbackSgemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda,
                                          b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
        }
        blas.sgemm(OpenBLAS.rowMajor, transA ? OpenBLAS.transpose : OpenBLAS.noTranspose,
                   transB ? OpenBLAS.transpose : OpenBLAS.noTranspose,
                   Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }
}

/// The narrow products of `EngineKernels`, when this processor can run them.
enum Narrow {
    /// The processor's feature flags, read once from /proc/cpuinfo (empty elsewhere).
    private static let cpuFlags: Set<Substring> = {
        #if arch(x86_64) && os(Linux)
        guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let flags = info.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else { return [] }
        return Set(flags.split(separator: " "))
        #else
        return []
        #endif
    }()

    /// Whether the kernels may run: on x86-64 they need AVX2 and FMA.
    static let supported: Bool = {
        #if arch(x86_64)
        return cpuFlags.contains("avx2") && cpuFlags.contains("fma")
        #else
        return true
        #endif
    }()

    /// Whether the AVX-512 products (`WideKernels`) may run: the processor
    /// has AVX-512 F, CD, BW, DQ and VL (what the module is compiled for).
    static let wideSupported: Bool = {
        #if arch(x86_64)
        return supported && ["avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"].allSatisfy { cpuFlags.contains(Substring($0)) }
        #else
        return false
        #endif
    }()

    /// Whether products with `n` output columns go to the narrow kernels.
    @inline(__always)
    static func fits(_ n: Int) -> Bool { Engine.usesNarrowProducts && n % 8 == 0 && n <= 256 }

    /// C = A · B (+ C when `accumulate`), row-major, n a multiple of 8.
    static func multiply(m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                         c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool) {
        multiply(m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb, c: c, ldc: ldc, bias: nil, low: -.infinity,
                 high: .infinity, accumulate: accumulate)
    }

    /// C = clamp(A · B + bias (+ C when `accumulate`)) to [low, high], n a
    /// multiple of 8: on AVX-512 where the processor has it (the columns in
    /// sixteens, and a last 24 together; 8 alone on AVX2), else on AVX2. The same sums either way.
    static func multiply(m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                         c: UnsafeMutablePointer<Float>, ldc: Int, bias: UnsafePointer<Float>?, low: Float, high: Float,
                         accumulate: Bool) {
        guard m > 0, n > 0 else { return }
        var done = 0
        if Engine.usesWideProducts, n >= 16 {
            done = n % 16 == 0 || n >= 24 ? n : 16
            WideProducts.multiply(m: m, n: done, k: k, a: a, lda: lda, b: b, ldb: ldb, c: c, ldc: ldc, bias: bias,
                                  low: low, high: high, accumulate: accumulate)
        }
        if done < n {
            NarrowProducts.multiply(m: m, n: n - done, k: k, a: a, lda: lda, b: b + done, ldb: ldb, c: c + done, ldc: ldc,
                                    bias: bias.map { $0 + done }, low: low, high: high, accumulate: accumulate)
        }
    }

    /// C = Aᵀ · B (+ C when `accumulate`) for A r×m and B r×n, n a multiple of 8: on AVX-512 where the
    /// processor has it (the columns in sixteens; a last eight on AVX2), else on AVX2. The same sums either way.
    static func multiplyTransposedA(r: Int, m: Int, n: Int, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>,
                                    ldb: Int, c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool) {
        guard m > 0, n > 0 else { return }
        var done = 0
        if Engine.usesWideProducts, n >= 16 {
            done = n / 16 * 16
            WideProducts.multiplyTransposedA(r: r, m: m, n: done, a: a, lda: lda, b: b, ldb: ldb, c: c, ldc: ldc,
                                             accumulate: accumulate)
        }
        if done < n {
            NarrowProducts.multiplyTransposedA(r: r, m: m, n: n - done, a: a, lda: lda, b: b + done, ldb: ldb, c: c + done,
                                               ldc: ldc, accumulate: accumulate)
        }
    }
}

// MARK: - Walking strided layouts

/// Visits every position of `shape` in row-major order: its flat index, and
/// its offset in each layout of `strides` (one stride per axis, 0 for a
/// broadcast axis), starting from `start`. Offsets are updated as the index
/// moves rather than recomputed. For broadcasting, reductions to a shape,
/// permutations and strided views.
func forEachPosition(_ shape: [Int], strides: [[Int]], start: [Int]? = nil, _ body: (Int, [Int]) throws -> Void) rethrows {
    let count = shape.reduce(1, *)
    var index = [Int](repeating: 0, count: shape.count)
    var offsets = start ?? [Int](repeating: 0, count: strides.count)
    for i in 0..<count {
        try body(i, offsets)
        var d = shape.count - 1
        while d >= 0 {
            index[d] += 1
            for k in offsets.indices { offsets[k] += strides[k][d] }
            if index[d] < shape[d] { break }
            for k in offsets.indices { offsets[k] -= strides[k][d] * shape[d] }
            index[d] = 0
            d -= 1
        }
    }
}

// MARK: - Operations

extension Tensor {
    /// The shape two operands broadcast to, NumPy style (trailing axes aligned,
    /// a size of 1 stretches).
    public static func broadcastShape(_ a: [Int], _ b: [Int]) throws -> [Int] {
        let rank = max(a.count, b.count)
        var out = [Int](repeating: 1, count: rank)
        for i in 0..<rank {
            let da = i < rank - a.count ? 1 : a[i - (rank - a.count)]
            let db = i < rank - b.count ? 1 : b[i - (rank - b.count)]
            guard da == db || da == 1 || db == 1 else {
                throw ShapeError("shapes \(shapeText(a)) and \(shapeText(b)) cannot be broadcast together")
            }
            out[i] = da == 1 ? db : da
        }
        return out
    }

    static func broadcastStrides(_ shape: [Int], to out: [Int]) -> [Int] {
        var strides = [Int](repeating: 0, count: out.count)
        var stride = 1
        for i in Swift.stride(from: shape.count - 1, through: 0, by: -1) {
            let o = i + out.count - shape.count
            strides[o] = shape[i] == 1 ? 0 : stride
            stride *= shape[i]
        }
        return strides
    }

    /// Reduces a broadcast gradient back to `target` shape by summing the
    /// stretched axes: the backward pass of broadcasting.
    public func sum(to target: [Int]) throws -> Tensor {
        if target == shape { return self }
        let strides = Tensor.broadcastStrides(target, to: shape)
        guard try Tensor.broadcastShape(target, shape) == shape else {
            throw ShapeError("cannot sum \(shapeText(shape)) down to \(shapeText(target))")
        }
        let out = try Tensor(zeros: target)
        forEachPosition(shape, strides: [strides]) { i, offsets in out.pointer[offsets[0]] += pointer[i] }
        return out
    }

    /// Sum of every element.
    public func sum() -> Float { vsum(pointer, count) }
    public func mean() -> Float { count == 0 ? 0 : sum() / Float(count) }

    /// Sum over one axis (removed from the shape).
    public func sum(axis: Int) throws -> Tensor {
        guard axis >= 0, axis < rank else { throw ShapeError("axis \(axis) is outside a rank-\(rank) tensor") }
        let outer = shape[..<axis].reduce(1, *), n = shape[axis], inner = shape[(axis + 1)...].reduce(1, *)
        var outShape = shape
        outShape.remove(at: axis)
        let out = try Tensor(zeros: outShape)
        for o in 0..<outer {
            for j in 0..<n { vaxpy(1, pointer + (o * n + j) * inner, out.pointer + o * inner, inner) }
        }
        return out
    }

    public func mean(axis: Int) throws -> Tensor {
        guard axis >= 0, axis < rank else { throw ShapeError("axis \(axis) is outside a rank-\(rank) tensor") }
        return try sum(axis: axis) * (1 / Float(max(shape[axis], 1)))
    }

    /// Index of the largest value in each row of a matrix.
    public func argmaxRows() throws -> [Int] {
        guard rank == 2 else { throw ShapeError("argmax over rows needs a matrix, not \(shapeText(shape))") }
        let (rows, cols) = (shape[0], shape[1])
        return (0..<rows).map { r in
            var best = 0
            let row = pointer + r * cols
            for c in 1..<max(cols, 1) where row[c] > row[best] { best = c }
            return best
        }
    }

    /// Matrix product of [m, k] and [k, n], optionally with either transposed.
    public func matmul(_ other: Tensor, transposeSelf: Bool = false, transposeOther: Bool = false) throws -> Tensor {
        guard rank == 2, other.rank == 2 else {
            throw ShapeError("matmul needs two matrices, got \(shapeText(shape)) and \(shapeText(other.shape))")
        }
        let (m, k1) = transposeSelf ? (shape[1], shape[0]) : (shape[0], shape[1])
        let (k2, n) = transposeOther ? (other.shape[1], other.shape[0]) : (other.shape[0], other.shape[1])
        guard k1 == k2 else {
            throw ShapeError("matmul of \(shapeText(shape))\(transposeSelf ? "ᵀ" : "") and "
                             + "\(shapeText(other.shape))\(transposeOther ? "ᵀ" : ""): inner sizes \(k1) and \(k2) differ")
        }
        let out = try Tensor(uninitialized: [m, n])
        Engine.sgemm(transA: transposeSelf, transB: transposeOther, m: m, n: n, k: k1,
                   a: pointer, lda: shape[1], b: other.pointer, ldb: other.shape[1], beta: 0, c: out.pointer, ldc: n)
        return out
    }

    /// The transpose of a matrix.
    public func transposed() throws -> Tensor {
        guard rank == 2 else { throw ShapeError("transpose needs a matrix, not \(shapeText(shape))") }
        let (r, c) = (shape[0], shape[1])
        let out = try Tensor(uninitialized: [c, r])
        for i in 0..<r { for j in 0..<c { out.pointer[j * r + i] = pointer[i * c + j] } }
        return out
    }

    /// Largest absolute difference to another tensor of the same shape.
    public func maxAbsDifference(_ other: Tensor) throws -> Float {
        guard shape == other.shape else {
            throw ShapeError("cannot compare \(shapeText(shape)) with \(shapeText(other.shape))")
        }
        var m: Float = 0
        for i in 0..<count { m = Swift.max(m, abs(pointer[i] - other.pointer[i])) }
        return m
    }
}
