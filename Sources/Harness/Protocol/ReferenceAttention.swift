import Foundation
import LinearAlgebra
import Model

/// Recomputes attention over the exact K/V for the queries the model used (with the model's own
/// `Attention`, so both outputs come from the same arithmetic), and measures how far the
/// model's output over the compressed K/V is from it: `‖o′ − o‖ / ‖o‖` per query head and query.
/// Scratch is reused between calls.
struct ReferenceAttention {
    let shape: AttentionShape
    private var scores: [Float] = []
    private var reference: [Float] = []
    private var visible: [Int] = []

    init(shape: AttentionShape) {
        self.shape = shape
    }

    /// Sum of relative errors and how many (query, head) pairs were counted (pairs with `o = 0`
    /// are skipped). `keys`/`values` are `[keyCount × kvWidth]`, keys post-RoPE, at positions
    /// `0..<keyCount`; `queries` and `output` are `[t × queryWidth]`, the queries at the ascending
    /// `queryPositions`, each seeing the exact keys at or before its position.
    mutating func relativeErrors(queries: Matrix, queryPositions: [Int], keys: UnsafePointer<Float>,
                                 values: UnsafePointer<Float>, keyCount n: Int, output: Matrix) -> (Double, Int) {
        let t = queries.rows, d = shape.headDim, qWidth = shape.queryWidth
        visible = queryPositions.map { min($0 + 1, n) }
        let needed = Attention.scoreCount(shape: shape, tokens: t, contextRows: n)
        if scores.count < needed { scores = [Float](repeating: 0, count: needed) }
        if reference.count < t * qWidth { reference = [Float](repeating: 0, count: t * qWidth) }
        queries.storage.withUnsafeBufferPointer { q in
            visible.withUnsafeBufferPointer { visible in
                scores.withUnsafeMutableBufferPointer { s in
                    reference.withUnsafeMutableBufferPointer { r in
                        Attention.run(shape: shape, tokens: t, queries: q.baseAddress!, keys: keys, values: values,
                                      visible: visible.baseAddress!, scores: s.baseAddress!, output: r.baseAddress!)
                    }
                }
            }
        }
        var sum = 0.0, counted = 0
        output.storage.withUnsafeBufferPointer { o in
            reference.withUnsafeBufferPointer { r in
                for i in 0 ..< t {
                    for h in 0 ..< shape.heads {
                        let model = o.baseAddress! + i * qWidth + h * d, exact = r.baseAddress! + i * qWidth + h * d
                        var difference = 0.0, norm = 0.0
                        for j in 0 ..< d {
                            let e = Double(exact[j]), delta = Double(model[j]) - e
                            difference += delta * delta
                            norm += e * e
                        }
                        guard norm > 0 else { continue }
                        sum += (difference / norm).squareRoot()
                        counted += 1
                    }
                }
            }
        }
        return (sum, counted)
    }
}
