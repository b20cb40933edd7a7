import LinearAlgebra

/// Which entries of a logit row its mean is taken over before subtracting it.
public enum LogitCentering: String, Sendable, CaseIterable, Codable {
    /// Every one of the `n` keys (the paper's `Ẽ = L − rowmean(L)·1ᵀ`, no mask): since
    /// `rowmean(L)_i = q_i·k̄/√d`, this is `Q·(K − 1·k̄ᵀ)ᵀ/√d`, of rank ≤ d_h.
    case full
    /// Only the keys a causal query sees (`j ≤ i`); masked entries are 0. Not low rank: the
    /// mask is triangular, so this needs a full SVD.
    case causal
}

/// The row-centred logit field `Ẽ` of `g` query heads against one key head, written out
/// (`[g·n × n]`): rows `h·n ..< (h+1)·n` belong to the `h`-th stacked query head and row
/// `h·n + i` is the query of token `i`, whose causal mask admits keys `0…i`.
/// Logits are scaled by `1/√d` (`d = keys.cols`), as attention computes them.
/// - Parameters:
///   - queries: `[g·n × d]`, one block of `n` token rows per query head.
///   - keys: `[n × d]`, one row per token.
public func centredLogitField(queries: Matrix, keys: Matrix, centering: LogitCentering) throws -> Matrix {
    try checkLogitShapes(queries: queries, keys: keys)
    let n = keys.rows, d = keys.cols
    var field = Matrix(rows: queries.rows, cols: n)
    matmulAccumulate(queries, keys, into: &field, transposeB: true, alpha: 1 / Float(d).squareRoot(), beta: 0)
    field.storage.withUnsafeMutableBufferPointer { pl in
        for row in 0 ..< queries.rows {
            let visible = centering == .full ? n : row % n + 1
            let base = row * n
            var sum = 0.0
            for j in 0 ..< visible { sum += Double(pl[base + j]) }
            let mean = Float(sum / Double(visible))
            for j in 0 ..< visible { pl[base + j] -= mean }
            for j in visible ..< n { pl[base + j] = 0 }
        }
    }
    return field
}

/// Singular values (descending) of the centred logit field `Ẽ` defined by
/// `centredLogitField(queries:keys:centering:)`.
/// Full centring uses the exact low-rank form `Ẽ = (Q/√d)·(K − 1·k̄ᵀ)ᵀ` and a `d × d` core, so
/// a 512-token head costs two thin QRs; it returns at most `d` values (the rest are exactly 0).
/// Causal centring forms `Ẽ` and runs a values-only SVD (`sgesdd`, no vectors).
public func centredLogitSingularValues(queries: Matrix, keys: Matrix, centering: LogitCentering) throws -> [Float] {
    try checkLogitShapes(queries: queries, keys: keys)
    switch centering {
    case .causal:
        return try singularValues(centredLogitField(queries: queries, keys: keys, centering: .causal))
    case .full:
        let n = keys.rows, d = keys.cols
        var mean = [Double](repeating: 0, count: d)
        for i in 0 ..< n {
            for c in 0 ..< d { mean[c] += Double(keys.storage[i * d + c]) }
        }
        var centred = keys
        for i in 0 ..< n {
            for c in 0 ..< d { centred.storage[i * d + c] -= Float(mean[c] / Double(n)) }
        }
        let scale = 1 / Float(d).squareRoot()
        let scaled = Matrix(rows: queries.rows, cols: d, storage: queries.storage.map { $0 * scale })
        return try lowRankProductSingularValues(scaled, centred)
    }
}

private func checkLogitShapes(queries: Matrix, keys: Matrix) throws {
    guard keys.rows > 0, keys.cols > 0 else { throw HarnessError("logit field: no keys") }
    guard queries.cols == keys.cols else {
        throw HarnessError("logit field: queries have \(queries.cols) columns, keys \(keys.cols)")
    }
    guard queries.rows > 0, queries.rows % keys.rows == 0 else {
        throw HarnessError("logit field: \(queries.rows) query rows are not a whole number of \(keys.rows)-token heads")
    }
}
