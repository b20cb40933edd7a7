import LinearAlgebra
import Testing

@Suite struct HalfTests {
    @Test func knownBitPatternsLittleEndian() {
        var bytes: [UInt8] = []
        Half.append([1, -2, 65504, 0.5], to: &bytes)
        // IEEE binary16: 1 = 0x3C00, -2 = 0xC000, 65504 = 0x7BFF (largest finite), 0.5 = 0x3800.
        #expect(bytes == [0x00, 0x3C, 0x00, 0xC0, 0xFF, 0x7B, 0x00, 0x38])
        #expect(Half.read(4, from: bytes, at: 0) == [1, -2, 65504, 0.5])
        #expect(Half.read(2, from: bytes, at: 4) == [65504, 0.5])
    }

    @Test func roundingMatchesBytesAndStaysWithinHalfUlp() {
        var rng = SeededGenerator(seed: 3)
        let values = (0 ..< 1000).map { _ in rng.gaussian() * 10 }
        var bytes: [UInt8] = []
        Half.append(values, to: &bytes)
        let back = Half.read(values.count, from: bytes, at: 0)!
        #expect(back == Half.rounded(values))
        #expect(back == Half.floats(Half.halves(values)))
        // fp16 has 11 significant bits: relative rounding error ≤ 2⁻¹¹ for normal values.
        for (x, y) in zip(values, back) where abs(x) > 1e-4 { #expect(abs(x - y) <= abs(x) * 0x1p-11) }
    }

    @Test func bitConversionsAgreeWithFloat16() {
        // Edges (ties, overflow threshold, subnormal boundary) and a stride over all patterns.
        let edges: [Float] = [0, -0, 1, 65504, 65519.99, 65520, -65520, 0x1p-14, 0x1p-24, 0x1p-25, 0x1.8p-25,
                              0x1.ffcp-15, 0x1.002p0, 0x1.006p0, 0x1.001p0, .infinity, -.infinity, .leastNonzeroMagnitude]
        var patterns = edges.map(\.bitPattern)
        patterns += stride(from: UInt32(0), to: UInt32.max - 40_000, by: 40_009).map { $0 }
        for bits in patterns {
            let x = Float(bitPattern: bits)
            let reference = Float16(x)
            if x.isNaN {
                #expect(Half.rounded(x).isNaN && Float16(bitPattern: Half.bits(of: x)).isNaN)
                continue
            }
            #expect(Half.rounded(x).bitPattern == Float(reference).bitPattern, "rounding \(x)")
            #expect(Half.bits(of: x) == reference.bitPattern, "bits of \(x)")
        }
        for h in 0 ... UInt16.max where !Float16(bitPattern: h).isNaN {
            #expect(Half.value(of: h).bitPattern == Float(Float16(bitPattern: h)).bitPattern)
        }
    }

    @Test func shortInputIsRejected() {
        #expect(Half.read(3, from: [0, 0, 0, 0, 0], at: 0) == nil)
        #expect(Half.read(1, from: [0, 0], at: 1) == nil)
        #expect(Half.read(1, from: [0, 0], at: 5) == nil)
        #expect(Half.read(0, from: [], at: 0) == [])
    }
}
