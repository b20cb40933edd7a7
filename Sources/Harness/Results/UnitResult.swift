/// The raw outcome of one evaluation unit: one configuration on one window. Rows are computed
/// from units by one function, so that a whole run, a resumed run and merged shards give the
/// same document. Per-token arrays cover the window's scored continuation tokens, in order.
public struct UnitResult: Codable, Sendable, Equatable {
    /// Canonical configuration spec (the row id).
    public var config: String
    /// Global window index over the suite's corpora, in suite order.
    public var window: Int
    /// `ok` or `failed`.
    public var status: String
    public var error: String?

    /// NLL of each scored token, nats.
    public var nll: [Double]?
    /// KL(identity ‖ this) of each scored token's next-token distribution, nats (0 for identity).
    public var kl: [Double]?
    /// Whether each scored token's top-1 prediction equals identity's.
    public var top1Match: [Bool]?
    /// Probability of the reference token under this configuration minus under identity.
    public var dp: [Double]?

    /// Per layer: sum over (query head, continuation query) of `‖o′ − o‖/‖o‖`, and the count.
    public var attentionErrorSum: [Double]?
    public var attentionErrorCount: [Int]?

    /// Bytes of all encodings of this window (layers × KV heads × K and V).
    public var bytesEncoded: Int?
    /// Bytes of an fp16 cache of the same tokens.
    public var bytesFP16: Int?
    /// Per-model constant bytes of this configuration (the same in every unit).
    public var modelConstantBytes: Int?

    /// Tokens passed through `append`, and seconds spent in `append` / `reconstruct`.
    public var cachedTokens: Int?
    public var compressSeconds: Double?
    public var reconstructSeconds: Double?
    /// Continuation tokens processed, and wall seconds for this unit (excluding the shared prefix).
    public var continuationTokens: Int?
    public var wallSeconds: Double?
    /// CPU seconds of the unit's worker thread (units run single-threaded): on a shared machine,
    /// where wall time depends on the neighbours, this shows the work itself.
    public var cpuSeconds: Double?

    public init(config: String, window: Int, status: String, error: String? = nil) {
        self.config = config
        self.window = window
        self.status = status
        self.error = error
    }

    enum CodingKeys: String, CodingKey {
        case config, window, status, error, nll, kl, top1Match = "top1_match", dp
        case attentionErrorSum = "attention_error_sum", attentionErrorCount = "attention_error_count"
        case bytesEncoded = "bytes_encoded", bytesFP16 = "bytes_fp16", modelConstantBytes = "model_constant_bytes"
        case cachedTokens = "cached_tokens", compressSeconds = "compress_seconds"
        case reconstructSeconds = "reconstruct_seconds", continuationTokens = "continuation_tokens"
        case wallSeconds = "wall_seconds", cpuSeconds = "cpu_seconds"
    }
}
