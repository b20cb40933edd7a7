import Foundation
import LinearAlgebra
import Model
import Testing

/// `Fixtures/reference-perplexity.json`: llama.cpp's and PyTorch fp32's perplexity of the model
/// on each corpus (windows of 512), copied from the shared reference.
struct ReferencePerplexity: Decodable {
    struct Figures: Decodable {
        let mean_nll: Double
        let perplexity: Double
    }

    struct Text: Decodable {
        let file: String
        let n_windows: Int
        let tokens_scored: Int
        let llama_cpp: Figures
        let pytorch_fp32: Figures
        let per_window_mean_nll: [Double]
    }

    let window: Int
    let texts: [Text]

    static func load() throws -> ReferencePerplexity {
        let data = try Data(contentsOf: URL(fileURLWithPath: TestFiles.fixturePath("reference-perplexity.json")))
        return try JSONDecoder().decode(ReferencePerplexity.self, from: data)
    }
}

extension ForwardTests {
    /// The acceptance check: every window of both corpora, scored from llama.cpp's token ids.
    /// An f32 engine must sit with PyTorch fp32 (within 0.2%) and within 1% of llama.cpp,
    /// which quantises activations and lands 0.3–0.4% higher; each window's mean NLL within
    /// 0.03 nats of llama.cpp's.
    @Test("perplexity matches PyTorch fp32 and llama.cpp", arguments: ["kjv_60k.txt", "licenses.txt"])
    func perplexityMatchesReferences(file: String) throws {
        let model = try SharedModel.get().model
        let reference = try #require(ReferencePerplexity.load().texts.first { $0.file == file })
        let result = try Perplexity.evaluate(model: model, tokens: SharedModel.referenceTokens(file), window: 512)
        #expect(result.windows == reference.n_windows)
        #expect(result.tokensScored == reference.tokens_scored)
        let versusPyTorch = result.perplexity / reference.pytorch_fp32.perplexity - 1
        let versusLlamaCpp = result.perplexity / reference.llama_cpp.perplexity - 1
        #expect(abs(versusPyTorch) <= 0.002, "perplexity \(result.perplexity) vs PyTorch fp32 \(reference.pytorch_fp32.perplexity)")
        #expect(abs(versusLlamaCpp) <= 0.01, "perplexity \(result.perplexity) vs llama.cpp \(reference.llama_cpp.perplexity)")
        for (w, (ours, theirs)) in zip(result.perWindowMeanNLL, reference.per_window_mean_nll).enumerated() {
            #expect(abs(ours - theirs) <= 0.03, "window \(w): mean NLL \(ours) vs llama.cpp \(theirs)")
        }
    }

    /// The CLI path tokenizes the text itself: on the first windows it must score exactly what
    /// the reference ids score.
    @Test("perplexity from the tokenizer equals perplexity from the reference ids")
    func tokenizerPathAgrees() throws {
        let (gguf, model) = try SharedModel.get()
        let tokens = try Tokenizer(gguf: gguf).encode(TestFiles.text("licenses.txt"))
        let ours = try Perplexity.evaluate(model: model, tokens: tokens, window: 512, maxWindows: 2)
        let reference = try Perplexity.evaluate(model: model, tokens: SharedModel.referenceTokens("licenses.txt"), window: 512, maxWindows: 2)
        #expect(ours.perWindowMeanNLL == reference.perWindowMeanNLL)
    }

    /// Windows run one per worker on model replicas; nothing may depend on how many.
    @Test("perplexity is the same with one worker or two")
    func workersDoNotChangeTheFigures() throws {
        let model = try SharedModel.get().model
        let tokens = try SharedModel.referenceTokens("kjv_60k.txt")
        let one = try Perplexity.evaluate(model: model, tokens: tokens, window: 256, maxWindows: 3, workers: 1)
        let two = try Perplexity.evaluate(model: model, tokens: tokens, window: 256, maxWindows: 3, workers: 2)
        #expect(one.windows == 3 && two.windows == 3)
        for (a, b) in zip(one.perWindowMeanNLL, two.perWindowMeanNLL) {
            #expect(abs(a - b) <= 1e-9 * abs(a), "window mean NLL \(a) with one worker, \(b) with two")
        }
    }

    @Test("negative log-likelihood is log-sum-exp minus the target logit")
    func negativeLogLikelihoodClosedForm() {
        // Row 0: uniform over 4 → log 4. Row 1: logits (0, ln 3) → p(1) = 3/4.
        let logits = Matrix(rows: 2, cols: 4, storage: [2, 2, 2, 2, 0, Float(log(3.0)), -.infinity, -.infinity])
        var scratch = [Float](repeating: 0, count: 4)
        let nll = Perplexity.negativeLogLikelihoods(logits: logits, rows: 0 ..< 2, targets: [Int32(3), 1], scratch: &scratch)
        #expect(abs(nll[0] - log(4.0)) < 1e-6)
        #expect(abs(nll[1] - log(4.0 / 3.0)) < 1e-6)
    }

    @Test("too short a text or a bad window is an error")
    func badWindows() throws {
        let model = try SharedModel.get().model
        #expect(throws: ModelError.self) { try Perplexity.evaluate(model: model, tokens: [1, 2, 3], window: 512) }
        #expect(throws: ModelError.self) { try Perplexity.evaluate(model: model, tokens: [1, 2, 3], window: 1) }
        #expect(throws: ModelError.self) { try Perplexity.evaluate(model: model, tokens: [1, 2, 3], window: 1 << 20) }
    }
}
