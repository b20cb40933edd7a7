import LinearAlgebra

/// Scratch buffers of one forward call, kept between calls so that decoding (the same chunk
/// size again and again) allocates nothing. The flat buffers only grow (every use passes its row
/// count explicitly, so a larger buffer serves a smaller chunk): a harness window that alternates
/// a long prefix and short chunks does not reallocate them. The `Matrix` buffers, handed to the
/// cache with their shape, are remade when the chunk size changes; the attention scores grow
/// geometrically with the context.
///
/// A class, so that its buffers are separate stored properties: a product may read one while
/// writing another without overlapping accesses to one value.
///
/// The `Matrix` buffers handed to the cache and to `didAttend` are shared copy-on-write: a cache
/// that keeps one makes the next write here copy it, which is correct, only slower.
final class ForwardWorkspace {
    private(set) var tokens = 0
    /// Residual stream, `[t × modelDim]`.
    var hidden: [Float] = []
    /// RMSNorm output, `[t × modelDim]`.
    var normed: [Float] = []
    /// Queries, keys and values side by side as one product leaves them, `[t × (queryWidth + 2·kvWidth)]`.
    var queryKeyValue: [Float] = []
    /// Post-RoPE queries, `[t × queryWidth]`.
    var queries = Matrix(rows: 0, cols: 0)
    /// Pre-RoPE keys and values of the chunk, `[t × kvWidth]`.
    var keys = Matrix(rows: 0, cols: 0)
    var values = Matrix(rows: 0, cols: 0)
    /// Attention output before the output projection, `[t × queryWidth]`.
    var attention = Matrix(rows: 0, cols: 0)
    /// Gate and up projections side by side, `[t × 2·ffnDim]`.
    var gateUp: [Float] = []
    /// SwiGLU output, `[t × ffnDim]`.
    var activated: [Float] = []
    /// RoPE table of the chunk's positions, `[t × headDim/2]` each.
    var cosines: [Float] = []
    var sines: [Float] = []
    /// Per query row, how many context rows it may attend to (causal mask).
    var visible: [Int] = []
    /// Attention scores of one block of query rows against the visible context.
    var scores: [Float] = []
    /// Logits returned to the caller (shared copy-on-write, reused when released).
    var logits = Matrix(rows: 0, cols: 0)

    /// Sizes every per-chunk buffer for `t` tokens (no-op when already sized).
    func prepare(tokens t: Int, config: LlamaConfig) {
        guard t != tokens else { return }
        tokens = t
        Self.grow(&hidden, to: t * config.modelDim)
        Self.grow(&normed, to: t * config.modelDim)
        Self.grow(&queryKeyValue, to: t * (config.queryWidth + 2 * config.kvWidth))
        Self.grow(&gateUp, to: t * 2 * config.ffnDim)
        Self.grow(&activated, to: t * config.ffnDim)
        Self.grow(&cosines, to: t * config.headDim / 2)
        Self.grow(&sines, to: t * config.headDim / 2)
        Self.grow(&visible, to: t)
        queries = Matrix(rows: t, cols: config.queryWidth)
        keys = Matrix(rows: t, cols: config.kvWidth)
        values = keys
        attention = queries
    }

    private static func grow<Element: Numeric>(_ buffer: inout [Element], to count: Int) {
        if buffer.count < count { buffer = [Element](repeating: 0, count: count) }
    }

    /// Makes room for `count` attention scores, growing by at least half again.
    func reserveScores(_ count: Int) {
        if scores.count < count { scores = [Float](repeating: 0, count: max(count, scores.count * 3 / 2)) }
    }

    /// A `[rows × cols]` logits buffer, reused when its size matches.
    func prepareLogits(rows: Int, cols: Int) {
        if logits.rows != rows || logits.cols != cols { logits = Matrix(rows: rows, cols: cols) }
    }
}
