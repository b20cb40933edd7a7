import LinearAlgebra
import Testing

/// Naive triple loop: an independent reference for the LAPACK-backed factorisations.
private func product(_ a: Matrix, _ b: Matrix) -> Matrix {
    var c = Matrix(rows: a.rows, cols: b.cols)
    for i in 0 ..< a.rows {
        for j in 0 ..< b.cols {
            var sum: Double = 0
            for k in 0 ..< a.cols { sum += Double(a[i, k]) * Double(b[k, j]) }
            c[i, j] = Float(sum)
        }
    }
    return c
}

private func transpose(_ a: Matrix) -> Matrix {
    var t = Matrix(rows: a.cols, cols: a.rows)
    for i in 0 ..< a.rows { for j in 0 ..< a.cols { t[j, i] = a[i, j] } }
    return t
}

private func scaleColumns(_ a: Matrix, _ s: [Float]) -> Matrix {
    var out = a
    for i in 0 ..< a.rows { for j in 0 ..< a.cols { out[i, j] *= s[j] } }
    return out
}

private func maxDifference(_ a: Matrix, _ b: Matrix) -> Float {
    zip(a.storage, b.storage).map { abs($0 - $1) }.max() ?? 0
}

private func identity(_ n: Int) -> Matrix {
    var m = Matrix(rows: n, cols: n)
    for i in 0 ..< n { m[i, i] = 1 }
    return m
}

@Suite struct DecompositionTests {
    @Test(arguments: [(7, 5), (5, 7), (6, 6), (1, 4), (64, 3)])
    func svdReconstructsAndIsOrthonormal(m: Int, n: Int) throws {
        var rng = SeededGenerator(seed: UInt64(m * 100 + n))
        let a = rng.gaussianMatrix(rows: m, cols: n)
        let (u, s, vt) = try svd(a)
        let k = min(m, n)
        #expect(u.rows == m && u.cols == k && vt.rows == k && vt.cols == n && s.count == k)
        #expect(maxDifference(product(scaleColumns(u, s), vt), a) < 1e-5)
        #expect(maxDifference(product(transpose(u), u), identity(k)) < 1e-5)
        #expect(maxDifference(product(vt, transpose(vt)), identity(k)) < 1e-5)
        #expect(zip(s, s.dropFirst()).allSatisfy { $0 >= $1 })
        let values = try singularValues(a)
        #expect(zip(values, s).allSatisfy { abs($0 - $1) < 1e-5 })
    }

    @Test(arguments: [(200, 6), (9, 6), (4, 7)])
    func rightSingularVectorsMatchSVD(m: Int, n: Int) throws {
        var rng = SeededGenerator(seed: UInt64(m + n))
        var a = rng.gaussianMatrix(rows: m, cols: n)
        for i in 0 ..< m { for j in 0 ..< n { a[i, j] *= Float(j + 1) } }  // distinct singular values
        let (s, vt) = try rightSingularVectors(a)
        let full = try svd(a)
        #expect(s.count == full.s.count && vt.rows == full.vt.rows && vt.cols == n)
        #expect(zip(s, full.s).allSatisfy { abs($0 - $1) <= 1e-4 * full.s[0] })
        // Same vectors up to sign: |⟨vᵢ, v′ᵢ⟩| = 1.
        for i in 0 ..< vt.rows {
            let dot = (0 ..< n).reduce(Float(0)) { $0 + vt[i, $1] * full.vt[i, $1] }
            #expect(abs(abs(dot) - 1) < 1e-4)
        }
    }

    @Test func knownSpectrum() throws {
        // A permuted, sign-flipped diagonal has singular values |d| sorted; a rank-1 outer
        // product x yᵀ has one non-zero singular value ‖x‖·‖y‖.
        let a = Matrix(rows: 3, cols: 3, storage: [0, -2, 0,
                                                   0, 0, 5,
                                                   1, 0, 0])
        let s = try singularValues(a)
        #expect(zip(s, [5, 2, 1] as [Float]).allSatisfy { abs($0 - $1) < 1e-6 })
        let x: [Float] = [1, 2, 2], y: [Float] = [3, 4]
        let outer = Matrix(rows: 3, cols: 2, storage: x.flatMap { xi in y.map { xi * $0 } })
        let r1 = try singularValues(outer)
        #expect(abs(r1[0] - 15) < 1e-5 && abs(r1[1]) < 1e-5)
    }

    @Test func symmetricEigenKnownAndRandom() throws {
        let (values, vectors) = try symmetricEigen(Matrix(rows: 2, cols: 2, storage: [2, 1, 1, 2]))
        #expect(abs(values[0] - 3) < 1e-6 && abs(values[1] - 1) < 1e-6)
        let h = Float(0.5).squareRoot()
        #expect(abs(abs(vectors[0, 0]) - h) < 1e-6 && abs(vectors[0, 0] - vectors[0, 1]) < 1e-6)

        var rng = SeededGenerator(seed: 7)
        let b = rng.gaussianMatrix(rows: 9, cols: 6)
        let sym = product(transpose(b), b) // 6 × 6, positive semi-definite
        let (w, v) = try symmetricEigen(sym)
        #expect(zip(w, w.dropFirst()).allSatisfy { $0 >= $1 })
        // Rows are eigenvectors: sym · vᵢ = wᵢ vᵢ, i.e. v · sym = diag(w) · v.
        var scaled = v
        for i in 0 ..< 6 { for j in 0 ..< 6 { scaled[i, j] *= w[i] } }
        #expect(maxDifference(product(v, sym), scaled) < 1e-4)
        #expect(maxDifference(product(v, transpose(v)), identity(6)) < 1e-5)
        // Eigenvalues of BᵀB are the squared singular values of B.
        let s = try singularValues(b)
        #expect(zip(w, s).allSatisfy { abs($0 - $1 * $1) < 1e-3 })
    }

    @Test(arguments: [(8, 5), (5, 8), (4, 4)])
    func thinQRFactors(m: Int, n: Int) throws {
        var rng = SeededGenerator(seed: UInt64(m * 10 + n))
        let a = rng.gaussianMatrix(rows: m, cols: n)
        let (q, r) = try thinQR(a)
        let k = min(m, n)
        #expect(q.rows == m && q.cols == k && r.rows == k && r.cols == n)
        #expect(maxDifference(product(q, r), a) < 1e-5)
        #expect(maxDifference(product(transpose(q), q), identity(k)) < 1e-5)
        for i in 0 ..< k { for j in 0 ..< min(i, n) { #expect(r[i, j] == 0) } }
    }

    @Test func emptyAndNonFiniteInput() throws {
        let (u, s, vt) = try svd(Matrix(rows: 0, cols: 4))
        #expect(u.rows == 0 && s.isEmpty && vt.cols == 4)
        let bad = Matrix(rows: 2, cols: 2, storage: [1, .nan, 0, 1])
        #expect(throws: DecompositionError.self) { try svd(bad) }
        #expect(throws: DecompositionError.self) { try symmetricEigen(bad) }
        #expect(throws: DecompositionError.self) { try thinQR(bad) }
        #expect(throws: DecompositionError.self) { try symmetricEigen(Matrix(rows: 2, cols: 3)) }
    }
}
