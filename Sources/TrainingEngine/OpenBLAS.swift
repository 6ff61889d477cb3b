import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// OpenBLAS, opened the first time the engine multiplies matrices instead of
/// when the program starts. Most kernels start, run a few cells and stop
/// without training: loading OpenBLAS with libgfortran and libquadmath at
/// start cost about 2.3 MiB of resident memory in every one of them.
///
/// Only the three functions the engine calls are looked up; their C
/// signatures are those of Debian's `cblas.h` (32-bit `blasint`, the enums as
/// C ints). When the library cannot be opened, products run on a plain
/// loop (`fallbackSgemm`): slower, but every answer the same, and the reason
/// is written once to standard error.
enum OpenBLAS {
    typealias SGEMM = @convention(c) (Int32, Int32, Int32, Int32, Int32, Int32, Float, UnsafePointer<Float>?, Int32,
                                      UnsafePointer<Float>?, Int32, Float, UnsafeMutablePointer<Float>?, Int32) -> Void
    typealias SetThreads = @convention(c) (Int32) -> Void
    typealias GetThreads = @convention(c) () -> Int32

    struct Functions {
        let sgemm: SGEMM
        let setThreads: SetThreads
        let getThreads: GetThreads
    }

    /// `CblasRowMajor`, `CblasNoTrans` and `CblasTrans` of `cblas.h`.
    static let rowMajor: Int32 = 101, noTranspose: Int32 = 111, transpose: Int32 = 112

    /// The library's file names, most specific first.
    static let names = ["libopenblas.so.0", "libopenblas.so", "libopenblas.dylib"]

    /// The functions, or nil when no OpenBLAS could be opened. Opened once,
    /// on first use (Swift runs a static's initializer exactly once, safely
    /// across threads); the engine runs OpenBLAS single-threaded inside its
    /// own blocks (see `Engine`), so the thread count is set to 1 on opening.
    static let functions: Functions? = {
        var reasons: [String] = []
        for name in names {
            guard let handle = dlopen(name, RTLD_NOW | RTLD_LOCAL) else {
                reasons.append(dlerror().map { String(cString: $0) } ?? name)
                continue
            }
            guard let sgemm = dlsym(handle, "cblas_sgemm"), let set = dlsym(handle, "openblas_set_num_threads"),
                  let get = dlsym(handle, "openblas_get_num_threads") else {
                reasons.append("\(name) has no cblas_sgemm")
                dlclose(handle)
                continue
            }
            let f = Functions(sgemm: unsafeBitCast(sgemm, to: SGEMM.self), setThreads: unsafeBitCast(set, to: SetThreads.self),
                              getThreads: unsafeBitCast(get, to: GetThreads.self))
            f.setThreads(1)
            return f
        }
        FileHandle.standardError.write(Data(("Shoal: OpenBLAS could not be opened (\(reasons.joined(separator: "; "))); "
            + "matrix products run on a slower built-in loop. Install libopenblas-dev with `make deps`.\n").utf8))
        return nil
    }()

    /// C = alpha * op(A) * op(B) + beta * C on a plain loop, row-major, for
    /// when OpenBLAS is missing. m, n, k > 0.
    static func fallbackSgemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
                              a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                              beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        for i in 0..<m {
            let row = c + i * ldc
            for j in 0..<n { row[j] = beta == 0 ? 0 : beta * row[j] }
            for p in 0..<k {
                let x = alpha * (transA ? a[p * lda + i] : a[i * lda + p])
                if transB {
                    for j in 0..<n { row[j] += x * b[j * ldb + p] }
                } else {
                    let bRow = b + p * ldb
                    for j in 0..<n { row[j] += x * bRow[j] }
                }
            }
        }
    }
}
