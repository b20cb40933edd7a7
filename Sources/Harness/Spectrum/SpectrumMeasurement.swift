import Foundation
import KVCompression
import LinearAlgebra
import Model

/// `kvbench spectrum` end to end for one text: tokenize, cut windows, run the analysis with the
/// real forward pass over an exact cache, and assemble the document.
public enum SpectrumMeasurement {
    /// A loaded model with what the analysis reads from it: the forward pass, the tokenizer and
    /// the per-head projections (the same read-only view compressors prepare from).
    public struct LoadedModel {
        let session: ModelSession
        /// File name (for the report) and SHA-256 of the GGUF file.
        public let file: String
        public let sha256: String

        /// Loads the GGUF file at `path`; `sha256` is recorded in the document as given.
        public static func load(path: String, sha256: String) throws -> LoadedModel {
            LoadedModel(session: try ModelSession.load(path: path), file: URL(fileURLWithPath: path).lastPathComponent, sha256: sha256)
        }
    }

    /// The first `count` consecutive windows of `context` tokens. Throws when the text is too
    /// short, saying how many tokens it has and how many were asked for.
    public static func windows(of tokens: [Int32], context: Int, count: Int, textName: String) throws -> [[Int32]] {
        guard context > 0, count > 0 else { throw HarnessError("spectrum: context and windows must be positive") }
        guard tokens.count >= context * count else {
            throw HarnessError("text \(textName) has \(tokens.count) tokens; \(count) window\(count == 1 ? "" : "s") of \(context) tokens need \(context * count)")
        }
        return (0 ..< count).map { Array(tokens[$0 * context ..< ($0 + 1) * context]) }
    }

    /// Measures `text` (tokenized without BOS, as llama.cpp's reference ids) with `options`.
    public static func measure(_ loaded: LoadedModel, text: LoadedText, options: SpectrumOptions) throws -> SpectrumDocument {
        try options.validate()
        let model = loaded.session.model, config = model.config
        guard options.context <= config.contextLength else {
            throw HarnessError("context \(options.context) exceeds the model's \(config.contextLength) tokens")
        }
        let tokens = loaded.session.tokenizer.encode(text.text)
        let windows = try windows(of: tokens, context: options.context, count: options.windows, textName: text.name)
        let start = Date()
        var forwardSeconds = 0.0
        let heads = try SpectrumAnalysis.run(
            weights: loaded.session.weights, windows: windows, options: options,
            makeCache: { ExactCache(config: config, capacity: options.context) },
            forward: { window, cache in
                let forwardStart = Date()
                try loaded.session.prefill(window, cache: cache)
                forwardSeconds += Date().timeIntervalSince(forwardStart)
            })
        let seconds = Date().timeIntervalSince(start)
        return SpectrumDocument(
            model: SpectrumModel(file: loaded.file, sha256: loaded.sha256, layers: config.layers, queryHeads: config.heads,
                                 kvHeads: config.kvHeads, headDim: config.headDim, modelDim: config.modelDim),
            text: SpectrumText(name: text.name, sha256: text.sha256, tokens: tokens.count,
                               windows: (0 ..< options.windows).map { [$0 * options.context, ($0 + 1) * options.context] }),
            options: options, heads: heads, seconds: seconds, forwardSeconds: forwardSeconds)
    }
}
