import LinearAlgebra

/// The keys and values that attention reads at one layer, for every KV head side by side.
public struct AttentionContext: Sendable {
    /// `[n × kvHeads·headDim]`, keys **after** RoPE (what the dot products use).
    public var keys: Matrix
    /// `[n × kvHeads·headDim]`.
    public var values: Matrix
    /// Absolute position of each of the `n` rows, ascending. A query at position `p` attends to
    /// the rows whose position is `≤ p` (causal mask); a cache that evicts tokens lists survivors.
    public var positions: [Int]

    public init(keys: Matrix, values: Matrix, positions: [Int]) {
        self.keys = keys
        self.values = values
        self.positions = positions
    }
}

/// Where the forward pass keeps a sequence's keys and values.
///
/// The forward pass never stores K/V itself: at every layer it hands the new tokens' keys
/// **before RoPE**, with their positions, and their values to the cache, and attends over what
/// the cache gives back. The exact cache rotates and stores them; a compressing cache (the
/// harness's) passes them to compressors and returns their reconstruction.
public protocol KVCache: AnyObject {
    /// Stores the new tokens of one layer and returns everything attention should read.
    /// - Parameters:
    ///   - keys: `[t × kvHeads·headDim]` pre-RoPE keys of the `t` new tokens.
    ///   - values: `[t × kvHeads·headDim]` values of the new tokens.
    ///   - positions: absolute positions of the new tokens.
    ///   - rope: the model's rotary embedding, to rotate keys after storage or reconstruction.
    func update(layer: Int, keys: Matrix, values: Matrix, positions: Range<Int>, rope: RoPE) throws -> AttentionContext

    /// Called after attention at `layer` with the chunk's post-RoPE queries
    /// (`[t × heads·headDim]`), the context read and the attention output (`[t × heads·headDim]`,
    /// before the output projection). Lets an observer measure attention error. Default: nothing.
    func didAttend(layer: Int, queries: Matrix, context: AttentionContext, output: Matrix)
}

extension KVCache {
    public func didAttend(layer: Int, queries: Matrix, context: AttentionContext, output: Matrix) {}
}
