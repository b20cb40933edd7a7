import Foundation
import Harness
import LinearAlgebra
import Testing

/// Naive `a · bᵀ` in Double: an independent reference for the factored spectra.
private func productTransposed(_ a: Matrix, _ b: Matrix) -> Matrix {
    var c = Matrix(rows: a.rows, cols: b.rows)
    for i in 0 ..< a.rows {
        for j in 0 ..< b.rows {
            var sum = 0.0
            for k in 0 ..< a.cols { sum += Double(a[i, k]) * Double(b[j, k]) }
            c[i, j] = Float(sum)
        }
    }
    return c
}

/// `[rows × cols]` with orthonormal columns; `meanFree` makes every column orthogonal to 1.
private func orthonormalColumns(rows: Int, cols: Int, seed: UInt64, meanFree: Bool = false) throws -> Matrix {
    var rng = SeededGenerator(seed: seed)
    var g = rng.gaussianMatrix(rows: rows, cols: cols)
    if meanFree {
        for c in 0 ..< cols {
            let mean = (0 ..< rows).map { g[$0, c] }.reduce(0, +) / Float(rows)
            for r in 0 ..< rows { g[r, c] -= mean }
        }
    }
    return try thinQR(g).q
}

private func scaleColumns(_ a: Matrix, _ s: [Float]) -> Matrix {
    var out = a
    for i in 0 ..< a.rows { for j in 0 ..< a.cols { out[i, j] *= s[j] } }
    return out
}

/// Random queries/keys with a large common offset, so that centring has something to remove.
private func randomQueriesAndKeys(heads: Int, tokens: Int, headDim: Int, seed: UInt64) -> (Matrix, Matrix) {
    var rng = SeededGenerator(seed: seed)
    let queries = rng.gaussianMatrix(rows: heads * tokens, cols: headDim)
    var keys = rng.gaussianMatrix(rows: tokens, cols: headDim)
    for i in 0 ..< tokens { for c in 0 ..< headDim { keys[i, c] += Float(c + 1) } }
    return (queries, keys)
}

@Suite struct SpectrumMathTests {
    @Test(arguments: LogitCentering.allCases, [1, 3])
    func everyRowOfTheCentredFieldSumsToZero(centering: LogitCentering, heads: Int) throws {
        let (queries, keys) = randomQueriesAndKeys(heads: heads, tokens: 40, headDim: 8, seed: 11)
        let field = try centredLogitField(queries: queries, keys: keys, centering: centering)
        #expect(field.rows == heads * 40 && field.cols == 40)
        let rowScale = field.storage.map { abs($0) }.max()!
        for r in 0 ..< field.rows {
            let sum = (0 ..< field.cols).map { Double(field[r, $0]) }.reduce(0, +)
            #expect(abs(sum) < 1e-5 * Double(rowScale) * 40, "row \(r) sums to \(sum)")
        }
        if centering == .causal {
            // Token i sees keys 0…i only; the rest of its row is zero.
            for r in 0 ..< field.rows { for j in (r % 40 + 1) ..< 40 { #expect(field[r, j] == 0) } }
        }
    }

    @Test func fullCentringHasRankAtMostHeadDimPlusOne() throws {
        let headDim = 8
        let (queries, keys) = randomQueriesAndKeys(heads: 2, tokens: 48, headDim: headDim, seed: 12)
        let full = try singularValues(centredLogitField(queries: queries, keys: keys, centering: .full))
        let numericalRank = full.filter { $0 > 1e-4 * full[0] }.count
        #expect(numericalRank <= headDim + 1)
        // The causal mask breaks the low-rank structure: the bound is specific to full centring.
        let causal = try singularValues(centredLogitField(queries: queries, keys: keys, centering: .causal))
        #expect(causal.filter { $0 > 1e-4 * causal[0] }.count > headDim + 1)
    }

    @Test(arguments: [1, 3])
    func factoredFieldSpectrumEqualsTheExplicitSVD(heads: Int) throws {
        let (queries, keys) = randomQueriesAndKeys(heads: heads, tokens: 64, headDim: 16, seed: 13)
        let explicit = try singularValues(centredLogitField(queries: queries, keys: keys, centering: .full))
        let factored = try centredLogitSingularValues(queries: queries, keys: keys, centering: .full)
        #expect(factored.count == 16)
        for i in 0 ..< factored.count { #expect(abs(factored[i] - explicit[i]) <= 1e-4 * explicit[0]) }
        for value in explicit.dropFirst(16) { #expect(value <= 1e-4 * explicit[0]) }
    }

    @Test func centredFieldWithAKnownSpectrum() throws {
        // Q = U·diag(s)·√d and keys with orthonormal mean-free columns plus a constant offset per
        // dimension: centring removes the offset, so Ẽ = U·diag(s)·Vᵀ exactly.
        let n = 96, d = 6
        let s: [Float] = [9, 5, 3, 2, 1, 0.5]
        let u = try orthonormalColumns(rows: n, cols: d, seed: 21)
        let queries = scaleColumns(u, s.map { $0 * Float(d).squareRoot() })
        var keys = try orthonormalColumns(rows: n, cols: d, seed: 22, meanFree: true)
        for i in 0 ..< n { for c in 0 ..< d { keys[i, c] += 3 - Float(c) } }
        let values = try centredLogitSingularValues(queries: queries, keys: keys, centering: .full)
        for (got, want) in zip(values, s) { #expect(abs(got - want) < 1e-4 * s[0]) }
    }

    @Test(arguments: [1, 3])
    func interactionSpectrumEqualsTheExplicitSVD(heads: Int) throws {
        let headDim = 4, modelDim = 24
        var rng = SeededGenerator(seed: 31)
        // Projections as ModelWeights gives them: [d_model × d_h], i.e. W_Q,hᵀ and W_K,gᵀ.
        let queryProjections = (0 ..< heads).map { _ in rng.gaussianMatrix(rows: modelDim, cols: headDim) }
        let keyProjection = rng.gaussianMatrix(rows: modelDim, cols: headDim)
        // M = [W_Q,hᵀ W_K,g; …] formed explicitly: (heads·d_model) × d_model.
        var explicitM = Matrix(rows: heads * modelDim, cols: modelDim)
        for (h, wq) in queryProjections.enumerated() {
            let block = productTransposed(wq, keyProjection)
            explicitM.storage.replaceSubrange(h * modelDim * modelDim ..< (h + 1) * modelDim * modelDim, with: block.storage)
        }
        let explicit = try singularValues(explicitM)
        let factored = try interactionSingularValues(queryProjections: queryProjections, keyProjection: keyProjection)
        #expect(factored.count == headDim)
        for i in 0 ..< headDim { #expect(abs(factored[i] - explicit[i]) <= 1e-4 * explicit[0]) }
        // At most d_h non-zero singular values.
        for value in explicit.dropFirst(headDim) { #expect(value <= 1e-5 * explicit[0]) }
    }

    @Test func interactionWithAKnownSpectrumGivesTheKnownCounts() throws {
        // W_Q,hᵀ = U·diag(s), W_K,gᵀ = V, so M = U·diag(s)·Vᵀ has singular values s.
        // Energies 50, 20, 10, 8, 5, 4, 2, 1 (total 100): cumulative 50, 70, 80, 88, 93, 97, 99, 100.
        let s: [Float] = [50, 20, 10, 8, 5, 4, 2, 1].map { Float($0).squareRoot() }
        let modelDim = 40
        let u = try orthonormalColumns(rows: modelDim, cols: s.count, seed: 41)
        let v = try orthonormalColumns(rows: modelDim, cols: s.count, seed: 42)
        let values = try interactionSingularValues(queryProjections: [scaleColumns(u, s)], keyProjection: v)
        let statistics = SpectrumStatistics(singularValues: values)
        #expect(statistics.counts == [5, 6, 7])
        // exp(H) of p = (0.5, 0.2, 0.1, 0.08, 0.05, 0.04, 0.02, 0.01), computed independently: 4.49791.
        #expect(abs(statistics.effectiveRank - 4.49791) < 1e-4)
    }

    @Test func equalSingularValuesGiveCeilingCountsAndFullEffectiveRank() {
        let statistics = SpectrumStatistics(singularValues: [Float](repeating: 2, count: 10) + [0, 0])
        #expect(statistics.counts == [9, 10, 10])
        #expect(abs(statistics.effectiveRank - 10) < 1e-9)
        #expect(statistics.top.count == 12 && statistics.top[0] == 2)
    }

    @Test func aZeroSpectrumCountsNothing() {
        let statistics = SpectrumStatistics(singularValues: [0, 0, 0])
        #expect(statistics.counts == [0, 0, 0] && statistics.effectiveRank == 0)
    }

    @Test func mismatchedShapesAreErrorsNotCrashes() {
        var rng = SeededGenerator(seed: 5)
        let keys = rng.gaussianMatrix(rows: 10, cols: 4)
        #expect(throws: HarnessError.self) {
            try centredLogitSingularValues(queries: rng.gaussianMatrix(rows: 15, cols: 4), keys: keys, centering: .full)
        }
        #expect(throws: HarnessError.self) {
            try centredLogitSingularValues(queries: rng.gaussianMatrix(rows: 10, cols: 3), keys: keys, centering: .causal)
        }
        #expect(throws: HarnessError.self) {
            try interactionSingularValues(queryProjections: [rng.gaussianMatrix(rows: 9, cols: 4)],
                                          keyProjection: rng.gaussianMatrix(rows: 8, cols: 4))
        }
    }
}
