import LinearAlgebra

/// A LLaMA-family transformer (RMSNorm, RoPE on adjacent pairs, grouped-query attention,
/// SwiGLU, optionally tied output head) with its weights dequantised to `Float` at load.
///
/// A chunk of `t` tokens goes through every projection as one sgemm (one `BLAS.streamingGEMV`
/// when `t = 1`); the keys and values cross the `KVCache` protocol, so the same model runs with
/// the exact cache or with the harness's compressing one. Scratch buffers live in the model: `forward` is not
/// reentrant (one call at a time per model); to run several sequences at once, give each thread
/// its own `replica()`.
public final class LlamaModel {
    /// The model's shape.
    public let config: LlamaConfig
    /// The rotary embedding every key and query goes through.
    public let rope: RoPE
    let weights: LlamaWeights
    private let workspace = ForwardWorkspace()

    /// Reads the configuration and dequantises every weight of `gguf` (about 540 MB of `Float`
    /// for SmolLM2-135M). Throws a one-line error for a missing tensor, a wrong shape or an
    /// unsupported architecture or tensor type.
    public init(gguf: GGUFFile) throws {
        config = try LlamaConfig(gguf: gguf)
        rope = RoPE(headDim: config.headDim, theta: config.ropeTheta)
        weights = try LlamaWeights(gguf: gguf, config: config)
    }

    private init(sharing other: LlamaModel) {
        config = other.config
        rope = other.rope
        weights = other.weights
    }

    /// A model over the same weights (shared, not copied: they are never written after loading)
    /// with scratch buffers of its own, so that another thread can run `forward` at the same
    /// time. Costs only the scratch buffers (a few MB per 512-token chunk, plus the logits).
    public func replica() -> LlamaModel {
        LlamaModel(sharing: self)
    }

    /// Runs `tokens` at positions `startPosition ..< startPosition + tokens.count` against what
    /// `cache` already holds, storing their keys and values in it, and returns the logits
    /// `logits` asks for (`[rows × vocabularySize]`, unnormalised).
    ///
    /// The returned matrix shares a buffer the next call writes into; keeping it is fine (the
    /// next call then allocates a new one), dropping it before the next call avoids that.
    public func forward(tokens: [Int32], startPosition: Int, cache: KVCache, logits mode: LogitsMode) throws -> Matrix {
        let t = tokens.count
        guard t > 0 else { throw ModelError("forward needs at least one token") }
        guard startPosition >= 0, startPosition <= config.contextLength - t else {
            throw ModelError("positions \(startPosition)..<\(startPosition + t) are outside the model's context of \(config.contextLength) tokens")
        }
        if let bad = tokens.first(where: { $0 < 0 || Int($0) >= config.vocabularySize }) {
            throw ModelError("token id \(bad) is outside the vocabulary (0..<\(config.vocabularySize))")
        }
        workspace.prepare(tokens: t, config: config)
        embed(tokens)
        let positions = startPosition ..< startPosition + t
        workspace.cosines.withUnsafeMutableBufferPointer { c in
            workspace.sines.withUnsafeMutableBufferPointer { s in
                rope.table(positions: positions, cosines: c.baseAddress!, sines: s.baseAddress!)
            }
        }
        for layer in 0 ..< config.layers {
            try attentionBlock(layer: layer, positions: positions, cache: cache)
            feedForwardBlock(layer: layer)
        }
        return outputLogits(mode)
    }

    // MARK: - Blocks

    private func embed(_ tokens: [Int32]) {
        let d = config.modelDim
        weights.embedding.withUnsafeBufferPointer { table in
            workspace.hidden.withUnsafeMutableBufferPointer { hidden in
                for (row, token) in tokens.enumerated() {
                    (hidden.baseAddress! + row * d).update(from: table.baseAddress! + Int(token) * d, count: d)
                }
            }
        }
    }

    private func attentionBlock(layer: Int, positions: Range<Int>, cache: KVCache) throws {
        let w = weights.layers[layer], t = positions.count
        normalize(weight: w.attentionNorm)
        let qWidth = config.queryWidth, kvWidth = config.kvWidth, width = qWidth + 2 * kvWidth
        workspace.normed.withUnsafeBufferPointer { x in
            project(x.baseAddress!, rows: t, weight: w.queryKeyValue, outputs: width, into: &workspace.queryKeyValue)
        }
        workspace.queryKeyValue.withUnsafeBufferPointer { qkv in
            let source = qkv.baseAddress!
            func split(_ columns: Int, from offset: Int, into target: inout [Float]) {
                target.withUnsafeMutableBufferPointer { target in
                    for r in 0 ..< t {
                        (target.baseAddress! + r * columns).update(from: source + r * width + offset, count: columns)
                    }
                }
            }
            split(qWidth, from: 0, into: &workspace.queries.storage)
            split(kvWidth, from: qWidth, into: &workspace.keys.storage)
            split(kvWidth, from: qWidth + kvWidth, into: &workspace.values.storage)
        }
        rotateQueries(rows: t)
        let context = try cache.update(layer: layer, keys: workspace.keys, values: workspace.values,
                                       positions: positions, rope: rope)
        try check(context, layer: layer)
        markVisible(queryPositions: positions, contextPositions: context.positions)
        workspace.reserveScores(Attention.scoreCount(shape: config.attentionShape, tokens: t, contextRows: context.positions.count))
        context.keys.storage.withUnsafeBufferPointer { keys in
            context.values.storage.withUnsafeBufferPointer { values in
                workspace.queries.storage.withUnsafeBufferPointer { queries in
                    workspace.visible.withUnsafeBufferPointer { visible in
                        workspace.scores.withUnsafeMutableBufferPointer { scores in
                            workspace.attention.storage.withUnsafeMutableBufferPointer { output in
                                Attention.run(shape: config.attentionShape, tokens: t, queries: queries.baseAddress!,
                                              keys: keys.baseAddress!, values: values.baseAddress!,
                                              visible: visible.baseAddress!, scores: scores.baseAddress!,
                                              output: output.baseAddress!)
                            }
                        }
                    }
                }
            }
        }
        cache.didAttend(layer: layer, queries: workspace.queries, context: context, output: workspace.attention)
        workspace.attention.storage.withUnsafeBufferPointer { attention in
            project(attention.baseAddress!, rows: t, weight: w.output, inputs: config.queryWidth,
                    outputs: config.modelDim, accumulate: true, into: &workspace.hidden)
        }
    }

    private func feedForwardBlock(layer: Int) {
        let w = weights.layers[layer], t = workspace.tokens, f = config.ffnDim
        normalize(weight: w.ffnNorm)
        workspace.normed.withUnsafeBufferPointer { x in
            project(x.baseAddress!, rows: t, weight: w.gateUp, outputs: 2 * f, into: &workspace.gateUp)
        }
        workspace.gateUp.withUnsafeBufferPointer { gateUp in
            workspace.activated.withUnsafeMutableBufferPointer { out in
                Kernels.swiGLU(gateUp.baseAddress!, rows: t, width: f, into: out.baseAddress!)
            }
        }
        workspace.activated.withUnsafeBufferPointer { x in
            project(x.baseAddress!, rows: t, weight: w.down, inputs: f, outputs: config.modelDim,
                    accumulate: true, into: &workspace.hidden)
        }
    }

    private func outputLogits(_ mode: LogitsMode) -> Matrix {
        let t = workspace.tokens, d = config.modelDim, vocabulary = config.vocabularySize
        let rows: Int
        switch mode {
        case .all: rows = t
        case .last: rows = 1
        case .none: rows = 0
        }
        // No logits: leave the buffer as it is, so that a prefix run between chunks does not
        // free the chunks' logits (≈ 50 MB for 256 rows) only for the next chunk to fault them in.
        guard rows > 0 else { return Matrix(rows: 0, cols: vocabulary) }
        workspace.prepareLogits(rows: rows, cols: vocabulary)
        let first = t - rows
        workspace.hidden.withUnsafeBufferPointer { hidden in
            workspace.normed.withUnsafeMutableBufferPointer { normed in
                weights.outputNorm.withUnsafeBufferPointer { norm in
                    Kernels.rmsNorm(hidden.baseAddress! + first * d, rows: rows, width: d, weight: norm.baseAddress!,
                                    epsilon: config.rmsEpsilon, into: normed.baseAddress!)
                }
            }
        }
        workspace.normed.withUnsafeBufferPointer { x in
            project(x.baseAddress!, rows: rows, weight: weights.outputHead ?? weights.embedding, outputs: vocabulary,
                    into: &workspace.logits.storage)
        }
        return workspace.logits
    }

    // MARK: - Pieces

    /// `normed = RMSNorm(hidden) · weight` for every row of the chunk.
    private func normalize(weight: [Float]) {
        workspace.hidden.withUnsafeBufferPointer { hidden in
            workspace.normed.withUnsafeMutableBufferPointer { normed in
                weight.withUnsafeBufferPointer { w in
                    Kernels.rmsNorm(hidden.baseAddress!, rows: workspace.tokens, width: config.modelDim,
                                    weight: w.baseAddress!, epsilon: config.rmsEpsilon, into: normed.baseAddress!)
                }
            }
        }
    }

    /// `out = x·Wᵀ` (or `out += x·Wᵀ` when accumulating) for `rows` input rows of `inputs`
    /// floats (default `modelDim`) and `W` of `[outputs × inputs]`; one row streams the weights
    /// through `BLAS.streamingGEMV` instead.
    private func project(_ x: UnsafePointer<Float>, rows: Int, weight: [Float], inputs: Int? = nil, outputs: Int,
                         accumulate: Bool = false, into out: inout [Float]) {
        let k = inputs ?? config.modelDim
        weight.withUnsafeBufferPointer { w in
            out.withUnsafeMutableBufferPointer { y in
                if rows == 1 {
                    BLAS.streamingGEMV(w.baseAddress!, rows: outputs, cols: k, x: x, accumulate: accumulate,
                                       into: y.baseAddress!, threads: BLASRuntime.threads)
                } else {
                    BLAS.gemm(transposeB: true, m: rows, n: outputs, k: k, a: x, lda: k, b: w.baseAddress!, ldb: k,
                              beta: accumulate ? 1 : 0, c: y.baseAddress!, ldc: outputs)
                }
            }
        }
    }

    private func rotateQueries(rows: Int) {
        let width = config.queryWidth, heads = config.heads
        workspace.cosines.withUnsafeBufferPointer { c in
            workspace.sines.withUnsafeBufferPointer { s in
                workspace.queries.storage.withUnsafeMutableBufferPointer { q in
                    rope.rotate(q.baseAddress!, rows: rows, stride: width, heads: heads,
                                cosines: c.baseAddress!, sines: s.baseAddress!)
                }
            }
        }
    }

    /// For each query row, the number of context rows at or before its position.
    private func markVisible(queryPositions: Range<Int>, contextPositions: [Int]) {
        var seen = 0
        for (row, position) in queryPositions.enumerated() {
            while seen < contextPositions.count, contextPositions[seen] <= position { seen += 1 }
            workspace.visible[row] = seen
        }
    }

    /// A cache's answer must have one key and one value row per listed position, ascending.
    private func check(_ context: AttentionContext, layer: Int) throws {
        let n = context.positions.count, width = config.kvWidth
        guard context.keys.rows == n, context.values.rows == n, context.keys.cols == width, context.values.cols == width else {
            throw ModelError("layer \(layer): the cache returned keys \(context.keys.rows)×\(context.keys.cols) and values \(context.values.rows)×\(context.values.cols) for \(n) positions (expected \(n)×\(width))")
        }
        for i in context.positions.indices.dropFirst() where context.positions[i] <= context.positions[i - 1] {
            throw ModelError("layer \(layer): the cache returned positions that are not strictly ascending")
        }
    }
}

/// A forward call that cannot run (bad token id, position outside the context, malformed cache
/// answer), with a one-line message.
public struct ModelError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
