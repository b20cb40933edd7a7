import KVCompression
import LinearAlgebra
import Model

/// The loaded model, its tokenizer and the read-only weight view plugins prepare from: what one
/// run evaluates with.
final class ModelSession {
    let model: LlamaModel
    let tokenizer: Tokenizer
    let weights: any ModelWeights
    let geometry: ModelGeometry

    init(model: LlamaModel, tokenizer: Tokenizer, weights: any ModelWeights) {
        self.model = model
        self.tokenizer = tokenizer
        self.weights = weights
        let c = model.config
        geometry = ModelGeometry(layers: c.layers, attention: c.attentionShape)
    }

    /// Loads the GGUF file at `path`.
    static func load(path: String) throws -> ModelSession {
        let gguf = try GGUFFile(path: path)
        let model = try LlamaModel(gguf: gguf)
        return ModelSession(model: model, tokenizer: try Tokenizer(gguf: gguf), weights: LlamaModelWeights(model: model))
    }

    /// A session over the same weights and tokenizer with a model replica of its own, for a
    /// worker thread that evaluates units beside this one.
    func replica() -> ModelSession {
        ModelSession(model: model.replica(), tokenizer: tokenizer, weights: weights)
    }

    var vocabulary: Int { model.config.vocabularySize }
    var rope: RoPE { model.rope }

    /// An exact cache for `capacity` tokens that keeps the keys before RoPE too.
    func exactCache(capacity: Int) -> ExactCache {
        ExactCache(config: model.config, capacity: capacity, keepKeysBeforeRoPE: true)
    }

    /// Runs `tokens` from position 0 into `cache` without computing logits.
    func prefill(_ tokens: [Int32], cache: KVCache) throws {
        _ = try model.forward(tokens: tokens, startPosition: 0, cache: cache, logits: .none)
    }

    /// Logits `[t × vocabulary]` of every token of a chunk at `startPosition`.
    func logits(_ tokens: [Int32], startPosition: Int, cache: KVCache) throws -> Matrix {
        try model.forward(tokens: tokens, startPosition: startPosition, cache: cache, logits: .all)
    }
}
