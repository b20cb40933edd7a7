import LinearAlgebra

/// Read access to the per-head attention projections, for analyses and compressors that derive
/// something from the weights (the harness adapts these to `KVCompression.ModelWeights`).
/// Each is `[modelDim × headDim]`: a head's vector for a token is `x · W` with `x` the token's
/// hidden state after the layer's attention RMSNorm (a row). Keys are before RoPE.
extension LlamaModel {
    /// `W_Q` of query head `head` at `layer`.
    public func queryProjection(layer: Int, head: Int) -> Matrix {
        precondition(head >= 0 && head < config.heads, "query head \(head) out of range")
        return headProjection(weights.layers[layer].query, head: head)
    }

    /// `W_K` of KV head `kvHead` at `layer`.
    public func keyProjection(layer: Int, kvHead: Int) -> Matrix {
        precondition(kvHead >= 0 && kvHead < config.kvHeads, "KV head \(kvHead) out of range")
        return headProjection(weights.layers[layer].key, head: kvHead)
    }

    /// `W_V` of KV head `kvHead` at `layer`.
    public func valueProjection(layer: Int, kvHead: Int) -> Matrix {
        precondition(kvHead >= 0 && kvHead < config.kvHeads, "KV head \(kvHead) out of range")
        return headProjection(weights.layers[layer].value, head: kvHead)
    }

    /// The transpose of rows `head·headDim ..< (head+1)·headDim` of a stored `[out × modelDim]`
    /// weight.
    private func headProjection(_ weight: [Float], head: Int) -> Matrix {
        let d = config.headDim, inputs = config.modelDim
        var result = Matrix(rows: inputs, cols: d)
        for j in 0 ..< d {
            let row = (head * d + j) * inputs
            for i in 0 ..< inputs { result.storage[i * d + j] = weight[row + i] }
        }
        return result
    }
}
