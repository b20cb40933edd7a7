import KVCompression
import LinearAlgebra
import Model

/// `ModelWeights` read from the GGUF file: each projection is dequantised on request (weights
/// are asked for once per `prepare`) and cut into one head's `[modelDim × headDim]` block. GGUF
/// stores `attn_q/k/v.weight` as `[outputs × modelDim]` rows, already in the layout the forward
/// pass rotates (adjacent pairs), so a head's block is its rows, transposed.
final class GGUFWeightsView: ModelWeights {
    private let gguf: GGUFFile
    private let config: LlamaConfig
    private var cache: [String: Matrix] = [:]

    init(gguf: GGUFFile, config: LlamaConfig) {
        self.gguf = gguf
        self.config = config
    }

    var layerCount: Int { config.layers }
    var queryHeadCount: Int { config.heads }
    var kvHeadCount: Int { config.kvHeads }
    var headDim: Int { config.headDim }
    var modelDim: Int { config.modelDim }

    func projection(layer: Int, kvHead: Int, kind: KVKind) -> Matrix {
        head(kvHead, of: "blk.\(layer).\(kind == .keys ? "attn_k" : "attn_v").weight")
    }

    func queryProjection(layer: Int, head: Int) -> Matrix {
        self.head(head, of: "blk.\(layer).attn_q.weight")
    }

    private func head(_ index: Int, of tensor: String) -> Matrix {
        let d = config.headDim, m = config.modelDim
        let full: Matrix
        if let cached = cache[tensor] { full = cached } else {
            // The model loaded this tensor already, so it exists with this shape.
            full = (try? gguf.dequantize(tensor)) ?? Matrix(rows: 0, cols: m)
            cache = [tensor: full]
        }
        var block = Matrix(rows: m, cols: d)
        guard full.rows >= (index + 1) * d, full.cols == m else { return block }
        for r in 0 ..< d {
            for c in 0 ..< m { block[c, r] = full[index * d + r, c] }
        }
        return block
    }
}
