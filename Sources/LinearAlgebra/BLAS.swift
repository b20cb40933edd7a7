import CBLAS
import Dispatch

/// Matrix products through OpenBLAS. The `Matrix` functions are for clarity where a product is
/// not on a hot path; `BLAS.gemm` takes raw row-major pointers with explicit leading dimensions
/// so that the forward pass can multiply column blocks of preallocated buffers in place without
/// copying or allocating, and `BLAS.streamingGEMV` streams the weights once for one token.
public enum BLAS {
    /// `C = alpha·op(A)·op(B) + beta·C`, row-major, where `op(A)` is `[m × k]`, `op(B)` is
    /// `[k × n]` and `C` is `[m × n]`. `lda`, `ldb`, `ldc` are the row strides (in floats) of
    /// the matrices as stored (before transposition), so a column block of a wider matrix is
    /// passed as a pointer to its first element and the wider matrix's column count.
    @inlinable
    public static func gemm(
        transposeA: Bool = false, transposeB: Bool = false, m: Int, n: Int, k: Int, alpha: Float = 1,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        guard m > 0, n > 0 else { return }
        cblas_sgemm(
            CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
            Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc)
        )
    }
}

extension BLAS {
    /// `y = W·x` (or `y += W·x` when `accumulate`) for a row-major `W` of `rows × cols`, for
    /// memory-bound products such as decoding one token (every weight read once). On the
    /// machines KVBench targets a sequential stream per thread reads about twice as fast as
    /// OpenBLAS's sgemv, which interleaves several rows. With `threads > 1`, matrices of 1 MB or
    /// more are cut into `4·threads` row ranges that the calling thread and `threads − 1` others
    /// take in turn (so a late thread on a busy machine delays little); call it outside BLAS
    /// calls, never inside one, so that there is one level of parallelism.
    public static func streamingGEMV(_ w: UnsafePointer<Float>, rows: Int, cols: Int, x: UnsafePointer<Float>,
                                     accumulate: Bool = false, into y: UnsafeMutablePointer<Float>, threads: Int) {
        let parts = threads > 1 && rows * cols >= 1 << 18 ? min(4 * threads, rows) : 1
        guard parts > 1 else {
            rowDots(w, rows: 0 ..< rows, cols: cols, x: x, accumulate: accumulate, into: y)
            return
        }
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            rowDots(w, rows: rows * part / parts ..< rows * (part + 1) / parts, cols: cols, x: x,
                    accumulate: accumulate, into: y)
        }
    }

    /// `y[r] (+)= W[r]·x` for the rows `rows`, each read as one sequential stream.
    private static func rowDots(_ w: UnsafePointer<Float>, rows: Range<Int>, cols: Int, x: UnsafePointer<Float>,
                                accumulate: Bool, into y: UnsafeMutablePointer<Float>) {
        for r in rows {
            let a = w + r * cols
            var s0 = SIMD8<Float>(), s1 = SIMD8<Float>()
            var k = 0
            while k + 16 <= cols {
                s0 += UnsafeRawPointer(a + k).loadUnaligned(as: SIMD8<Float>.self)
                    * UnsafeRawPointer(x + k).loadUnaligned(as: SIMD8<Float>.self)
                s1 += UnsafeRawPointer(a + k + 8).loadUnaligned(as: SIMD8<Float>.self)
                    * UnsafeRawPointer(x + k + 8).loadUnaligned(as: SIMD8<Float>.self)
                k += 16
            }
            var total = (s0 + s1).sum()
            while k < cols {
                total += a[k] * x[k]
                k += 1
            }
            y[r] = accumulate ? y[r] + total : total
        }
    }
}

/// `op(A)·op(B)`, where `op` transposes when the flag says so. The inner dimensions must agree
/// (a programming error otherwise).
public func matmul(_ a: Matrix, _ b: Matrix, transposeA: Bool = false, transposeB: Bool = false) -> Matrix {
    let m = transposeA ? a.cols : a.rows
    let n = transposeB ? b.rows : b.cols
    var c = Matrix(rows: m, cols: n)
    matmulAccumulate(a, b, into: &c, transposeA: transposeA, transposeB: transposeB, beta: 0)
    return c
}

/// `C = alpha·op(A)·op(B) + beta·C` in place (with the defaults, `C += op(A)·op(B)`). The
/// shapes must agree (a programming error otherwise).
public func matmulAccumulate(
    _ a: Matrix, _ b: Matrix, into c: inout Matrix,
    transposeA: Bool = false, transposeB: Bool = false, alpha: Float = 1, beta: Float = 1
) {
    let m = transposeA ? a.cols : a.rows
    let k = transposeA ? a.rows : a.cols
    let kB = transposeB ? b.cols : b.rows
    let n = transposeB ? b.rows : b.cols
    precondition(k == kB && c.rows == m && c.cols == n,
                 "matmul: op(A) is \(m)×\(k), op(B) is \(kB)×\(n), C is \(c.rows)×\(c.cols)")
    guard k > 0 else {
        if beta != 1 { for i in c.storage.indices { c.storage[i] *= beta } }
        return
    }
    a.storage.withUnsafeBufferPointer { pa in
        b.storage.withUnsafeBufferPointer { pb in
            c.storage.withUnsafeMutableBufferPointer { pc in
                BLAS.gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha,
                          a: pa.baseAddress!, lda: max(a.cols, 1), b: pb.baseAddress!, ldb: max(b.cols, 1),
                          beta: beta, c: pc.baseAddress!, ldc: max(n, 1))
            }
        }
    }
}
