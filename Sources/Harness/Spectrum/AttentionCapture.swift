import LinearAlgebra
import Model

/// A cache that records what attention used at every layer while another cache does the work:
/// the forward pass talks to this wrapper, which passes every call on to `base` (an exact cache
/// for the spectrum analysis) and keeps the chunk's queries and keys. Chunks are concatenated,
/// so a window may be prefilled in one chunk or several.
public final class AttentionCapture: KVCache {
    /// One layer's record for the whole window.
    public struct Layer: Sendable {
        /// `[n × heads·d_h]`, post-RoPE, as attention used them.
        public var queries: Matrix
        /// `[n × kvHeads·d_h]`, post-RoPE, as the base cache handed them to attention.
        public var keys: Matrix
        /// `[n × kvHeads·d_h]`, pre-RoPE, as the forward pass produced them.
        public var preRopeKeys: Matrix
        /// Absolute position of each of the `n` rows.
        public var positions: [Int]
        /// The model's rotary embedding, to undo it on `queries` when pre-RoPE logits are wanted.
        public var rope: RoPE
    }

    private let base: any KVCache
    private var queryRows: [[Float]], queryWidth: [Int]
    private var preRopeKeyRows: [[Float]], keyWidth: [Int]
    private var positions: [[Int]]
    private var contexts: [AttentionContext?]
    private var ropes: [RoPE?]

    /// - Parameters:
    ///   - base: the cache that stores and returns keys and values (an exact one here).
    ///   - layers: the model's layer count.
    public init(base: any KVCache, layers: Int) {
        self.base = base
        queryRows = Array(repeating: [], count: layers)
        queryWidth = Array(repeating: 0, count: layers)
        preRopeKeyRows = Array(repeating: [], count: layers)
        keyWidth = Array(repeating: 0, count: layers)
        positions = Array(repeating: [], count: layers)
        contexts = Array(repeating: nil, count: layers)
        ropes = Array(repeating: nil, count: layers)
    }

    public func update(layer: Int, keys: Matrix, values: Matrix, positions range: Range<Int>, rope: RoPE) throws -> AttentionContext {
        guard layer >= 0, layer < positions.count else { throw HarnessError("attention capture: layer \(layer) outside 0..<\(positions.count)") }
        preRopeKeyRows[layer].append(contentsOf: keys.storage)
        keyWidth[layer] = keys.cols
        positions[layer].append(contentsOf: range)
        ropes[layer] = rope
        return try base.update(layer: layer, keys: keys, values: values, positions: range, rope: rope)
    }

    public func didAttend(layer: Int, queries: Matrix, context: AttentionContext, output: Matrix) {
        if layer >= 0, layer < contexts.count {
            queryRows[layer].append(contentsOf: queries.storage)
            queryWidth[layer] = queries.cols
            contexts[layer] = context
        }
        base.didAttend(layer: layer, queries: queries, context: context, output: output)
    }

    /// What layer `layer` attended with, over every token given so far. Throws when the forward
    /// pass did not report the layer or its keys do not cover the same tokens as its queries.
    public func layer(_ layer: Int) throws -> Layer {
        guard layer >= 0, layer < contexts.count, let context = contexts[layer], let rope = ropes[layer] else {
            throw HarnessError("attention capture: the forward pass reported nothing for layer \(layer)")
        }
        let n = positions[layer].count
        guard n > 0, queryWidth[layer] > 0, queryRows[layer].count == n * queryWidth[layer],
              context.keys.rows == n, context.positions == positions[layer] else {
            throw HarnessError("attention capture: layer \(layer) saw \(n) new keys but attention read \(context.keys.rows) keys and \(queryRows[layer].count / max(queryWidth[layer], 1)) queries")
        }
        return Layer(queries: Matrix(rows: n, cols: queryWidth[layer], storage: queryRows[layer]),
                     keys: context.keys,
                     preRopeKeys: Matrix(rows: n, cols: keyWidth[layer], storage: preRopeKeyRows[layer]),
                     positions: positions[layer], rope: rope)
    }
}
