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

    @Test func shortInputIsRejected() {
        #expect(Half.read(3, from: [0, 0, 0, 0, 0], at: 0) == nil)
        #expect(Half.read(1, from: [0, 0], at: 1) == nil)
        #expect(Half.read(1, from: [0, 0], at: 5) == nil)
        #expect(Half.read(0, from: [], at: 0) == [])
    }
}
