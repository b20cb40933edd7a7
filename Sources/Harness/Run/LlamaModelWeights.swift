import KVCompression
import LinearAlgebra
import Model

/// The plugin API's read-only weight view over the loaded model's per-head projections
/// (`[modelDim × headDim]`, keys before RoPE), so that `prepare` sees exactly the weights the
/// forward pass uses.
struct LlamaModelWeights: ModelWeights {
    let model: LlamaModel

    var layerCount: Int { model.config.layers }
    var queryHeadCount: Int { model.config.heads }
    var kvHeadCount: Int { model.config.kvHeads }
    var headDim: Int { model.config.headDim }
    var modelDim: Int { model.config.modelDim }

    func projection(layer: Int, kvHead: Int, kind: KVKind) -> Matrix {
        kind == .keys ? model.keyProjection(layer: layer, kvHead: kvHead) : model.valueProjection(layer: layer, kvHead: kvHead)
    }

    func queryProjection(layer: Int, head: Int) -> Matrix {
        model.queryProjection(layer: layer, head: head)
    }
}
