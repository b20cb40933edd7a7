/// The shape of a LLaMA-family model, read from a GGUF file's `<arch>.*` metadata.
public struct LlamaConfig: Sendable, Equatable {
    /// Transformer blocks (`block_count`).
    public let layers: Int
    /// Residual stream width (`embedding_length`).
    public let modelDim: Int
    /// Hidden width of the SwiGLU feed-forward (`feed_forward_length`).
    public let ffnDim: Int
    /// Query heads (`attention.head_count`).
    public let heads: Int
    /// Key/value heads (`attention.head_count_kv`); `heads / kvHeads` query heads share each.
    public let kvHeads: Int
    /// Vector length per head (`modelDim / heads` unless `attention.key_length` says otherwise).
    public let headDim: Int
    /// Longest sequence the model was trained for, in tokens (`context_length`).
    public let contextLength: Int
    /// Rows of the token embedding.
    public let vocabularySize: Int
    /// RoPE frequency base (`rope.freq_base`, default 10000).
    public let ropeTheta: Float
    /// The ε of RMSNorm (`attention.layer_norm_rms_epsilon`).
    public let rmsEpsilon: Float

    /// Width of one token's queries, all heads side by side: `heads · headDim`.
    public var queryWidth: Int { heads * headDim }
    /// Width of one token's keys (or values), all KV heads side by side: `kvHeads · headDim`.
    public var kvWidth: Int { kvHeads * headDim }
    /// Weights every token multiplies in the linear layers, output head included:
    /// `layers · modelDim · (2·queryWidth + 2·kvWidth + 3·ffnDim) + vocabularySize · modelDim`
    /// (Q and O, K and V, the three SwiGLU matrices, then the head). A token's linear FLOP are
    /// twice this; attention over the cache and the norms are not counted.
    public var linearWeightCount: Int {
        layers * modelDim * (2 * queryWidth + 2 * kvWidth + 3 * ffnDim) + vocabularySize * modelDim
    }
    /// The attention head layout.
    public var attentionShape: AttentionShape { AttentionShape(heads: heads, kvHeads: kvHeads, headDim: headDim) }

    public init(layers: Int, modelDim: Int, ffnDim: Int, heads: Int, kvHeads: Int, headDim: Int,
                contextLength: Int, vocabularySize: Int, ropeTheta: Float, rmsEpsilon: Float) {
        self.layers = layers
        self.modelDim = modelDim
        self.ffnDim = ffnDim
        self.heads = heads
        self.kvHeads = kvHeads
        self.headDim = headDim
        self.contextLength = contextLength
        self.vocabularySize = vocabularySize
        self.ropeTheta = ropeTheta
        self.rmsEpsilon = rmsEpsilon
    }

    /// Reads and checks the configuration of `gguf`; throws a one-line `GGUFError` for a
    /// non-LLaMA architecture, a missing key or an inconsistent or absurd shape.
    public init(gguf: GGUFFile) throws {
        let arch = try gguf.string("general.architecture")
        guard arch == "llama" else {
            throw GGUFError(path: gguf.path, "architecture '\(arch)' is not supported (only 'llama')")
        }
        func int(_ key: String, default fallback: Int? = nil) throws -> Int {
            try gguf.int("\(arch).\(key)", default: fallback)
        }
        let heads = try int("attention.head_count")
        let modelDim = try int("embedding_length")
        guard heads > 0, modelDim > 0, modelDim % heads == 0 || gguf.metadata["\(arch).attention.key_length"] != nil else {
            throw GGUFError(path: gguf.path, "embedding_length \(modelDim) is not a multiple of head_count \(heads)")
        }
        let headDim = try int("attention.key_length", default: modelDim / heads)
        let embedding = try gguf.tensor("token_embd.weight")
        self.init(
            layers: try int("block_count"),
            modelDim: modelDim,
            ffnDim: try int("feed_forward_length"),
            heads: heads,
            kvHeads: try int("attention.head_count_kv", default: heads),
            headDim: headDim,
            contextLength: try int("context_length"),
            vocabularySize: embedding.rows,
            ropeTheta: try gguf.float("\(arch).rope.freq_base", default: 10000),
            rmsEpsilon: try gguf.float("\(arch).attention.layer_norm_rms_epsilon")
        )
        try check(path: gguf.path)
        let ropeDims = try int("rope.dimension_count", default: headDim)
        guard ropeDims == headDim else {
            throw GGUFError(path: gguf.path, "partial rotary embedding (rope.dimension_count \(ropeDims) < head dim \(headDim)) is not supported")
        }
        if let valueLength = gguf.metadata["\(arch).attention.value_length"]?.intValue, valueLength != headDim {
            throw GGUFError(path: gguf.path, "attention.value_length \(valueLength) differs from key_length \(headDim)")
        }
    }

    /// Rejects shapes the forward pass cannot run, and sizes that would allocate absurd memory.
    private func check(path: String) throws {
        let limits: [(String, Int, ClosedRange<Int>)] = [
            ("block_count", layers, 1 ... 1024), ("embedding_length", modelDim, 1 ... 65536),
            ("feed_forward_length", ffnDim, 1 ... 262_144), ("attention.head_count", heads, 1 ... 1024),
            ("attention.head_count_kv", kvHeads, 1 ... 1024), ("head dim", headDim, 2 ... 1024),
            ("context_length", contextLength, 1 ... 1 << 24), ("vocabulary", vocabularySize, 1 ... 1 << 22),
        ]
        for (name, value, range) in limits where !range.contains(value) {
            throw GGUFError(path: path, "\(name) \(value) is outside \(range.lowerBound)...\(range.upperBound)")
        }
        guard heads % kvHeads == 0 else {
            throw GGUFError(path: path, "head_count \(heads) is not a multiple of head_count_kv \(kvHeads)")
        }
        guard headDim % 2 == 0 else { throw GGUFError(path: path, "head dim \(headDim) is odd; RoPE needs it even") }
        guard ropeTheta.isFinite, ropeTheta > 1 else { throw GGUFError(path: path, "rope.freq_base \(ropeTheta) is not a usable base") }
        guard rmsEpsilon.isFinite, rmsEpsilon >= 0 else { throw GGUFError(path: path, "layer_norm_rms_epsilon \(rmsEpsilon) is invalid") }
    }
}
