import LinearAlgebra
import Model

/// RoPE cosines and sines of positions `0 ..< count`, computed once per run: the harness rotates
/// every reconstructed key block at every chunk, and recomputing the angles each time would cost
/// more than the rotation itself. Rotations equal `RoPE.rotate(_:positions:)` bit for bit (same
/// table entries, same arithmetic).
struct RotationTable {
    let rope: RoPE
    let count: Int
    private let cosines: [Float]
    private let sines: [Float]

    init(rope: RoPE, count: Int) {
        self.rope = rope
        self.count = count
        var cosines = [Float](repeating: 0, count: count * rope.headDim / 2), sines = cosines
        cosines.withUnsafeMutableBufferPointer { c in
            sines.withUnsafeMutableBufferPointer { s in
                rope.table(positions: 0 ..< count, cosines: c.baseAddress!, sines: s.baseAddress!)
            }
        }
        self.cosines = cosines
        self.sines = sines
    }

    /// Rotates every head of row `r` of `x` to `positions[r]` (ascending, each below `count`).
    func rotate(_ x: inout Matrix, positions: [Int]) {
        precondition(positions.count == x.rows && x.cols % rope.headDim == 0, "RotationTable: shape mismatch")
        guard let first = positions.first else { return }
        guard positions.last! < count else { return rope.rotate(&x, positions: positions) }
        let half = rope.headDim / 2, cols = x.cols, heads = cols / rope.headDim
        let contiguous = positions.last! - first == positions.count - 1
        x.storage.withUnsafeMutableBufferPointer { buffer in
            cosines.withUnsafeBufferPointer { c in
                sines.withUnsafeBufferPointer { s in
                    if contiguous {
                        rope.rotate(buffer.baseAddress!, rows: positions.count, stride: cols, heads: heads,
                                    cosines: c.baseAddress! + first * half, sines: s.baseAddress! + first * half)
                    } else {
                        for (r, p) in positions.enumerated() {
                            rope.rotate(buffer.baseAddress! + r * cols, rows: 1, stride: cols, heads: heads,
                                        cosines: c.baseAddress! + p * half, sines: s.baseAddress! + p * half)
                        }
                    }
                }
            }
        }
    }
}
