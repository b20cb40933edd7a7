/// The head layout of grouped-query attention: what `Attention` needs to know of a model.
public struct AttentionShape: Sendable, Equatable {
    /// Query heads.
    public let heads: Int
    /// Key/value heads; each serves `groupSize` consecutive query heads.
    public let kvHeads: Int
    /// Floats per head vector.
    public let headDim: Int

    public init(heads: Int, kvHeads: Int, headDim: Int) {
        precondition(heads > 0 && kvHeads > 0 && headDim > 0 && heads % kvHeads == 0,
                     "attention shape: \(heads) query heads cannot share \(kvHeads) KV heads")
        self.heads = heads
        self.kvHeads = kvHeads
        self.headDim = headDim
    }

    /// Columns of a chunk's queries (all query heads side by side).
    public var queryWidth: Int { heads * headDim }
    /// Columns of a layer's keys or values (all KV heads side by side).
    public var kvWidth: Int { kvHeads * headDim }
    /// Query heads per KV head.
    public var groupSize: Int { heads / kvHeads }
}
