import KVCompression
import LinearAlgebra
import Model

/// Exact keys and values of the calibration text, computed on first request with the model and
/// an exact cache, in windows of the run's window length. Shared by every configuration of a
/// run; each plugin sees keys in the key space it declares.
final class CalibrationSamples {
    private let session: ModelSession
    private let tokens: [Int32]
    private let window: Int
    /// Per layer, `[n × kvWidth]`: keys before RoPE, and values.
    private var keys: [[Float]] = []
    private var values: [[Float]] = []
    private var positions: [Int] = []
    private var collected = false

    init(session: ModelSession, tokens: [Int32], window: Int) {
        self.session = session
        self.tokens = tokens
        self.window = window
    }

    /// The view a plugin with key space `space` gets.
    func view(keySpace space: KeySpace) -> CalibrationData { View(owner: self, space: space) }

    private func collect() throws {
        guard !collected else { return }
        let geometry = session.geometry
        keys = Array(repeating: [], count: geometry.layers)
        values = keys
        var start = 0
        while start < tokens.count {
            let piece = tokens[start ..< min(start + window, tokens.count)]
            let cache = session.exactCache(capacity: piece.count)
            try session.prefill(Array(piece), cache: cache)
            for layer in 0 ..< geometry.layers {
                keys[layer].append(contentsOf: cache.keysBeforeRoPE(layer: layer)!.storage)
                values[layer].append(contentsOf: cache.values(layer: layer).storage)
            }
            positions.append(contentsOf: 0 ..< piece.count)
            start += window
        }
        collected = true
    }

    private func samples(layer: Int, kvHead: Int, kind: KVKind, space: KeySpace) throws -> Matrix {
        let geometry = session.geometry
        guard (0 ..< geometry.layers).contains(layer), (0 ..< geometry.attention.kvHeads).contains(kvHead) else {
            throw HarnessError("calibration samples asked for layer \(layer), KV head \(kvHead): out of range")
        }
        try collect()
        let width = geometry.attention.kvWidth
        let source = kind == .keys ? keys[layer] : values[layer]
        var all = Matrix(rows: source.count / width, cols: width, storage: source)
        if kind == .keys && space == .postRoPE { session.rope.rotate(&all, positions: positions) }
        return all.columns(kvHead * geometry.attention.headDim, count: geometry.attention.headDim)
    }

    private struct View: CalibrationData {
        let owner: CalibrationSamples
        let space: KeySpace
        func samples(layer: Int, kvHead: Int, kind: KVKind) throws -> Matrix {
            try owner.samples(layer: layer, kvHead: kvHead, kind: kind, space: space)
        }
    }
}
