import CBLAS
import Foundation
import LinearAlgebra

/// Recomputes attention over the exact K/V for the queries the model used, and measures how far
/// the model's output (computed over the compressed K/V) is from it: `‖o′ − o‖ / ‖o‖` per query
/// head and query. Scores and outputs go through sgemm per query head; scratch is reused.
struct ReferenceAttention {
    let geometry: ModelGeometry
    private var scores: [Float] = []
    private var reference: [Float] = []

    init(geometry: ModelGeometry) {
        self.geometry = geometry
    }

    /// Sum of relative errors and how many (query, head) pairs were counted (pairs with `o = 0`
    /// are skipped). `keys`/`values` are `[keyCount × kvWidth]`, keys post-RoPE, at positions
    /// `0..<keyCount`; `queries` and `output` are `[t × queryHeads·headDim]`.
    mutating func relativeErrors(queries: Matrix, queryPositions: [Int], keys: UnsafePointer<Float>,
                                 values: UnsafePointer<Float>, keyCount n: Int, output: Matrix) -> (Double, Int) {
        let t = queries.rows, d = geometry.headDim
        let qWidth = geometry.queryHeads * d, kvWidth = geometry.kvWidth
        let group = geometry.queryHeads / geometry.kvHeads
        if scores.count < t * n { scores = [Float](repeating: 0, count: t * n) }
        if reference.count < t * d { reference = [Float](repeating: 0, count: t * d) }
        let scale = 1 / Float(d).squareRoot()
        let queryHeads = geometry.queryHeads
        var sum = 0.0, counted = 0
        queries.storage.withUnsafeBufferPointer { q in
            output.storage.withUnsafeBufferPointer { o in
                scores.withUnsafeMutableBufferPointer { s in
                    reference.withUnsafeMutableBufferPointer { r in
                        for h in 0 ..< queryHeads {
                            let g = h / group
                            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(t), Int32(n), Int32(d), scale,
                                        q.baseAddress! + h * d, Int32(qWidth), keys + g * d, Int32(kvWidth),
                                        0, s.baseAddress!, Int32(n))
                            for i in 0 ..< t {
                                let visible = min(queryPositions[i] + 1, n)
                                Self.softmaxInPlace(s.baseAddress! + i * n, visible: visible, total: n)
                            }
                            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(t), Int32(d), Int32(n), 1,
                                        s.baseAddress!, Int32(n), values + g * d, Int32(kvWidth), 0, r.baseAddress!, Int32(d))
                            for i in 0 ..< t {
                                var difference = 0.0, norm = 0.0
                                let model = o.baseAddress! + i * qWidth + h * d
                                let exact = r.baseAddress! + i * d
                                for j in 0 ..< d {
                                    let e = Double(exact[j])
                                    let delta = Double(model[j]) - e
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
            }
        }
        return (sum, counted)
    }

    /// Softmax over the first `visible` entries of a row; the rest (future positions) become 0.
    private static func softmaxInPlace(_ row: UnsafeMutablePointer<Float>, visible: Int, total: Int) {
        var maximum = -Float.infinity
        for j in 0 ..< visible { maximum = max(maximum, row[j]) }
        var denominator: Float = 0
        for j in 0 ..< visible {
            let e = expf(row[j] - maximum)
            row[j] = e
            denominator += e
        }
        let inverse = 1 / denominator
        for j in 0 ..< visible { row[j] *= inverse }
        for j in visible ..< total { row[j] = 0 }
    }
}
