import LinearAlgebra

/// Singular values (descending, at most `d_h`) of a head's learned interaction
/// `M = W_Q,hᵀ · W_K,g` (`d_model × d_model`), computed from the `d_h × d_h` core of thin QR
/// factors of `W_Q,hᵀ` and `W_K,gᵀ`; the big matrix is never formed.
/// For a KV-head unit the query heads of the group are stacked, `M = [M_h1; M_h2; …]`
/// (`g·d_model × d_model`), matching the stacked query rows of the logit field.
/// - Parameters:
///   - queryProjections: each `W_Q,h` as stored, `[d_h × d_model]` (one row per output feature).
///   - keyProjection: `W_K,g`, `[d_h × d_model]`.
public func interactionSingularValues(queryProjections: [Matrix], keyProjection: Matrix) throws -> [Float] {
    guard let first = queryProjections.first else { throw HarnessError("interaction spectrum: no query head") }
    let headDim = keyProjection.rows, modelDim = keyProjection.cols
    guard queryProjections.allSatisfy({ $0.rows == headDim && $0.cols == modelDim }) else {
        throw HarnessError("interaction spectrum: W_Q is \(first.rows)×\(first.cols), W_K is \(headDim)×\(modelDim)")
    }
    // Stack W_Q,hᵀ vertically: block h holds the transpose of head h's [d_h × d_model] rows.
    var stacked = Matrix(rows: queryProjections.count * modelDim, cols: headDim)
    for (h, projection) in queryProjections.enumerated() {
        for r in 0 ..< headDim {
            for c in 0 ..< modelDim {
                stacked.storage[(h * modelDim + c) * headDim + r] = projection.storage[r * modelDim + c]
            }
        }
    }
    var keyTransposed = Matrix(rows: modelDim, cols: headDim)
    for r in 0 ..< headDim {
        for c in 0 ..< modelDim { keyTransposed.storage[c * headDim + r] = keyProjection.storage[r * modelDim + c] }
    }
    return try lowRankProductSingularValues(stacked, keyTransposed)
}
