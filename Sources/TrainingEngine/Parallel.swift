import Dispatch
import Foundation

/// The engine splits its work across the machine's cores itself: whole
/// chunks of images per core for convolutions and pooling, blocks of rows or
/// columns for matrix products. OpenBLAS then runs single-threaded inside
/// each block, which avoids its worker threads spinning between the many
/// small products a training step makes.
public enum Engine {
    private static let setup: Void = { BLAS.threads = 1 }()
    nonisolated(unsafe) private static var workerCount = ProcessInfo.processInfo.activeProcessorCount

    /// Whether convolutions use the engine's own narrow products (on
    /// processors that can run them) rather than OpenBLAS for their window
    /// products; tests compare the two.
    public static var usesNarrowProducts: Bool {
        get { narrowProducts }
        set { narrowProducts = newValue && Narrow.supported }
    }
    nonisolated(unsafe) private static var narrowProducts = Narrow.supported

    /// Whether the narrow products run on AVX-512 (`WideKernels`) where the
    /// processor has it and the shape suits them; tests compare the two.
    public static var usesWideProducts: Bool {
        get { wideProducts }
        set { wideProducts = newValue && Narrow.wideSupported }
    }
    nonisolated(unsafe) private static var wideProducts = Narrow.wideSupported

    /// Whether 3×3, stride-1 convolutions between multiples of 8 channels
    /// run as Winograd's F(2×2, 3×3) (on the narrow products; 16
    /// multiplications a tile of 2×2 pixels instead of 36) rather than
    /// window by window; tests compare the two.
    nonisolated(unsafe) public static var usesWinograd = true

    /// Whether parallel sections run on the engine's own helper threads,
    /// which spin briefly between sections (`WorkerPool`), rather than through
    /// Dispatch alone; tests and the engine bench compare the two.
    nonisolated(unsafe) public static var usesWorkerPool = true

    /// How many cores the engine uses (all of them by default).
    public static var threads: Int {
        get { workerCount }
        set { workerCount = max(1, newValue) }
    }

    /// How many workers `parallelFor` uses for `count` items of at least `grain` each.
    static func workers(_ count: Int, grain: Int = 1) -> Int {
        max(1, min(workerCount, count / max(grain, 1)))
    }

    /// Runs `body(worker, range)` over `count` items split into `workers`
    /// contiguous ranges, concurrently when there is more than one.
    @inline(__always)
    static func parallelFor(_ count: Int, workers: Int, _ body: (Int, Range<Int>) -> Void) {
        _ = setup
        if workers <= 1 { if count > 0 { body(0, 0..<count) }; return }
        if usesWorkerPool, WorkerPool.shared.run(workers: workers, { w in body(w, (count * w / workers)..<(count * (w + 1) / workers)) }) {
            return
        }
        withoutActuallyEscaping(body) { body in
            DispatchQueue.concurrentPerform(iterations: workers) { w in
                body(w, (count * w / workers)..<(count * (w + 1) / workers))
            }
        }
    }

    /// `parallelFor` with one range per core when each gets at least `grain` items.
    @inline(__always)
    static func parallelFor(_ count: Int, grain: Int = 1, _ body: (Range<Int>) -> Void) {
        parallelFor(count, workers: workers(count, grain: grain)) { _, range in body(range) }
    }

    /// C = alpha · op(A) · op(B) + beta · C (row-major), with the rows of C or,
    /// when there are few rows, its columns divided among the cores.
    static func sgemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float = 1,
                      a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                      beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        _ = setup
        let flops = m * n * k
        if workerCount <= 1 || flops < 1 << 18 {
            BLAS.sgemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb,
                       beta: beta, c: c, ldc: ldc)
            return
        }
        if m >= n {
            parallelFor(m, grain: 16) { rows in
                // Row r of op(A): row r of A, or column r of Aᵀ.
                let aBlock = transA ? a + rows.lowerBound : a + rows.lowerBound * lda
                BLAS.sgemm(transA: transA, transB: transB, m: rows.count, n: n, k: k, alpha: alpha, a: aBlock, lda: lda,
                           b: b, ldb: ldb, beta: beta, c: c + rows.lowerBound * ldc, ldc: ldc)
            }
        } else {
            parallelFor(n, grain: 16) { cols in
                let bBlock = transB ? b + cols.lowerBound * ldb : b + cols.lowerBound
                BLAS.sgemm(transA: transA, transB: transB, m: m, n: cols.count, k: k, alpha: alpha, a: a, lda: lda,
                           b: bBlock, ldb: ldb, beta: beta, c: c + cols.lowerBound, ldc: ldc)
            }
        }
    }
}
