import LinearAlgebra

/// The plain KV cache: keeps every key (rotated when stored) and value in `Float`, per layer, in
/// buffers reserved for `capacity` tokens. It can also keep the keys as they arrived, before
/// RoPE, which is what compressors are fed with.
///
/// `update` hands back the stored buffers themselves (shared copy-on-write, no copy): as long as
/// the caller drops the returned context before the next update of the same layer, as the
/// forward pass does, storing new tokens neither copies nor allocates.
public final class ExactCache: KVCache {
    /// Width of one token's keys (or values): `kvHeads · headDim`.
    public let width: Int
    /// Most tokens the cache holds.
    public let capacity: Int
    /// Whether the pre-RoPE keys are kept too (`keysBeforeRoPE(layer:)`).
    public let keepsKeysBeforeRoPE: Bool
    private var keys: [[Float]]
    private var rawKeys: [[Float]]
    private var values: [[Float]]
    private var positions: [[Int]]
    /// The rotation table of the chunk being stored (`positions.count × headDim/2` each).
    private var tablePositions: Range<Int>?
    private var tableCosines: [Float] = []
    private var tableSines: [Float] = []

    /// An empty cache for `layers` layers of `width` floats per token, reserving room for
    /// `capacity` tokens up front.
    public init(layers: Int, width: Int, capacity: Int, keepKeysBeforeRoPE: Bool = false) {
        precondition(layers > 0 && width > 0 && capacity >= 0, "ExactCache: invalid shape")
        self.width = width
        self.capacity = capacity
        keepsKeysBeforeRoPE = keepKeysBeforeRoPE
        func reserved<T>(_ count: Int) -> [[T]] {
            (0 ..< layers).map { _ in var a: [T] = []; a.reserveCapacity(count); return a }
        }
        keys = reserved(capacity * width)
        values = reserved(capacity * width)
        rawKeys = keepKeysBeforeRoPE ? reserved(capacity * width) : Array(repeating: [], count: layers)
        positions = reserved(capacity)
    }

    /// An empty cache shaped for `config`.
    public convenience init(config: LlamaConfig, capacity: Int, keepKeysBeforeRoPE: Bool = false) {
        self.init(layers: config.layers, width: config.kvWidth, capacity: capacity, keepKeysBeforeRoPE: keepKeysBeforeRoPE)
    }

    /// Tokens stored at `layer`.
    public func count(layer: Int) -> Int { positions[layer].count }

    /// Forgets every token (keeping the reserved memory), e.g. before the next window.
    public func removeAll() {
        for layer in keys.indices {
            keys[layer].removeAll(keepingCapacity: true)
            rawKeys[layer].removeAll(keepingCapacity: true)
            values[layer].removeAll(keepingCapacity: true)
            positions[layer].removeAll(keepingCapacity: true)
        }
    }

    public func update(layer: Int, keys newKeys: Matrix, values newValues: Matrix, positions newPositions: Range<Int>,
                       rope: RoPE) throws -> AttentionContext {
        let t = newPositions.count
        guard layer >= 0, layer < keys.count else { throw ModelError("ExactCache: layer \(layer) does not exist (\(keys.count) layers)") }
        guard newKeys.rows == t, newValues.rows == t, newKeys.cols == width, newValues.cols == width else {
            throw ModelError("ExactCache: expected \(t)×\(width) keys and values, got \(newKeys.rows)×\(newKeys.cols) and \(newValues.rows)×\(newValues.cols)")
        }
        if let last = positions[layer].last, newPositions.lowerBound <= last {
            throw ModelError("ExactCache: position \(newPositions.lowerBound) does not follow the cached position \(last)")
        }
        let stored = positions[layer].count
        guard stored + t <= capacity else {
            throw ModelError("ExactCache: \(stored + t) tokens exceed the capacity of \(capacity)")
        }
        keys[layer].append(contentsOf: newKeys.storage)
        values[layer].append(contentsOf: newValues.storage)
        positions[layer].append(contentsOf: newPositions)
        if keepsKeysBeforeRoPE { rawKeys[layer].append(contentsOf: newKeys.storage) }
        rotate(layer: layer, from: stored, positions: newPositions, rope: rope)
        let n = stored + t
        return AttentionContext(keys: Matrix(rows: n, cols: width, storage: keys[layer]),
                                values: Matrix(rows: n, cols: width, storage: values[layer]),
                                positions: positions[layer])
    }

    /// Rotates the keys of rows `from...` of `layer`, which are at `positions`. Every layer of a
    /// forward call brings the same positions, so the rotation table is built once per chunk.
    private func rotate(layer: Int, from row: Int, positions: Range<Int>, rope: RoPE) {
        let half = rope.headDim / 2, t = positions.count, width = width
        guard t > 0 else { return }
        if tablePositions != positions || tableCosines.count != t * half {
            tableCosines = [Float](repeating: 0, count: t * half)
            tableSines = tableCosines
            tableCosines.withUnsafeMutableBufferPointer { c in
                tableSines.withUnsafeMutableBufferPointer { s in
                    rope.table(positions: positions, cosines: c.baseAddress!, sines: s.baseAddress!)
                }
            }
            tablePositions = positions
        }
        tableCosines.withUnsafeBufferPointer { c in
            tableSines.withUnsafeBufferPointer { s in
                keys[layer].withUnsafeMutableBufferPointer { stored in
                    rope.rotate(stored.baseAddress! + row * width, rows: t, stride: width, heads: width / rope.headDim,
                                cosines: c.baseAddress!, sines: s.baseAddress!)
                }
            }
        }
    }

    /// `[n × width]` keys of `layer` after RoPE, as attention reads them.
    public func keysAfterRoPE(layer: Int) -> Matrix {
        Matrix(rows: count(layer: layer), cols: width, storage: keys[layer])
    }

    /// `[n × width]` keys of `layer` as they arrived (before RoPE); `nil` unless the cache was
    /// created with `keepKeysBeforeRoPE`.
    public func keysBeforeRoPE(layer: Int) -> Matrix? {
        keepsKeysBeforeRoPE ? Matrix(rows: count(layer: layer), cols: width, storage: rawKeys[layer]) : nil
    }

    /// `[n × width]` values of `layer`.
    public func values(layer: Int) -> Matrix {
        Matrix(rows: count(layer: layer), cols: width, storage: values[layer])
    }

    /// Positions of the cached tokens of `layer`, ascending.
    public func positions(layer: Int) -> [Int] { positions[layer] }
}
