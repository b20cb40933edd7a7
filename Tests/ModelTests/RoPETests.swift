import Foundation
import LinearAlgebra
import Model
import Testing

@Suite("RoPE")
struct RoPETests {
    let rope = RoPE(headDim: 8, theta: 10_000)

    /// A basis vector in pair `i` at position `p` must come out as `(cos pθᵢ, sin pθᵢ)` in that
    /// pair, with `θᵢ = theta^(−2i/headDim)`, and zeros elsewhere.
    @Test("rotation of basis vectors in closed form", arguments: [0, 1, 7, 511, 1023])
    func closedForm(position: Int) {
        for pair in 0 ..< 4 {
            var x = Matrix(rows: 1, cols: 8)
            x[0, 2 * pair] = 1
            rope.rotate(&x, positions: [position])
            let angle = Double(position) * pow(10_000, -2 * Double(pair) / 8)
            for c in 0 ..< 8 {
                let expected: Double = c == 2 * pair ? cos(angle) : c == 2 * pair + 1 ? sin(angle) : 0
                #expect(abs(Double(x[0, c]) - expected) < 1e-6, "pair \(pair), column \(c)")
            }
        }
    }

    /// ⟨R(p)q, R(s)k⟩ depends only on p − s: what makes cached rotated keys reusable.
    @Test("dot products depend only on the relative position")
    func relativePosition() {
        var generator = SeededGenerator(seed: 7)
        let q = generator.gaussianMatrix(rows: 1, cols: 16), k = generator.gaussianMatrix(rows: 1, cols: 16)
        let wide = RoPE(headDim: 16, theta: 100_000)
        func rotatedDot(_ p: Int, _ s: Int) -> Float {
            var a = q, b = k
            wide.rotate(&a, positions: [p])
            wide.rotate(&b, positions: [s])
            return zip(a.storage, b.storage).reduce(0) { $0 + $1.0 * $1.1 }
        }
        let reference = rotatedDot(10, 3)
        for shift in [0, 1, 100, 900] {
            #expect(abs(rotatedDot(10 + shift, 3 + shift) - reference) < 1e-4 * max(1, abs(reference)))
        }
    }

    @Test("inverse undoes the rotation and norms are preserved per head")
    func inverseAndNorm() {
        var generator = SeededGenerator(seed: 3)
        let original = generator.gaussianMatrix(rows: 5, cols: 24)
        let positions = [0, 4, 9, 300, 8191]
        var x = original
        rope.rotate(&x, positions: positions)
        for r in 0 ..< 5 {
            for head in 0 ..< 3 {
                let range = r * 24 + head * 8 ..< r * 24 + head * 8 + 8
                let before = original.storage[range].reduce(0) { $0 + $1 * $1 }
                let after = x.storage[range].reduce(0) { $0 + $1 * $1 }
                #expect(abs(before - after) < 1e-4 * before)
            }
        }
        rope.rotate(&x, positions: positions, inverse: true)
        #expect(zip(x.storage, original.storage).allSatisfy { abs($0 - $1) < 1e-5 })
    }

    /// The pointer form (a table once per chunk, rows with a stride) must match the matrix form.
    @Test("table-driven strided rotation equals the matrix form")
    func stridedMatchesMatrix() {
        var generator = SeededGenerator(seed: 11)
        var wide = generator.gaussianMatrix(rows: 3, cols: 20)  // 2 heads of 8, then 4 untouched columns
        let positions = [5, 6, 7]
        var expected = Matrix(rows: 3, cols: 16)
        for r in 0 ..< 3 { for c in 0 ..< 16 { expected[r, c] = wide[r, c] } }
        rope.rotate(&expected, positions: positions)
        let untouched = (0 ..< 3).map { Array(wide.row($0)[16...]) }
        var cosines = [Float](repeating: 0, count: 12), sines = cosines
        rope.table(positions: positions, cosines: &cosines, sines: &sines)
        wide.storage.withUnsafeMutableBufferPointer { buffer in
            rope.rotate(buffer.baseAddress!, rows: 3, stride: 20, heads: 2, cosines: cosines, sines: sines)
        }
        for r in 0 ..< 3 {
            #expect(Array(wide.row(r)[..<16]) == expected.row(r))
            #expect(Array(wide.row(r)[16...]) == untouched[r])
        }
    }
}
