import Dispatch
import LinearAlgebra

/// Causal grouped-query attention as batched matrix products: per query head and block of query
/// rows, one sgemm for the scores `Q·Kᵀ/√d` over the keys the block can see, a masked softmax
/// per row, and one sgemm for `P·V`. Blocks keep the causal waste of a prefill small (a block
/// only multiplies against keys up to its last row's position).
///
/// Public so that whoever needs attention over other keys and values for the same queries (the
/// harness's exact-versus-compressed attention error) computes it the same way.
public enum Attention {
    /// Query rows per block when a chunk has more than one token.
    public static let blockRows = 128

    /// Scores needed for one call with a context of `contextRows`, in floats: one block per
    /// query head when a chunk has several tokens (heads run in parallel).
    public static func scoreCount(shape: AttentionShape, tokens: Int, contextRows: Int) -> Int {
        tokens == 1 ? shape.groupSize * contextRows : shape.heads * min(tokens, blockRows) * contextRows
    }

    /// Writes attention outputs `[t × queryWidth]` for queries `[t × queryWidth]` (post-RoPE) over
    /// the context `keys`/`values` (`[n × kvWidth]`, keys post-RoPE). Query row `r` sees the first
    /// `visible[r]` context rows (non-decreasing in `r`); `scores` holds
    /// `scoreCount(shape:tokens:contextRows:)` floats. With several OpenBLAS threads the query
    /// heads run on them at once; with one (e.g. inside `ParallelJobs`) one after another.
    public static func run(
        shape: AttentionShape, tokens t: Int, queries: UnsafePointer<Float>,
        keys: UnsafePointer<Float>, values: UnsafePointer<Float>, visible: UnsafePointer<Int>,
        scores: UnsafeMutablePointer<Float>, output: UnsafeMutablePointer<Float>
    ) {
        let d = shape.headDim, qWidth = shape.queryWidth, kvWidth = shape.kvWidth
        let scale = 1 / Float(d).squareRoot()
        if t == 1 {
            // One token: the query heads of a group are consecutive rows of `headDim` floats.
            let group = shape.groupSize, seen = visible[0]
            for g in 0 ..< shape.kvHeads {
                attendBlock(rows: group, query: queries + g * group * d, queryStride: d,
                            keys: keys + g * d, values: values + g * d, kvStride: kvWidth, headDim: d, scale: scale,
                            columns: seen, rowVisible: { _ in seen }, scores: scores,
                            output: output + g * group * d, outputStride: d)
            }
            return
        }
        // Several tokens: the heads are independent, so they run on the BLAS threads at once with
        // each product single-threaded (many small products parallelise badly inside BLAS).
        let headScores = min(t, blockRows) * visible[t - 1]
        func attendHead(_ h: Int) {
            let g = h / shape.groupSize
            var start = 0
            while start < t {
                let rows = min(blockRows, t - start)
                attendBlock(rows: rows, query: queries + start * qWidth + h * d, queryStride: qWidth,
                            keys: keys + g * d, values: values + g * d, kvStride: kvWidth, headDim: d, scale: scale,
                            columns: visible[start + rows - 1], rowVisible: { visible[start + $0] },
                            scores: scores + h * headScores, output: output + start * qWidth + h * d, outputStride: qWidth)
                start += rows
            }
        }
        let workers = BLASRuntime.threads
        if workers > 1 {
            BLASRuntime.singleThreaded {
                DispatchQueue.concurrentPerform(iterations: shape.heads, execute: attendHead)
            }
        } else {
            for h in 0 ..< shape.heads { attendHead(h) }
        }
    }

    @inline(__always)
    private static func attendBlock(
        rows: Int, query: UnsafePointer<Float>, queryStride: Int,
        keys: UnsafePointer<Float>, values: UnsafePointer<Float>, kvStride: Int, headDim d: Int, scale: Float,
        columns: Int, rowVisible: (Int) -> Int, scores: UnsafeMutablePointer<Float>,
        output: UnsafeMutablePointer<Float>, outputStride: Int
    ) {
        guard columns > 0 else {
            // No key is visible (a cache that evicted every earlier position): output zeros.
            for r in 0 ..< rows { (output + r * outputStride).update(repeating: 0, count: d) }
            return
        }
        BLAS.gemm(transposeB: true, m: rows, n: columns, k: d, alpha: scale, a: query, lda: queryStride,
                  b: keys, ldb: kvStride, c: scores, ldc: columns)
        for r in 0 ..< rows {
            VectorMath.maskedSoftmax(scores + r * columns, visible: rowVisible(r), count: columns)
        }
        BLAS.gemm(m: rows, n: d, k: columns, a: scores, lda: columns, b: values, ldb: kvStride,
                  c: output, ldc: outputStride)
    }
}
