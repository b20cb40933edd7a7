import Foundation
import KVCompression
import LinearAlgebra
import Model

/// The KV cache of one configuration on one window: every (layer, KV head, K/V) has its own
/// compressor instance, `update` appends the new tokens to them and returns their reconstruction,
/// so every token attends through compression. Beside it, an exact copy of the same K/V (the fp16
/// cache every byte count is relative to) is kept for the attention-output error.
///
/// Every compressor output is checked (shape, positions, finite values); a violation or a thrown
/// error becomes a `CompressorFailure`, which aborts this unit only.
final class CompressingCache: KVCache {
    let geometry: ModelGeometry
    let type: any KVCompressor.Type
    /// `[layer][kvHead * 2 + (0 keys | 1 values)]`.
    private var instances: [[any KVCompressor]]
    private var exact: [ExactLayer]
    private var chunkPositions: [[Int]]
    private var attention: ReferenceAttention
    private let rotation: RotationTable

    /// Seconds spent in `append` and in `reconstruct`, over all instances.
    private(set) var compressSeconds = 0.0
    private(set) var reconstructSeconds = 0.0
    /// Per layer: sum of `‖o′ − o‖/‖o‖` over (query head, continuation query), and the count.
    private(set) var attentionErrorSum: [Double]
    private(set) var attentionErrorCount: [Int]
    /// Tokens appended per sequence (the same at every instance).
    var cachedTokens: Int { exact[0].count }

    init(type: any KVCompressor.Type, configuration: CompressorConfiguration, shared: SharedState,
         geometry: ModelGeometry, rotation: RotationTable) throws {
        self.type = type
        self.rotation = rotation
        let capacity = rotation.count
        self.geometry = geometry
        var instances: [[any KVCompressor]] = []
        for layer in 0 ..< geometry.layers {
            var row: [any KVCompressor] = []
            for kvHead in 0 ..< geometry.attention.kvHeads {
                for kind in [KVKind.keys, .values] {
                    let head = HeadGeometry(layer: layer, kvHead: kvHead, kind: kind, headDim: geometry.attention.headDim)
                    do { row.append(try type.init(configuration: configuration, geometry: head, shared: shared)) } catch {
                        throw CompressorFailure("init \(head.stateKey) threw: \(error)")
                    }
                }
            }
            instances.append(row)
        }
        self.instances = instances
        exact = (0 ..< geometry.layers).map { _ in ExactLayer(width: geometry.attention.kvWidth, capacity: capacity) }
        chunkPositions = Array(repeating: [], count: geometry.layers)
        attention = ReferenceAttention(shape: geometry.attention)
        attentionErrorSum = Array(repeating: 0, count: geometry.layers)
        attentionErrorCount = Array(repeating: 0, count: geometry.layers)
    }

    /// Hands a layer's exact prefix K/V (`keysPreRoPE`, `values`: `[n × kvWidth]`, positions
    /// `0..<n`) to the compressors without reading it back: the first continuation chunk does.
    func seed(layer: Int, keysPreRoPE: Matrix, values: Matrix) throws {
        try store(layer: layer, keys: keysPreRoPE, values: values, positions: Array(0 ..< values.rows))
    }

    func update(layer: Int, keys: Matrix, values: Matrix, positions: Range<Int>, rope: RoPE) throws -> AttentionContext {
        let positionList = Array(positions)
        try store(layer: layer, keys: keys, values: values, positions: positionList)
        chunkPositions[layer] = positionList
        return try read(layer: layer)
    }

    func didAttend(layer: Int, queries: Matrix, context: AttentionContext, output: Matrix) {
        let reference = exact[layer]
        let count = queries.rows * geometry.attention.heads
        if reference.matches(context) {
            // The model attended to exactly the reference K/V, so o′ = o by definition.
            attentionErrorCount[layer] += count
            return
        }
        let (sum, counted) = reference.keys.withUnsafeBufferPointer { keys in
            reference.values.withUnsafeBufferPointer { values in
                attention.relativeErrors(queries: queries, queryPositions: chunkPositions[layer], keys: keys.baseAddress!,
                                         values: values.baseAddress!, keyCount: reference.count, output: output)
            }
        }
        attentionErrorSum[layer] += sum
        attentionErrorCount[layer] += counted
    }

    /// Encodes every instance, decodes it into a fresh instance and checks that the decoded
    /// reconstruction equals the original bit for bit. Returns the encoded bytes summed over
    /// instances and the size of an fp16 cache of the same tokens.
    func encodeAndVerify(configuration: CompressorConfiguration, shared: SharedState) throws -> (encoded: Int, fp16: Int) {
        var encoded = 0
        for layer in 0 ..< geometry.layers {
            for (slot, instance) in instances[layer].enumerated() {
                let head = headGeometry(layer: layer, slot: slot)
                let original = try call(head, "reconstruct") { try instance.reconstruct() }
                let bytes = try call(head, "encode") { try instance.encode() }
                let decoded = try call(head, "init(decoding:)") {
                    try type.init(decoding: bytes, configuration: configuration, geometry: head, shared: shared)
                }
                let again = try call(head, "reconstruct after decoding") { try decoded.reconstruct() }
                guard original.positions == again.positions, original.vectors.rows == again.vectors.rows,
                      original.vectors.cols == again.vectors.cols,
                      original.vectors.storage.elementsEqual(again.vectors.storage, by: { $0.bitPattern == $1.bitPattern }) else {
                    throw CompressorFailure("\(head.stateKey): reconstruction after encode→decode differs from before")
                }
                encoded += bytes.count
            }
        }
        let instanceCount = geometry.layers * geometry.attention.kvHeads * 2
        return (encoded, cachedTokens * geometry.attention.headDim * Half.byteCount * instanceCount)
    }

    // MARK: - Storing and reading

    private func store(layer: Int, keys: Matrix, values: Matrix, positions: [Int]) throws {
        var rotated = keys
        rotated.storage = Half.rounded(rotated.storage)
        rotation.rotate(&rotated, positions: positions)
        exact[layer].append(keys: rotated.storage, values: Half.rounded(values.storage), positions: positions)
        var keysForCompressor = keys
        if type.keySpace == .postRoPE { rotation.rotate(&keysForCompressor, positions: positions) }
        for kvHead in 0 ..< geometry.attention.kvHeads {
            for (kind, source) in [(0, keysForCompressor), (1, values)] {
                let slot = kvHead * 2 + kind
                let block = source.columns(kvHead * geometry.attention.headDim, count: geometry.attention.headDim)
                let head = headGeometry(layer: layer, slot: slot)
                let instance = instances[layer][slot]
                let start = monotonicSeconds()
                try call(head, "append") { try instance.append(block, positions: positions) }
                compressSeconds += monotonicSeconds() - start
            }
        }
    }

    private func read(layer: Int) throws -> AttentionContext {
        let n = exact[layer].count
        let d = geometry.attention.headDim, width = geometry.attention.kvWidth
        var survivors: [Int]?
        var keys: [Float] = [], values: [Float] = []
        for slot in 0 ..< instances[layer].count {
            let head = headGeometry(layer: layer, slot: slot)
            let instance = instances[layer][slot]
            let start = monotonicSeconds()
            let block = try call(head, "reconstruct") { try instance.reconstruct() }
            reconstructSeconds += monotonicSeconds() - start
            try check(block, head: head, appended: n)
            if let survivors {
                guard block.positions == survivors else {
                    throw CompressorFailure("\(head.stateKey): keeps different positions than other heads of layer \(layer); per-head eviction is not supported")
                }
            } else {
                survivors = block.positions
                keys = [Float](repeating: 0, count: block.positions.count * width)
                values = keys
            }
            let kvHead = slot / 2
            block.vectors.storage.withUnsafeBufferPointer { source in
                func scatter(into target: inout [Float]) {
                    target.withUnsafeMutableBufferPointer { target in
                        for r in 0 ..< block.vectors.rows {
                            (target.baseAddress! + r * width + kvHead * d).update(from: source.baseAddress! + r * d, count: d)
                        }
                    }
                }
                if slot % 2 == 0 { scatter(into: &keys) } else { scatter(into: &values) }
            }
        }
        let positions = survivors ?? []
        var keyMatrix = Matrix(rows: positions.count, cols: width, storage: keys)
        if type.keySpace == .preRoPE { rotation.rotate(&keyMatrix, positions: positions) }
        return AttentionContext(keys: keyMatrix, values: Matrix(rows: positions.count, cols: width, storage: values), positions: positions)
    }

    /// Shape, positions (ascending, among those appended) and finiteness of a reconstruction.
    private func check(_ block: KVBlock, head: HeadGeometry, appended: Int) throws {
        let rows = block.vectors.rows
        guard block.vectors.cols == head.headDim, rows == block.positions.count, rows <= appended else {
            throw CompressorFailure("\(head.stateKey): reconstruct returned \(rows)×\(block.vectors.cols) with \(block.positions.count) positions, expected at most \(appended)×\(head.headDim) with one position per row")
        }
        var previous = -1
        for p in block.positions {
            guard p > previous, p < appended else {
                throw CompressorFailure("\(head.stateKey): reconstruct returned positions that are not ascending appended positions")
            }
            previous = p
        }
        guard block.vectors.storage.allSatisfy({ $0.isFinite }) else {
            throw CompressorFailure("\(head.stateKey): reconstruct returned NaN or Inf")
        }
    }

    private func headGeometry(layer: Int, slot: Int) -> HeadGeometry {
        HeadGeometry(layer: layer, kvHead: slot / 2, kind: slot % 2 == 0 ? .keys : .values, headDim: geometry.attention.headDim)
    }

    /// Runs a compressor method; anything it throws becomes this unit's failure.
    private func call<T>(_ head: HeadGeometry, _ method: String, _ body: () throws -> T) throws -> T {
        do { return try body() } catch let failure as CompressorFailure { throw failure } catch {
            throw CompressorFailure("\(head.stateKey): \(method) threw: \(String(describing: error).replacingOccurrences(of: "\n", with: " "))")
        }
    }
}

/// The exact (fp16) K/V of one layer: post-RoPE keys and values, `[n × kvWidth]` row-major.
struct ExactLayer {
    private(set) var keys: [Float]
    private(set) var values: [Float]
    private(set) var positions: [Int] = []
    var count: Int { positions.count }

    init(width: Int, capacity: Int) {
        keys = []; keys.reserveCapacity(capacity * width)
        values = []; values.reserveCapacity(capacity * width)
        positions.reserveCapacity(capacity)
    }

    mutating func append(keys newKeys: [Float], values newValues: [Float], positions newPositions: [Int]) {
        keys.append(contentsOf: newKeys)
        values.append(contentsOf: newValues)
        positions.append(contentsOf: newPositions)
    }

    /// Whether `context` is bit for bit this exact K/V.
    func matches(_ context: AttentionContext) -> Bool {
        guard context.positions == positions, context.keys.storage.count == keys.count,
              context.values.storage.count == values.count else { return false }
        guard !keys.isEmpty else { return true }
        let sameKeys = keys.withUnsafeBytes { a in context.keys.storage.withUnsafeBytes { b in memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0 } }
        return sameKeys && values.withUnsafeBytes { a in context.values.storage.withUnsafeBytes { b in memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0 } }
    }
}
