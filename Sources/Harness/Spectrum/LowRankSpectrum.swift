import CBLAS
import LinearAlgebra

/// Singular values of the product `a · bᵀ` of two tall factors (`a` is `[m × r]`, `b` is
/// `[n × r]`) without forming the `m × n` product: with thin QR factors `a = Qa·Ra` and
/// `b = Qb·Rb`, `a · bᵀ = Qa · (Ra·Rbᵀ) · Qbᵀ`, and since `Qa`, `Qb` have orthonormal columns
/// the non-zero singular values are exactly those of the small `r × r` core `Ra·Rbᵀ`.
/// This is how both `W_Qᵀ W_K` (`d_model × d_model`) and the fully centred logit field
/// (`n × n`) are measured: exact, and `O((m + n)·r²)` instead of `O(m·n·min(m, n))`.
/// - Returns: `min(m, n, r)` singular values, descending.
public func lowRankProductSingularValues(_ a: Matrix, _ b: Matrix) throws -> [Float] {
    guard a.cols == b.cols else {
        throw HarnessError("low-rank product: factors have \(a.cols) and \(b.cols) columns")
    }
    let ra = try thinQR(a).r, rb = try thinQR(b).r
    // ra is [ka × r], rb is [kb × r]; the core is ra · rbᵀ, [ka × kb].
    var core = Matrix(rows: ra.rows, cols: rb.rows)
    guard ra.rows > 0, rb.rows > 0, ra.cols > 0 else { return [] }
    ra.storage.withUnsafeBufferPointer { pa in
        rb.storage.withUnsafeBufferPointer { pb in
            core.storage.withUnsafeMutableBufferPointer { pc in
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(ra.rows), Int32(rb.rows), Int32(ra.cols),
                            1, pa.baseAddress, Int32(ra.cols), pb.baseAddress, Int32(rb.cols),
                            0, pc.baseAddress, Int32(rb.rows))
            }
        }
    }
    return try singularValues(core)
}
