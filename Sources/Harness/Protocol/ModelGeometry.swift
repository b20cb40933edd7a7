import Model

/// The attention shape of a model, as the harness needs it.
public struct ModelGeometry: Sendable, Equatable {
    public var layers: Int
    public var queryHeads: Int
    public var kvHeads: Int
    /// Vector length per head.
    public var headDim: Int

    public init(layers: Int, queryHeads: Int, kvHeads: Int, headDim: Int) {
        self.layers = layers
        self.queryHeads = queryHeads
        self.kvHeads = kvHeads
        self.headDim = headDim
    }

    /// Columns of a layer's keys or values, all KV heads side by side.
    public var kvWidth: Int { kvHeads * headDim }
    /// The head layout, as the model's `Attention` takes it.
    public var attentionShape: AttentionShape { AttentionShape(heads: queryHeads, kvHeads: kvHeads, headDim: headDim) }
}
