/// One transformer block's weights, dequantised to `Float`. Every linear weight is row-major
/// `[out × in]` (as GGUF stores it), so a chunk's projection is one sgemm `X·Wᵀ`.
struct LlamaLayerWeights {
    /// RMSNorm weight before attention, `[modelDim]`.
    var attentionNorm: [Float]
    /// Query, key and value rows stacked, `[(queryWidth + 2·kvWidth) × modelDim]`: the three
    /// projections in one product (rows `0 ..< queryWidth` are W_Q, then W_K, then W_V).
    var queryKeyValue: [Float]
    /// `[modelDim × queryWidth]`.
    var output: [Float]
    /// RMSNorm weight before the feed-forward, `[modelDim]`.
    var ffnNorm: [Float]
    /// Gate rows then up rows, `[2·ffnDim × modelDim]`: both projections in one product.
    var gateUp: [Float]
    /// `[modelDim × ffnDim]`.
    var down: [Float]
}

/// All weights of a LLaMA model in `Float`.
struct LlamaWeights {
    /// `[vocabularySize × modelDim]`: input embedding, and the output head when it is tied.
    var embedding: [Float]
    /// Final RMSNorm weight, `[modelDim]`.
    var outputNorm: [Float]
    /// `[vocabularySize × modelDim]` when the file has its own `output.weight`; `nil` when the
    /// head reuses `embedding` (SmolLM2).
    var outputHead: [Float]?
    var layers: [LlamaLayerWeights]

    /// Dequantises every tensor of `gguf`, after checking that each has the shape `config` implies.
    init(gguf: GGUFFile, config: LlamaConfig) throws {
        let d = config.modelDim
        func load(_ name: String, _ dims: [Int]) throws -> [Float] {
            let tensor = try gguf.tensor(name)
            guard tensor.dims == dims else {
                throw GGUFError(path: gguf.path, "tensor '\(name)' has shape \(tensor.dims), expected \(dims)")
            }
            let count = dims.reduce(1, *)
            return try [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
                try gguf.dequantize(name, into: UnsafeMutableBufferPointer(rebasing: buffer[0 ..< count]))
                initialized = count
            }
        }
        embedding = try load("token_embd.weight", [d, config.vocabularySize])
        outputNorm = try load("output_norm.weight", [d])
        outputHead = gguf.tensors["output.weight"] == nil ? nil : try load("output.weight", [d, config.vocabularySize])
        layers = try (0 ..< config.layers).map { i in
            let prefix = "blk.\(i)."
            let query = try load(prefix + "attn_q.weight", [d, config.queryWidth])
            let key = try load(prefix + "attn_k.weight", [d, config.kvWidth])
            let value = try load(prefix + "attn_v.weight", [d, config.kvWidth])
            let gate = try load(prefix + "ffn_gate.weight", [d, config.ffnDim])
            let up = try load(prefix + "ffn_up.weight", [d, config.ffnDim])
            return LlamaLayerWeights(
                attentionNorm: try load(prefix + "attn_norm.weight", [d]),
                queryKeyValue: query + key + value,
                output: try load(prefix + "attn_output.weight", [config.queryWidth, d]),
                ffnNorm: try load(prefix + "ffn_norm.weight", [d]),
                gateUp: gate + up,
                down: try load(prefix + "ffn_down.weight", [config.ffnDim, d])
            )
        }
    }
}
