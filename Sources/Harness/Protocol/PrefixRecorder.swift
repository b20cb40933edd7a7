import LinearAlgebra
import Model

/// An exact KV cache that also keeps the keys as they arrived (before RoPE), so that the prefix
/// of a window — computed once — can be handed to every configuration's compressors, and a
/// calibration text's keys and values can be collected in either key space.
final class PrefixRecorder: KVCache {
    /// Per layer, `[n × kvHeads·headDim]` row-major: keys before RoPE, keys after, values.
    private(set) var keysPreRoPE: [[Float]]
    private(set) var keysPostRoPE: [[Float]]
    private(set) var values: [[Float]]
    private(set) var count = 0
    let width: Int

    init(layers: Int, width: Int, capacity: Int) {
        self.width = width
        let empty: [Float] = { var a = [Float](); a.reserveCapacity(capacity * width); return a }()
        keysPreRoPE = Array(repeating: empty, count: layers)
        keysPostRoPE = keysPreRoPE
        values = keysPreRoPE
    }

    func update(layer: Int, keys: Matrix, values newValues: Matrix, positions: Range<Int>, rope: RoPE) throws -> AttentionContext {
        precondition(positions.lowerBound == keysPreRoPE[layer].count / width, "PrefixRecorder: positions must continue the sequence")
        var rotated = keys
        rope.rotate(&rotated, positions: Array(positions))
        keysPreRoPE[layer].append(contentsOf: keys.storage)
        keysPostRoPE[layer].append(contentsOf: rotated.storage)
        values[layer].append(contentsOf: newValues.storage)
        let n = values[layer].count / width
        if layer == 0 { count = n }
        return AttentionContext(keys: Matrix(rows: n, cols: width, storage: keysPostRoPE[layer]),
                                values: Matrix(rows: n, cols: width, storage: values[layer]),
                                positions: Array(0 ..< n))
    }
}
