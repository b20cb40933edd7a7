import LinearAlgebra

/// Singular values of the product `a · bᵀ` of two tall factors (`a` is `[m × r]`, `b` is
/// `[n × r]`) without forming the `m × n` product (nor the Q factors): with thin QR factors `a = Qa·Ra` and
/// `b = Qb·Rb`, `a · bᵀ = Qa · (Ra·Rbᵀ) · Qbᵀ`, and since `Qa`, `Qb` have orthonormal columns
/// the non-zero singular values are exactly those of the small `r × r` core `Ra·Rbᵀ`.
/// This is how both `W_Qᵀ W_K` (`d_model × d_model`) and the fully centred logit field
/// (`n × n`) are measured: exact, and `O((m + n)·r²)` instead of `O(m·n·min(m, n))`.
/// - Returns: `min(m, n, r)` singular values, descending.
public func lowRankProductSingularValues(_ a: Matrix, _ b: Matrix) throws -> [Float] {
    guard a.cols == b.cols else {
        throw HarnessError("low-rank product: factors have \(a.cols) and \(b.cols) columns")
    }
    let ra = try qrR(a), rb = try qrR(b)
    guard ra.rows > 0, rb.rows > 0 else { return [] }
    // ra is [ka × r], rb is [kb × r]; the core is ra · rbᵀ, [ka × kb].
    let core = matmul(ra, rb, transposeB: true)
    return try singularValues(core)
}
