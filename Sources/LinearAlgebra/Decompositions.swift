import CBLAS

/// A LAPACK routine that failed, or input it cannot take (non-finite entries); one line for the user.
public struct DecompositionError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

// LAPACK is column-major: the row-major storage of an `m × n` Matrix is, read column-major, its
// `n × m` transpose. The wrappers below factor that transpose in place of copying, and read the
// column-major outputs back as the row-major factors of the original where the algebra allows.

/// Thin singular value decomposition `a = u · diag(s) · vt`, with `k = min(m, n)`:
/// `u` is `[m × k]` with orthonormal columns, `s` the `k` singular values in descending order,
/// `vt` is `[k × n]` with orthonormal rows (the right singular vectors as rows).
/// Throws on non-finite input or when LAPACK's `sgesdd` does not converge.
public func svd(_ a: Matrix) throws -> (u: Matrix, s: [Float], vt: Matrix) {
    let m = a.rows, n = a.cols, k = min(m, n)
    guard k > 0 else { return (Matrix(rows: m, cols: 0), [], Matrix(rows: 0, cols: n)) }
    try requireFinite(a, "svd")
    // LAPACK factors B = aᵀ (n × m, column-major) = U_b S Vt_b, so a = Vt_bᵀ S U_bᵀ:
    // U_b (n × k column-major) read row-major is exactly vt (k × n), and Vt_b (k × m column-major)
    // read row-major is exactly u (m × k). No transposition is needed.
    var work = a.storage
    var s = [Float](repeating: 0, count: k)
    var vt = Matrix(rows: k, cols: n)
    var u = Matrix(rows: m, cols: k)
    try gesdd(jobz: "S", rows: n, cols: m, storage: &work, s: &s, left: &vt.storage, leftLead: n,
              right: &u.storage, rightLead: k)
    return (u, s, vt)
}

/// The singular values of `a` (descending) and its right singular vectors as the rows of `vt`
/// (`[k × n]`, `k = min(m, n)`), without the `[m × k]` left factor: what a basis for the rows of
/// `a` needs. A tall `a` (`m > 2n`) is first reduced to the `n × n` triangle `R` of `a = Q·R`
/// (same singular values and right vectors), which costs far less than `svd` when `m ≫ n`.
public func rightSingularVectors(_ a: Matrix) throws -> (s: [Float], vt: Matrix) {
    guard a.rows > 2 * a.cols, a.cols > 0 else {
        let (_, s, vt) = try svd(a)
        return (s, vt)
    }
    try requireFinite(a, "rightSingularVectors")
    let (_, s, vt) = try svd(try qrR(a))
    return (s, vt)
}

/// The `min(m, n)` singular values of `a` in descending order, without forming vectors.
public func singularValues(_ a: Matrix) throws -> [Float] {
    let k = min(a.rows, a.cols)
    guard k > 0 else { return [] }
    try requireFinite(a, "singularValues")
    var work = a.storage
    var s = [Float](repeating: 0, count: k)
    var noLeft: [Float] = [0], noRight: [Float] = [0]
    try gesdd(jobz: "N", rows: a.cols, cols: a.rows, storage: &work, s: &s, left: &noLeft, leftLead: 1,
              right: &noRight, rightLead: 1)
    return s
}

/// Eigendecomposition of a symmetric `[n × n]` matrix (only its symmetric part is meaningful:
/// LAPACK reads one triangle). `values` are in **descending** order and `vectors.row(i)` is the
/// unit eigenvector for `values[i]` — eigenvectors are the **rows** of `vectors`, so
/// `vectors` is directly a basis whose `x · vectorsᵀ` gives coordinates.
public func symmetricEigen(_ a: Matrix) throws -> (values: [Float], vectors: Matrix) {
    guard a.rows == a.cols else { throw DecompositionError("symmetricEigen needs a square matrix, got \(a.rows)×\(a.cols)") }
    let n = a.rows
    guard n > 0 else { return ([], Matrix(rows: 0, cols: 0)) }
    try requireFinite(a, "symmetricEigen")
    // Symmetric, so the row-major storage is the same matrix column-major. LAPACK returns the
    // eigenvectors as columns (column-major), i.e. as rows of the row-major storage, ascending.
    var storage = a.storage
    var w = [Float](repeating: 0, count: n)
    var info: Int32 = 0
    var n32 = Int32(n), lwork: Int32 = -1, liwork: Int32 = -1
    var workSize: Float = 0, iworkSize: Int32 = 0
    ssyevd_("V", "U", &n32, &storage, &n32, &w, &workSize, &lwork, &iworkSize, &liwork, &info)
    try check(info, "ssyevd workspace query")
    lwork = workspaceCount(workSize)
    liwork = max(iworkSize, 1)
    var work = [Float](repeating: 0, count: Int(lwork))
    var iwork = [Int32](repeating: 0, count: Int(liwork))
    ssyevd_("V", "U", &n32, &storage, &n32, &w, &work, &lwork, &iwork, &liwork, &info)
    try check(info, "ssyevd")
    var vectors = Matrix(rows: n, cols: n)
    for i in 0 ..< n {
        let from = (n - 1 - i) * n
        vectors.storage[i * n ..< (i + 1) * n] = storage[from ..< from + n]
    }
    return (Array(w.reversed()), vectors)
}

/// Thin QR factorisation `a = q · r` of an `[m × n]` matrix with `k = min(m, n)`: `q` is
/// `[m × k]` with orthonormal columns, `r` is `[k × n]` upper triangular (upper trapezoidal
/// when `m < n`). Householder (`sgeqrf` + `sorgqr`); the diagonal of `r` may be negative.
public func thinQR(_ a: Matrix) throws -> (q: Matrix, r: Matrix) {
    let m = a.rows, n = a.cols, k = min(m, n)
    guard k > 0 else { return (Matrix(rows: m, cols: 0), Matrix(rows: 0, cols: n)) }
    try requireFinite(a, "thinQR")
    let (r, factorised, tau) = try householderR(a)
    var columnMajor = factorised
    var m32 = Int32(m), k32 = Int32(k), info: Int32 = 0
    var lwork: Int32 = -1, workSize: Float = 0
    sorgqr_(&m32, &k32, &k32, &columnMajor, &m32, tau, &workSize, &lwork, &info)
    try check(info, "sorgqr workspace query")
    lwork = workspaceCount(workSize)
    var work = [Float](repeating: 0, count: Int(lwork))
    sorgqr_(&m32, &k32, &k32, &columnMajor, &m32, tau, &work, &lwork, &info)
    try check(info, "sorgqr")
    // The first k columns (column-major, leading dimension m) hold q.
    var q = Matrix(rows: m, cols: k)
    for j in 0 ..< k {
        for i in 0 ..< m { q.storage[i * k + j] = columnMajor[j * m + i] }
    }
    return (q, r)
}

/// The `[k × n]` upper-triangular (trapezoidal when `m < n`) factor `R` of `a = Q·R`,
/// `k = min(m, n)`, without forming `Q`: what singular values and right singular vectors need
/// (`R` has the same ones as `a`). Half the work of `thinQR`, which also runs `sorgqr`.
public func qrR(_ a: Matrix) throws -> Matrix {
    guard min(a.rows, a.cols) > 0 else { return Matrix(rows: 0, cols: a.cols) }
    try requireFinite(a, "qrR")
    return try householderR(a).r
}

/// `sgeqrf` of `a` (finite, non-empty): `R` copied out, and the column-major factorised storage
/// and `tau` for whoever goes on to form `Q`.
private func householderR(_ a: Matrix) throws -> (r: Matrix, columnMajor: [Float], tau: [Float]) {
    let m = a.rows, n = a.cols, k = min(m, n)
    // QR needs a itself column-major, so here one transposed copy is unavoidable.
    var columnMajor = transposedStorage(a)
    let tau = try householderQR(rows: m, cols: n, storage: &columnMajor)
    var r = Matrix(rows: k, cols: n)
    for i in 0 ..< k {
        for j in i ..< n { r.storage[i * n + j] = columnMajor[j * m + i] }
    }
    return (r, columnMajor, tau)
}

/// Householder QR (`sgeqrf`) of the column-major `rows × cols` matrix in `storage`, in place: `R`
/// in the upper triangle, the reflectors below it; returns their scalar factors `tau`.
@discardableResult
private func householderQR(rows: Int, cols: Int, storage: inout [Float]) throws -> [Float] {
    var m32 = Int32(rows), n32 = Int32(cols), info: Int32 = 0
    var tau = [Float](repeating: 0, count: min(rows, cols))
    var lwork: Int32 = -1, workSize: Float = 0
    sgeqrf_(&m32, &n32, &storage, &m32, &tau, &workSize, &lwork, &info)
    try check(info, "sgeqrf workspace query")
    lwork = workspaceCount(workSize)
    var work = [Float](repeating: 0, count: Int(lwork))
    sgeqrf_(&m32, &n32, &storage, &m32, &tau, &work, &lwork, &info)
    try check(info, "sgeqrf")
    return tau
}

/// Runs `sgesdd` on the column-major `rows × cols` matrix in `storage` (destroyed), with a
/// workspace query first. `left`/`right` receive U and Vᵀ for `jobz == "S"`.
private func gesdd(jobz: String, rows: Int, cols: Int, storage: inout [Float], s: inout [Float],
                   left: inout [Float], leftLead: Int, right: inout [Float], rightLead: Int) throws {
    var m32 = Int32(rows), n32 = Int32(cols), lda = Int32(max(rows, 1))
    var ldu = Int32(leftLead), ldvt = Int32(rightLead), info: Int32 = 0
    var iwork = [Int32](repeating: 0, count: 8 * min(rows, cols))
    var lwork: Int32 = -1, workSize: Float = 0
    sgesdd_(jobz, &m32, &n32, &storage, &lda, &s, &left, &ldu, &right, &ldvt, &workSize, &lwork, &iwork, &info)
    try check(info, "sgesdd workspace query")
    lwork = workspaceCount(workSize)
    var work = [Float](repeating: 0, count: Int(lwork))
    sgesdd_(jobz, &m32, &n32, &storage, &lda, &s, &left, &ldu, &right, &ldvt, &work, &lwork, &iwork, &info)
    try check(info, "sgesdd")
}

/// A workspace size reported by LAPACK as a Float, rounded up with a margin: single precision
/// cannot represent every large integer, and an undersized workspace is an error.
private func workspaceCount(_ reported: Float) -> Int32 {
    Int32(min(Double(reported) * 1.0001 + 16, Double(Int32.max)))
}

private func check(_ info: Int32, _ routine: String) throws {
    if info < 0 { throw DecompositionError("\(routine): argument \(-info) is invalid") }
    if info > 0 { throw DecompositionError("\(routine) did not converge (info \(info))") }
}

private func requireFinite(_ a: Matrix, _ name: String) throws {
    guard a.storage.allSatisfy({ $0.isFinite }) else {
        throw DecompositionError("\(name): the \(a.rows)×\(a.cols) input has NaN or infinite entries")
    }
}

/// The storage of `a` column-major (that is, of `aᵀ` row-major).
private func transposedStorage(_ a: Matrix) -> [Float] {
    var out = [Float](repeating: 0, count: a.storage.count)
    for i in 0 ..< a.rows {
        for j in 0 ..< a.cols { out[j * a.rows + i] = a.storage[i * a.cols + j] }
    }
    return out
}
