import LinearAlgebra

/// Read access to the per-head attention projections, for analyses and compressors that derive
/// something from the weights (the harness adapts these to `KVCompression.ModelWeights`).
/// Each is `[modelDim × headDim]`: a head's vector for a token is `x · W` with `x` the token's
/// hidden state after the layer's attention RMSNorm (a row). Keys are before RoPE.
extension LlamaModel {
    /// `W_Q` of query head `head` at `layer`.
    public func queryProjection(layer: Int, head: Int) -> Matrix {
        precondition(head >= 0 && head < config.heads, "query head \(head) out of range")
        return headProjection(layer: layer, firstRow: head * config.headDim)
    }

    /// `W_K` of KV head `kvHead` at `layer`.
    public func keyProjection(layer: Int, kvHead: Int) -> Matrix {
        precondition(kvHead >= 0 && kvHead < config.kvHeads, "KV head \(kvHead) out of range")
        return headProjection(layer: layer, firstRow: config.queryWidth + kvHead * config.headDim)
    }

    /// `W_V` of KV head `kvHead` at `layer`.
    public func valueProjection(layer: Int, kvHead: Int) -> Matrix {
        precondition(kvHead >= 0 && kvHead < config.kvHeads, "KV head \(kvHead) out of range")
        return headProjection(layer: layer, firstRow: config.queryWidth + config.kvWidth + kvHead * config.headDim)
    }

    /// The transpose of rows `firstRow ..< firstRow + headDim` of the layer's stacked
    /// `[(queryWidth + 2·kvWidth) × modelDim]` Q/K/V weight.
    private func headProjection(layer: Int, firstRow: Int) -> Matrix {
        let d = config.headDim, inputs = config.modelDim
        let weight = weights.layers[layer].queryKeyValue
        var result = Matrix(rows: inputs, cols: d)
        for j in 0 ..< d {
            let row = (firstRow + j) * inputs
            for i in 0 ..< inputs { result.storage[i * d + j] = weight[row + i] }
        }
        return result
    }
}
