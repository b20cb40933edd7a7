import LinearAlgebra

/// Singular values (descending, at most `d_h`) of a head's learned interaction
/// `M = W_Q,hᵀ · W_K,g` (`d_model × d_model`; the logit of hidden states `x`, `y` is
/// `x·M·yᵀ`), computed from the `d_h × d_h` core of thin QR factors; the big matrix is never
/// formed. For a KV-head unit the query heads of the group are stacked,
/// `M = [M_h1; M_h2; …]` (`g·d_model × d_model`), matching the stacked query rows of `Ẽ`.
/// - Parameters:
///   - queryProjections: each query head's projection as `ModelWeights` gives it,
///     `[d_model × d_h]` (a token's query is `x · P`), i.e. `W_Q,hᵀ`.
///   - keyProjection: the KV head's key projection, `[d_model × d_h]`, i.e. `W_K,gᵀ`.
public func interactionSingularValues(queryProjections: [Matrix], keyProjection: Matrix) throws -> [Float] {
    guard let first = queryProjections.first else { throw HarnessError("interaction spectrum: no query head") }
    let modelDim = keyProjection.rows, headDim = keyProjection.cols
    guard queryProjections.allSatisfy({ $0.rows == modelDim && $0.cols == headDim }) else {
        throw HarnessError("interaction spectrum: W_Q is \(first.rows)×\(first.cols), W_K is \(modelDim)×\(headDim)")
    }
    // Stacking the [d_model × d_h] blocks vertically is concatenating their row-major storage.
    let stacked = Matrix(rows: queryProjections.count * modelDim, cols: headDim,
                         storage: queryProjections.flatMap(\.storage))
    return try lowRankProductSingularValues(stacked, keyProjection)
}
