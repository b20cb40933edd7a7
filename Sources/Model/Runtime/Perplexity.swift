import Foundation
import LinearAlgebra

/// What `Perplexity.evaluate` measured.
public struct PerplexityResult: Sendable {
    /// Window length in tokens.
    public let window: Int
    /// Windows evaluated (the trailing partial window is dropped).
    public let windows: Int
    /// Tokens scored: `window − 1` per window.
    public let tokensScored: Int
    /// Mean negative log-likelihood of the scored tokens, in nats.
    public let meanNLL: Double
    /// Mean NLL of each window's scored tokens, in nats.
    public let perWindowMeanNLL: [Double]
    /// Wall time of the forward passes and scoring, in seconds.
    public let seconds: Double

    /// `exp(meanNLL)`.
    public var perplexity: Double { exp(meanNLL) }
    /// Tokens run through the model (`windows · window`, all logits computed) per second.
    public var tokensPerSecond: Double { Double(windows * window) / seconds }
}

/// Perplexity the way llama.cpp's `llama-perplexity` and the reference figures compute it: the
/// tokens cut into non-overlapping windows from token 0 (a trailing partial window dropped),
/// each window run from an empty cache, the logits at positions `0 ..< W−1` scoring tokens
/// `1 ..< W`.
public enum Perplexity {
    /// Scores `tokens` (no BOS added) in windows of `window` tokens, at most `maxWindows` of them.
    ///
    /// Windows are independent, so `workers` of them (default: the OpenBLAS thread count) run at
    /// once, each on its own thread and model replica with single-threaded BLAS (see
    /// `ParallelJobs`). The figures do not depend on `workers`: every window is computed alone and
    /// the means are summed in window order.
    public static func evaluate(model: LlamaModel, tokens: [Int32], window: Int, maxWindows: Int? = nil,
                                workers: Int = BLASRuntime.threads) throws -> PerplexityResult {
        guard window >= 2, window <= model.config.contextLength else {
            throw ModelError("window must be in 2...\(model.config.contextLength) tokens, got \(window)")
        }
        var windows = tokens.count / window
        guard windows > 0 else {
            throw ModelError("the text has \(tokens.count) tokens, fewer than one window of \(window)")
        }
        if let maxWindows { windows = min(windows, maxWindows) }
        let threads = max(1, min(workers, windows))
        let models = [model] + (1 ..< threads).map { _ in model.replica() }
        let caches = models.map { ExactCache(config: $0.config, capacity: window) }
        var scratch = models.map { _ in [Float](repeating: 0, count: model.config.vocabularySize) }
        var perWindow = [Double](repeating: 0, count: windows)
        let start = ContinuousClock.now
        try perWindow.withUnsafeMutableBufferPointer { perWindow in
            try scratch.withUnsafeMutableBufferPointer { scratch in
                try ParallelJobs.run(jobs: windows, workers: threads) { worker, w in
                    caches[worker].removeAll()
                    let slice = Array(tokens[w * window ..< (w + 1) * window])
                    let logits = try models[worker].forward(tokens: slice, startPosition: 0, cache: caches[worker], logits: .all)
                    let nll = negativeLogLikelihoods(logits: logits, rows: 0 ..< window - 1, targets: slice[1...],
                                                     scratch: &scratch[worker])
                    perWindow[w] = nll.reduce(0, +) / Double(nll.count)
                }
            }
        }
        let seconds = start.secondsElapsed
        let mean = perWindow.reduce(0, +) / Double(windows)  // every window scores the same count
        return PerplexityResult(window: window, windows: windows, tokensScored: windows * (window - 1),
                                meanNLL: mean, perWindowMeanNLL: perWindow, seconds: seconds)
    }

    /// `−log softmax(logits[row])[target]` for each row in `rows` and its target, in nats.
    /// `scratch` must hold at least `logits.cols` floats.
    public static func negativeLogLikelihoods<Targets: Collection<Int32>>(
        logits: Matrix, rows: Range<Int>, targets: Targets, scratch: inout [Float]
    ) -> [Double] {
        precondition(rows.count == targets.count && rows.upperBound <= logits.rows && scratch.count >= logits.cols,
                     "negativeLogLikelihoods: shape mismatch")
        let vocabulary = logits.cols
        return logits.storage.withUnsafeBufferPointer { all in
            scratch.withUnsafeMutableBufferPointer { scratch in
                zip(rows, targets).map { row, target in
                    let x = all.baseAddress! + row * vocabulary
                    return VectorMath.logSumExp(x, vocabulary, scratch: scratch.baseAddress!) - Double(x[Int(target)])
                }
            }
        }
    }
}
