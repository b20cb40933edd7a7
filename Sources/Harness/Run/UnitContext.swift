import Foundation
import KVCompression
import LinearAlgebra
import Model

/// The exact prefix of one window, shared by every configuration.
struct ExactPrefix {
    /// Per layer, `[P × kvWidth]` keys before RoPE and values.
    var keys: [Matrix]
    var values: [Matrix]
}

/// Evaluates one unit (a configuration on a window): seeds the compressors with the exact
/// prefix, runs the continuation chunk by chunk through the compressing cache and scores it.
///
/// One context per worker thread: it owns the session (model replica) it runs on. Units run with
/// single-threaded BLAS, so a unit's CPU time is its thread's.
struct UnitContext {
    let session: ModelSession
    let plan: RunPlan
    let rotation: RotationTable

    init(session: ModelSession, plan: RunPlan) {
        self.session = session
        self.plan = plan
        rotation = RotationTable(rope: session.rope, count: plan.window)
    }

    /// The window's first `P` tokens through the model with exact attention, computed once.
    func prefix(_ tokens: [Int32]) throws -> ExactPrefix {
        guard plan.prefix > 0 else { return ExactPrefix(keys: [], values: []) }
        let cache = session.exactCache(capacity: plan.prefix)
        try session.prefill(Array(tokens[0 ..< plan.prefix]), cache: cache)
        let layers = 0 ..< session.geometry.layers
        return ExactPrefix(keys: layers.map { cache.keysBeforeRoPE(layer: $0)! }, values: layers.map { cache.values(layer: $0) })
    }

    /// Runs `configuration` on `window`. With `recordReference` the scored distributions are
    /// returned for the other configurations to compare with (this is `identity`); otherwise
    /// the unit is scored against `reference`.
    func evaluate(_ configuration: CompressorConfiguration, type: any KVCompressor.Type,
                  shared: Result<SharedState, CompressorFailure>, window: EvaluationWindow, prefix: ExactPrefix,
                  reference: ReferenceDistributions?, recordReference: Bool) -> (UnitResult, ReferenceDistributions?) {
        var unit = UnitResult(config: configuration.description, window: window.index, status: "ok")
        var record = ReferenceDistributions(vocabulary: session.vocabulary,
                                            capacity: recordReference ? plan.window - plan.prefix - 1 : 0)
        let started = monotonicSeconds(), startedCPU = threadCPUSeconds()
        do {
            let state = try shared.get()
            let cache = try CompressingCache(type: type, configuration: configuration, shared: state,
                                             geometry: session.geometry, rotation: rotation)
            for layer in prefix.keys.indices {
                try cache.seed(layer: layer, keysPreRoPE: prefix.keys[layer], values: prefix.values[layer])
            }
            var scorer = TokenScorer(vocabulary: session.vocabulary)
            var scores = TokenScores()
            var start = plan.prefix
            let tokens = window.tokens
            while start < plan.window {
                let end = min(start + plan.chunk, plan.window)
                let logits = try session.logits(Array(tokens[start ..< end]), startPosition: start, cache: cache)
                for position in start ..< min(end, plan.window - 1) {
                    scorer.score(logits: logits, row: position - start, target: Int(tokens[position + 1]),
                                 index: position - plan.prefix, reference: reference, record: &record, into: &scores)
                }
                start = end
            }
            let bytes = try cache.encodeAndVerify(configuration: configuration, shared: state)
            unit.nll = scores.nll
            unit.kl = scores.kl
            unit.top1Match = scores.top1Match
            unit.dp = scores.dp
            unit.attentionErrorSum = cache.attentionErrorSum
            unit.attentionErrorCount = cache.attentionErrorCount
            unit.bytesEncoded = bytes.encoded
            unit.bytesFP16 = bytes.fp16
            unit.modelConstantBytes = state.byteCount
            unit.cachedTokens = cache.cachedTokens
            unit.compressSeconds = cache.compressSeconds
            unit.reconstructSeconds = cache.reconstructSeconds
            unit.continuationTokens = plan.window - plan.prefix
            unit.wallSeconds = monotonicSeconds() - started
            unit.cpuSeconds = threadCPUSeconds() - startedCPU
        } catch {
            unit = UnitResult(config: configuration.description, window: window.index, status: "failed",
                              error: String(describing: error).replacingOccurrences(of: "\n", with: " "))
            return (unit, nil)
        }
        return (unit, recordReference ? record : nil)
    }
}
