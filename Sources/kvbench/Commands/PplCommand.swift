import Foundation
import LinearAlgebra
import Model

/// `kvbench ppl`: the model's perplexity on a text, the way llama.cpp's `llama-perplexity`
/// computes it (non-overlapping windows, each from an empty cache), with its speed.
enum PplCommand {
    static let usage = "ppl [--model PATH] --text FILE [--window 512] [--threads N] [--json]"

    /// The `--json` output.
    private struct Report: Encodable {
        var perplexity: Double
        var mean_nll: Double
        var tokens_scored: Int
        var tokens_per_second: Double
        var seconds: Double
        var windows: Int
        var window: Int
        var per_window_mean_nll: [Double]
        var blas_core: String
        var blas_core_choice: String
        var threads: Int
        var model: String
        var text: String
    }

    static func run(_ arguments: inout Arguments) throws -> Int32 {
        let modelPath = try ModelLocator.resolve(try arguments.value("--model"))
        guard let textPath = try arguments.value("--text") else { throw UsageError("ppl needs --text FILE") }
        let window = try arguments.int("--window", default: 512, in: 2 ... 1 << 20)
        let threads = try arguments.value("--threads").map(parseThreads)
        let json = arguments.flag("--json")
        try arguments.finish()

        let text = try TextFile.read(textPath)
        try BLASRuntime.configureThreads(requested: threads)
        let gguf = try GGUFFile(path: modelPath)
        let tokens = try Tokenizer(gguf: gguf).encode(text)
        let model = try LlamaModel(gguf: gguf)
        let result = try Perplexity.evaluate(model: model, tokens: tokens, window: window)

        if json {
            let report = Report(
                perplexity: result.perplexity, mean_nll: result.meanNLL, tokens_scored: result.tokensScored,
                tokens_per_second: result.tokensPerSecond, seconds: result.seconds, windows: result.windows,
                window: window, per_window_mean_nll: result.perWindowMeanNLL, blas_core: BLASRuntime.coreName,
                blas_core_choice: BLASRuntime.coreChoice.rawValue, threads: BLASRuntime.threads,
                model: modelPath, text: textPath
            )
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            print(String(format: "perplexity %.4f (mean NLL %.5f nats over %d tokens, %d windows of %d)",
                         result.perplexity, result.meanNLL, result.tokensScored, result.windows, window))
            print(String(format: "speed %.1f tokens/s (%.2f s), %d threads, ", result.tokensPerSecond, result.seconds, BLASRuntime.threads)
                + "BLAS core \(BLASRuntime.coreDescription)")
        }
        return 0
    }

    /// `--threads N`, shared by the model commands.
    static func parseThreads(_ raw: String) throws -> Int {
        guard let n = Int(raw), (1 ... 1024).contains(n) else { throw UsageError("--threads must be an integer in 1...1024, got '\(raw)'") }
        return n
    }
}
