import CompressorRegistry
import KVCompression
import LinearAlgebra
import Testing

/// Largest |x̂ − x| over all entries, and the largest row norm of `x` (the scale of fp16 error).
private func error(_ block: KVBlock, _ x: Matrix) -> (max: Float, scale: Float) {
    let worst = zip(block.vectors.storage, x.storage).map { abs($0 - $1) }.max() ?? 0
    let scale = (0 ..< x.rows).map { r in x.row(r).map { $0 * $0 }.reduce(0, +).squareRoot() }.max() ?? 0
    return (worst, scale)
}

/// `[n × 64]` data of exact rank `r`, no mean.
private func exactRank(_ r: Int, rows n: Int, seed: UInt64) -> Matrix {
    var generator = SeededGenerator(seed: seed)
    let a = generator.gaussianMatrix(rows: n, cols: r), b = generator.gaussianMatrix(rows: r, cols: 64)
    var x = Matrix(rows: n, cols: 64)
    for i in 0 ..< n { for k in 0 ..< r { for j in 0 ..< 64 { x[i, j] += a[i, k] * b[k, j] } } }
    return x
}

private func type(_ id: String) throws -> any KVCompressor.Type { try #require(Registry.compressor(id: id)) }

private func encodedSize(_ spec: String, _ data: Matrix, blocks: [Int]) throws -> Int {
    let configuration = try CompressorConfiguration(parsing: spec)
    let instance = try make(try type(configuration.id), spec).instance
    try append(data, to: instance, blocks: blocks)
    return try instance.encode().count
}

@Suite struct ClosedFormTests {
    /// fp16 keeps 11 significant bits; allow a few roundings (coefficients, basis) per entry.
    static let fp16Tolerance: Float = 4 * 0x1p-11

    @Test(arguments: ["fixed-projection:rank=64", "static-pca:rank=64", "random-projection:rank=64", "online-svd:rank=64,buffer=16"])
    func fullRankReconstructsToFp16Precision(spec: String) throws {
        let x = structuredData(rows: 150, cols: 64, seed: 5)
        let instance = try make(try type(try CompressorConfiguration(parsing: spec).id), spec).instance
        try append(x, to: instance, blocks: [100, 1, 20, 29])
        let (worst, scale) = error(try instance.reconstruct(), x)
        #expect(worst <= Self.fp16Tolerance * scale, "max error \(worst) at row-norm scale \(scale)")
    }

    @Test(arguments: [1, 5, 12])
    func onlineSVDRecoversExactRankDataIncrementally(rank: Int) throws {
        let x = exactRank(rank, rows: 300, seed: UInt64(rank))
        let instance = try make(try type("online-svd"), "online-svd:rank=\(rank),buffer=16").instance
        // A prefix folded at once, then single tokens and chunks that fill and fold the buffer.
        try append(x, to: instance, blocks: [120] + Array(repeating: 1, count: 20) + [7, 33, 64, 56])
        let (worst, scale) = error(try instance.reconstruct(), x)
        #expect(worst <= Self.fp16Tolerance * scale, "max error \(worst) at row-norm scale \(scale)")
        // Starting from nothing, folding only through the buffer, must hold too.
        let incremental = try make(try type("online-svd"), "online-svd:rank=\(rank),buffer=16").instance
        try append(x, to: incremental, blocks: Array(repeating: 10, count: 30))
        let (worst2, _) = error(try incremental.reconstruct(), x)
        #expect(worst2 <= Self.fp16Tolerance * scale, "max error \(worst2) at row-norm scale \(scale)")
    }

    @Test func onlineSVDEnergyFindsTheTrueRank() throws {
        let x = exactRank(3, rows: 200, seed: 11)
        let byEnergy = try encodedSize("online-svd:energy=0.9999", x, blocks: [200])
        #expect(byEnergy == (try encodedSize("online-svd:rank=3", x, blocks: [200])))
        #expect(byEnergy < (try encodedSize("online-svd:rank=4", x, blocks: [200])))
    }

    @Test func staticPCABasisIsTheTopCovarianceEigenvectors() throws {
        let r = 4
        let (_, _, shared) = try make(try type("static-pca"), "static-pca:rank=\(r)")
        let basis = try shared.basis(for: keysHead, context: "test")
        let samples = try SyntheticCalibration().samples(layer: keysHead.layer, kvHead: keysHead.kvHead, kind: .keys)
        let n = samples.rows, d = samples.cols
        // Independent route: the covariance matrix and its eigenvectors.
        var mean = [Double](repeating: 0, count: d)
        for i in 0 ..< n { for j in 0 ..< d { mean[j] += Double(samples[i, j]) / Double(n) } }
        var covariance = Matrix(rows: d, cols: d)
        for a in 0 ..< d {
            for b in 0 ..< d {
                var sum = 0.0
                for i in 0 ..< n { sum += (Double(samples[i, a]) - mean[a]) * (Double(samples[i, b]) - mean[b]) }
                covariance[a, b] = Float(sum / Double(n))
            }
        }
        let eigen = try symmetricEigen(covariance)
        #expect(basis.mean?.count == d)
        #expect(zip(basis.mean ?? [], mean).allSatisfy { abs(Double($0) - $1) < 1e-5 })
        #expect(basis.rank == r)
        for i in 0 ..< r {
            for k in 0 ..< r {
                // Orthonormal rows, and the same subspace as the top-r eigenvectors (compared as
                // projectors, which is insensitive to signs and rotations within the subspace).
                let dot = (0 ..< d).reduce(Float(0)) { $0 + basis.directions[i, $1] * basis.directions[k, $1] }
                #expect(abs(dot - (i == k ? 1 : 0)) < 1e-5)
            }
        }
        for a in 0 ..< d {
            for b in 0 ..< d {
                let p = (0 ..< r).reduce(Float(0)) { $0 + basis.directions[$1, a] * basis.directions[$1, b] }
                let q = (0 ..< r).reduce(Float(0)) { $0 + eigen.vectors[$1, a] * eigen.vectors[$1, b] }
                #expect(abs(p - q) < 1e-3)
            }
        }
    }

    @Test(arguments: ["q8_0", "q4_0"])
    func quantisationErrorWithinTheBlockBound(id: String) throws {
        var x = structuredData(rows: 64, cols: 64, seed: 8)
        for i in 0 ..< 64 { for j in 0 ..< 64 { x[i, j] *= Float(1 + i % 7) } }  // varied block scales
        let instance = try make(try type(id), id).instance
        try append(x, to: instance, blocks: [40, 24])
        let block = try instance.reconstruct()
        for start in stride(from: 0, to: x.storage.count, by: 32) {
            let values = x.storage[start ..< start + 32]
            let amax = values.map { abs($0) }.max()!
            // q8_0: rounding to a step of d = amax/127, plus the scale's own fp16 rounding (≤ 127 steps of d·2⁻¹¹).
            // q4_0: step d = amax/8; the value opposite the extreme can clamp a full step; scale rounding ≤ 8·d·2⁻¹¹.
            let bound = id == "q8_0" ? amax / 127 * (0.5 + 127 * 0x1p-11) : amax / 8 * (1 + 8 * 0x1p-11)
            for k in start ..< start + 32 {
                #expect(abs(block.vectors.storage[k] - x.storage[k]) <= bound * 1.0001, "block at \(start), value \(k)")
            }
        }
        // Fixed formats: 9 bytes of header, then 34 or 18 bytes per 32 values.
        #expect(try instance.encode().count == 9 + 64 * 2 * (id == "q8_0" ? 34 : 18))
    }

    @Test func q4_0MatchesLlamaCppLayout() throws {
        // x_j = j − 16: the extreme is −16, so d = −16 / −8 = 2 and code_j = ⌊(j − 16)/2 + 8.5⌋ =
        // ⌊(j + 1)/2⌋ capped at 15; byte j holds code_j (low nibble) and code_{j+16} (high).
        var x = Matrix(rows: 1, cols: 64)
        for j in 0 ..< 64 { x[0, j] = Float(j % 32) - 16 }
        let instance = try make(try type("q4_0"), "q4_0").instance
        try instance.append(x, positions: [0])
        let bytes = try instance.encode()
        let code = { (j: Int) in UInt8(min(15, (j + 1) / 2)) }
        let expected: [UInt8] = [0x00, 0x40] + (0 ..< 16).map { code($0) | code($0 + 16) << 4 }
        #expect(Array(bytes[9 ..< 27]) == expected)
        #expect(try instance.reconstruct().vectors.row(0)[0 ..< 32].elementsEqual((0 ..< 32).map { Float((Int(code($0)) - 8) * 2) }))
    }

    @Test(arguments: ["fixed-projection", "static-pca", "random-projection"], [2.0, 3.0, 4.0, 8.0])
    func sharedBasisRatioIsMetWithinOneRankStep(id: String, ratio: Double) throws {
        let x = structuredData(rows: 100, cols: 64, seed: 3)
        let atRatio = try encodedSize("\(id):ratio=\(ratio)", x, blocks: [100])
        let rank1 = try encodedSize("\(id):rank=1", x, blocks: [100])
        // Each extra component costs 2 bytes per token; the coefficients must meet the ratio
        // against fp16 (2 · 64 bytes per token) and one more component must not.
        #expect((atRatio - rank1) % 200 == 0)
        let r = (atRatio - rank1) / 200 + 1
        #expect(Double(2 * r) * ratio <= 128 && Double(2 * (r + 1)) * ratio > 128)
    }

    @Test(arguments: [2.0, 4.0, 8.0, 16.0])
    func onlineSVDRatioCountsEverythingWithinOneRankStep(ratio: Double) throws {
        let x = structuredData(rows: 300, cols: 64, seed: 4)
        let fp16 = 300 * 64 * 2
        let atRatio = try encodedSize("online-svd:ratio=\(ratio)", x, blocks: [300])
        #expect(Double(atRatio) * ratio <= Double(fp16))
        let sizes = try (1 ... 64).map { try encodedSize("online-svd:rank=\($0)", x, blocks: [300]) }
        let r = try #require(sizes.firstIndex(of: atRatio)) + 1
        #expect(r == 64 || Double(sizes[r]) * ratio > Double(fp16))
    }
}
