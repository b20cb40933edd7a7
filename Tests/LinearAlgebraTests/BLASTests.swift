import LinearAlgebra
import Testing

/// The naive triple loop the BLAS wrappers are checked against (in Double).
private func naiveProduct(_ a: Matrix, _ b: Matrix, transposeA: Bool, transposeB: Bool) -> Matrix {
    let m = transposeA ? a.cols : a.rows, k = transposeA ? a.rows : a.cols, n = transposeB ? b.rows : b.cols
    var c = Matrix(rows: m, cols: n)
    for i in 0 ..< m {
        for j in 0 ..< n {
            var sum = 0.0
            for l in 0 ..< k {
                sum += Double(transposeA ? a[l, i] : a[i, l]) * Double(transposeB ? b[j, l] : b[l, j])
            }
            c[i, j] = Float(sum)
        }
    }
    return c
}

private func close(_ x: Matrix, _ y: Matrix, tolerance: Float = 1e-4) -> Bool {
    x.rows == y.rows && x.cols == y.cols && zip(x.storage, y.storage).allSatisfy { abs($0 - $1) <= tolerance * max(1, abs($1)) }
}

@Suite("BLAS wrappers")
struct BLASTests {
    @Test("matmul equals the naive product for every transpose combination",
          arguments: [(false, false), (true, false), (false, true), (true, true)])
    func matmulTransposes(flags: (Bool, Bool)) {
        var generator = SeededGenerator(seed: 1)
        let (ta, tb) = flags
        let a = generator.gaussianMatrix(rows: ta ? 7 : 5, cols: ta ? 5 : 7)
        let b = generator.gaussianMatrix(rows: tb ? 3 : 7, cols: tb ? 7 : 3)
        let c = matmul(a, b, transposeA: ta, transposeB: tb)
        #expect(c.rows == 5 && c.cols == 3)
        #expect(close(c, naiveProduct(a, b, transposeA: ta, transposeB: tb)))
    }

    @Test("matmulAccumulate computes alpha·A·B + beta·C")
    func accumulate() {
        var generator = SeededGenerator(seed: 2)
        let a = generator.gaussianMatrix(rows: 4, cols: 6), b = generator.gaussianMatrix(rows: 6, cols: 5)
        let c0 = generator.gaussianMatrix(rows: 4, cols: 5)
        var c = c0
        matmulAccumulate(a, b, into: &c, alpha: 2, beta: 0.5)
        let product = naiveProduct(a, b, transposeA: false, transposeB: false)
        let expected = Matrix(rows: 4, cols: 5, storage: zip(product.storage, c0.storage).map { 2 * $0 + 0.5 * $1 })
        #expect(close(c, expected))
        var plain = c0
        matmulAccumulate(a, b, into: &plain)
        #expect(close(plain, Matrix(rows: 4, cols: 5, storage: zip(product.storage, c0.storage).map { $0 + $1 })))
    }

    @Test("an empty inner dimension gives beta·C")
    func emptyInner() {
        let a = Matrix(rows: 2, cols: 0), b = Matrix(rows: 0, cols: 3)
        #expect(matmul(a, b) == Matrix(rows: 2, cols: 3))
        var c = Matrix(rows: 2, cols: 3, repeating: 4)
        matmulAccumulate(a, b, into: &c, beta: 0.5)
        #expect(c == Matrix(rows: 2, cols: 3, repeating: 2))
    }

    /// The hot path multiplies column blocks of wider buffers in place through leading dimensions.
    @Test("raw gemm on column blocks writes only its block")
    func rawColumnBlocks() {
        var generator = SeededGenerator(seed: 4)
        let wide = generator.gaussianMatrix(rows: 3, cols: 10)  // A = columns 2..<6
        let b = generator.gaussianMatrix(rows: 5, cols: 4)      // used transposed: Bᵀ is 4×5
        var out = Matrix(rows: 3, cols: 9, repeating: -1)       // C = columns 4..<9
        wide.storage.withUnsafeBufferPointer { pa in
            b.storage.withUnsafeBufferPointer { pb in
                out.storage.withUnsafeMutableBufferPointer { pc in
                    BLAS.gemm(transposeB: true, m: 3, n: 5, k: 4, a: pa.baseAddress! + 2, lda: 10,
                              b: pb.baseAddress!, ldb: 4, c: pc.baseAddress! + 4, ldc: 9)
                }
            }
        }
        var block = Matrix(rows: 3, cols: 4)
        for r in 0 ..< 3 { for c in 0 ..< 4 { block[r, c] = wide[r, c + 2] } }
        let expected = naiveProduct(block, b, transposeA: false, transposeB: true)
        for r in 0 ..< 3 {
            #expect(out.row(r)[..<4].allSatisfy { $0 == -1 })
            #expect(zip(out.row(r)[4...], expected.row(r)).allSatisfy { abs($0 - $1) < 1e-4 })
        }
    }

    /// Large enough to be split across threads, with a row length that is not a multiple of 16.
    @Test("streamingGEMV equals the naive product, split or not, plain and accumulating", arguments: [1, 2, 3])
    func streamingGEMV(threads: Int) {
        var generator = SeededGenerator(seed: 5)
        let rows = 1000, cols = 300
        let w = generator.gaussianMatrix(rows: rows, cols: cols), x = generator.gaussianMatrix(rows: cols, cols: 1)
        let expected = naiveProduct(w, x, transposeA: false, transposeB: false)
        var y = [Float](repeating: 1, count: rows)
        w.storage.withUnsafeBufferPointer { pw in
            x.storage.withUnsafeBufferPointer { px in
                y.withUnsafeMutableBufferPointer { py in
                    BLAS.streamingGEMV(pw.baseAddress!, rows: rows, cols: cols, x: px.baseAddress!,
                                       accumulate: true, into: py.baseAddress!, threads: threads)
                }
            }
        }
        #expect(close(Matrix(rows: rows, cols: 1, storage: y.map { $0 - 1 }), expected, tolerance: 1e-3))
        w.storage.withUnsafeBufferPointer { pw in
            x.storage.withUnsafeBufferPointer { px in
                y.withUnsafeMutableBufferPointer { py in
                    BLAS.streamingGEMV(pw.baseAddress!, rows: rows, cols: cols, x: px.baseAddress!,
                                       into: py.baseAddress!, threads: threads)
                }
            }
        }
        #expect(close(Matrix(rows: rows, cols: 1, storage: y), expected))
    }
}
