import Foundation
import LinearAlgebra
import Model
import Testing

/// The real model, loaded once for every test that runs it: loading dequantises about 540 MB,
/// and forward calls on one model must not overlap (so the suites using it are serialized).
enum SharedModel {
    private static let loaded = Result { () throws -> (GGUFFile, LlamaModel) in
        let gguf = try GGUFFile(path: TestFiles.requireExisting(TestFiles.modelPath))
        return (gguf, try LlamaModel(gguf: gguf))
    }

    static func get() throws -> (gguf: GGUFFile, model: LlamaModel) { try loaded.get() }

    /// The first `count` llama.cpp token ids of the corpus `file`.
    static func referenceTokens(_ file: String, count: Int? = nil) throws -> [Int32] {
        let ids = try #require(ReferenceTokenIDs.load().texts.first { $0.file.hasSuffix(file) }).tokenIDs
        return count.map { Array(ids.prefix($0)) } ?? ids
    }
}

/// Largest absolute difference between two equally shaped matrices.
func maxAbsDifference(_ a: Matrix, _ b: Matrix) -> Float {
    precondition(a.rows == b.rows && a.cols == b.cols)
    return zip(a.storage, b.storage).reduce(0) { max($0, abs($1.0 - $1.1)) }
}

@Suite("Forward pass on SmolLM2-135M", .serialized)
struct ForwardTests {
    @Test("configuration read from the GGUF metadata")
    func configuration() throws {
        let config = try SharedModel.get().model.config
        #expect(config == LlamaConfig(layers: 30, modelDim: 576, ffnDim: 1536, heads: 9, kvHeads: 3, headDim: 64,
                                      contextLength: 8192, vocabularySize: 49152, ropeTheta: 100_000, rmsEpsilon: 1e-5))
    }

    /// Decoding token by token, and in uneven chunks, must give the logits of one batched
    /// prefill: the same arithmetic with different product shapes (f32 rounding only).
    @Test("incremental and chunked decoding reproduce batched prefill logits")
    func incrementalMatchesBatched() throws {
        let model = try SharedModel.get().model
        let tokens = try SharedModel.referenceTokens("kjv_60k.txt", count: 40)
        let batched = try model.forward(tokens: tokens, startPosition: 0,
                                        cache: ExactCache(config: model.config, capacity: 40), logits: .all)
        let scale = batched.storage.reduce(0) { max($0, abs($1)) }
        let tolerance = 2e-4 * scale

        let stepCache = ExactCache(config: model.config, capacity: 40)
        var stepDifference: Float = 0
        for (i, token) in tokens.enumerated() {
            let logits = try model.forward(tokens: [token], startPosition: i, cache: stepCache, logits: .last)
            let reference = Matrix(rows: 1, cols: batched.cols, storage: batched.row(i))
            stepDifference = max(stepDifference, maxAbsDifference(logits, reference))
        }
        #expect(stepDifference <= tolerance, "token by token: max |Δlogit| \(stepDifference), scale \(scale)")

        let chunkCache = ExactCache(config: model.config, capacity: 40)
        var chunked: [Float] = []
        for range in [0 ..< 13, 13 ..< 14, 14 ..< 40] {
            chunked += try model.forward(tokens: Array(tokens[range]), startPosition: range.lowerBound,
                                         cache: chunkCache, logits: .all).storage
        }
        let chunkDifference = maxAbsDifference(Matrix(rows: 40, cols: batched.cols, storage: chunked), batched)
        #expect(chunkDifference <= tolerance, "chunks: max |Δlogit| \(chunkDifference), scale \(scale)")
        #expect(chunkCache.count(layer: model.config.layers - 1) == 40)
    }

    /// Keys cross the cache before RoPE: at layer 0 they must equal RMSNorm(embedding) · W_K,
    /// computed here from the file's own tensors and the model's per-head projections; the
    /// cache's rotated keys must be RoPE of them.
    @Test("layer-0 keys reach the cache pre-RoPE and are stored rotated")
    func keysCrossTheCachePreRoPE() throws {
        let (gguf, model) = try SharedModel.get()
        let config = model.config
        let tokens = try SharedModel.referenceTokens("licenses.txt", count: 6)
        let cache = ExactCache(config: config, capacity: 6, keepKeysBeforeRoPE: true)
        _ = try model.forward(tokens: tokens, startPosition: 0, cache: cache, logits: .none)

        let embedding = try gguf.dequantize("token_embd.weight")
        let norm = try gguf.dequantize("blk.0.attn_norm.weight").storage
        var normed = Matrix(rows: tokens.count, cols: config.modelDim)
        for (r, token) in tokens.enumerated() {
            let x = embedding.row(Int(token))
            let rms = (x.reduce(0) { $0 + $1 * $1 } / Float(x.count) + config.rmsEpsilon).squareRoot()
            for c in 0 ..< config.modelDim { normed[r, c] = x[c] / rms * norm[c] }
        }
        let stored = try #require(cache.keysBeforeRoPE(layer: 0))
        for kvHead in 0 ..< config.kvHeads {
            let expected = matmul(normed, model.keyProjection(layer: 0, kvHead: kvHead))
            for r in 0 ..< tokens.count {
                for j in 0 ..< config.headDim {
                    #expect(abs(stored[r, kvHead * config.headDim + j] - expected[r, j]) <= 1e-4 * max(1, abs(expected[r, j])))
                }
            }
        }
        var rotated = stored
        model.rope.rotate(&rotated, positions: Array(0 ..< tokens.count))
        #expect(maxAbsDifference(rotated, cache.keysAfterRoPE(layer: 0)) <= 1e-5)
        #expect(cache.positions(layer: 0) == Array(0 ..< 6))
    }

    @Test("greedy decoding of a factual prompt")
    func greedyDecoding() throws {
        let (gguf, model) = try SharedModel.get()
        let tokenizer = try Tokenizer(gguf: gguf)
        let generated = try GreedyDecoder.generate(model: model, prompt: tokenizer.encode("The capital of France is"), count: 3)
        #expect(tokenizer.decode(generated).hasPrefix(" Paris"))
    }

    @Test("bad forward inputs throw instead of crashing")
    func badInputs() throws {
        let model = try SharedModel.get().model
        let cache = ExactCache(config: model.config, capacity: 4)
        #expect(throws: ModelError.self) { try model.forward(tokens: [], startPosition: 0, cache: cache, logits: .all) }
        #expect(throws: ModelError.self) { try model.forward(tokens: [49152], startPosition: 0, cache: cache, logits: .all) }
        #expect(throws: ModelError.self) { try model.forward(tokens: [-1], startPosition: 0, cache: cache, logits: .all) }
        #expect(throws: ModelError.self) { try model.forward(tokens: [1], startPosition: 8192, cache: cache, logits: .all) }
        #expect(throws: ModelError.self) { try model.forward(tokens: [1, 2, 3, 4, 5], startPosition: 0, cache: cache, logits: .all) }
        _ = try model.forward(tokens: [1, 2], startPosition: 0, cache: cache, logits: .none)
        // Positions must move forward.
        #expect(throws: ModelError.self) { try model.forward(tokens: [3], startPosition: 1, cache: cache, logits: .none) }
        #expect(throws: ModelError.self) { try model.forward(tokens: [1], startPosition: 0, cache: MalformedCache(), logits: .none) }
    }
}

/// A cache whose answer has one key row too few.
private final class MalformedCache: KVCache {
    func update(layer: Int, keys: Matrix, values: Matrix, positions: Range<Int>, rope: RoPE) throws -> AttentionContext {
        AttentionContext(keys: Matrix(rows: 0, cols: keys.cols), values: values, positions: Array(positions))
    }
}
