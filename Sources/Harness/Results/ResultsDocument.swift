import Foundation

/// One run's results: provenance plus a row per configuration. This is the stable, versioned
/// JSON that `baselines/`, the gate, `merge` and the leaderboard read. Field names are
/// snake_case in JSON and must not be renamed without bumping `schemaVersion`.
public struct ResultsDocument: Codable, Sendable, Equatable {
    /// Bumped whenever a field changes meaning or is removed.
    public static let currentSchemaVersion = 1

    public var schemaVersion: Int
    public var provenance: Provenance
    /// One row per configuration, `identity` first, then in suite order.
    public var rows: [ResultRow]
    /// The raw units the rows were computed from. Kept in shard documents, so that `merge` can
    /// recompute rows exactly (checkpoints keep units too, as JSON Lines of `UnitResult`).
    public var units: [UnitResult]?

    public init(schemaVersion: Int = ResultsDocument.currentSchemaVersion, provenance: Provenance,
                rows: [ResultRow], units: [UnitResult]? = nil) {
        self.schemaVersion = schemaVersion
        self.provenance = provenance
        self.rows = rows
        self.units = units
    }

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version", provenance, rows, units
    }
}

/// Where a result came from: enough to refuse comparing or merging unlike things.
public struct Provenance: Codable, Sendable, Equatable {
    /// Suite name (file stem) or `ad-hoc`.
    public var suite: String
    /// SHA-256 of the suite file's bytes, or of the ad-hoc arguments.
    public var suiteSHA256: String
    public var modelFile: String
    public var modelSHA256: String
    /// Evaluation corpora, in order.
    public var corpora: [CorpusProvenance]
    /// Calibration corpus for calibrated strategies, if any.
    public var calibration: CorpusProvenance?
    /// Window length W, prefix length P and continuation chunk C, in tokens.
    public var window: Int
    public var prefix: Int
    public var chunk: Int
    /// Windows evaluated (after `max_windows`).
    public var windows: Int
    public var gitCommit: String
    /// OpenBLAS kernel in use (`openblas_get_corename`), e.g. `SkylakeX`.
    public var blasCore: String
    /// Windows evaluated at once, one per thread, each with single-threaded BLAS (the figures
    /// do not depend on it).
    public var threads: Int
    /// ISO-8601 UTC time the run started.
    public var date: String
    /// `i/N` when this document is one shard of a run, `nil` for a whole run.
    public var shard: String?

    enum CodingKeys: String, CodingKey {
        case suite, suiteSHA256 = "suite_sha256", modelFile = "model_file", modelSHA256 = "model_sha256"
        case corpora, calibration, window, prefix, chunk, windows, gitCommit = "git_commit"
        case blasCore = "blas_core", threads, date, shard
    }
}

/// One text file pinned by hash.
public struct CorpusProvenance: Codable, Sendable, Equatable {
    public var name: String
    public var sha256: String
    public var bytes: Int
    public var tokens: Int
}

/// Every metric of one configuration. Quality metrics are over continuation tokens only.
public struct ResultRow: Codable, Sendable, Equatable {
    /// Canonical configuration spec, e.g. `online-svd:ratio=4`.
    public var id: String
    /// `ok` or `failed`.
    public var status: String
    /// Why the row failed (one line), when `status == "failed"`.
    public var error: String?

    /// Mean continuation NLL minus identity's on the same tokens, nats/token.
    public var nllDrift: Double?
    /// Paired bootstrap 95% interval of `nll_drift` over windows, `[low, high]`.
    public var nllDriftCI95: [Double]?
    /// Relative perplexity change, `exp(nll_drift) − 1`.
    public var pplChange: Double?
    /// Mean KL(reference ‖ compressed) of next-token distributions, nats.
    public var klMean: Double?
    /// 99th percentile of the per-token KL, nats.
    public var klP99: Double?
    /// Share of scored tokens whose top-1 prediction equals identity's.
    public var top1Agreement: Double?
    /// RMS of the change in the reference token's probability.
    public var rmsDp: Double?
    /// Mean over layers, heads and continuation queries of `‖o′ − o‖ / ‖o‖`.
    public var attentionError: Double?
    /// The same, per layer.
    public var attentionErrorPerLayer: [Double]?

    /// Per-sequence bytes of the encodings, summed over windows, layers, heads, K and V.
    public var bytesEncoded: Int?
    /// Bytes an fp16 cache of the same tokens takes.
    public var bytesFP16: Int?
    /// `1 − bytes_encoded / bytes_fp16`.
    public var bytesSaved: Double?
    /// `bytes_fp16 / bytes_encoded`.
    public var compressionRatio: Double?
    /// Bytes of state shared by all sequences (calibrated basis, projection), reported apart.
    public var modelConstantBytes: Int?

    /// Compressor time (append) per cached token, seconds.
    public var compressSecondsPerToken: Double?
    /// Reconstruction time per cached token, seconds.
    public var reconstructSecondsPerToken: Double?
    /// Continuation tokens processed per second by the harness for this configuration.
    public var tokensPerSecond: Double?
    /// `compress_seconds_per_token` over identity's in the same run.
    public var compressTimeRatio: Double?
    /// `reconstruct_seconds_per_token` over identity's in the same run.
    public var reconstructTimeRatio: Double?
    /// `tokens_per_second` over identity's in the same run.
    public var speedRatio: Double?

    /// Per-window mean NLL of this configuration (nats/token), for readers who want the spread
    /// across windows; merge and the bootstrap work from the units.
    public var windowNLL: [Double]?

    public init(id: String, status: String, error: String? = nil) {
        self.id = id
        self.status = status
        self.error = error
    }

    enum CodingKeys: String, CodingKey {
        case id, status, error
        case nllDrift = "nll_drift", nllDriftCI95 = "nll_drift_ci95", pplChange = "ppl_change"
        case klMean = "kl_mean", klP99 = "kl_p99", top1Agreement = "top1_agreement", rmsDp = "rms_dp"
        case attentionError = "attention_error", attentionErrorPerLayer = "attention_error_per_layer"
        case bytesEncoded = "bytes_encoded", bytesFP16 = "bytes_fp16", bytesSaved = "bytes_saved"
        case compressionRatio = "compression_ratio", modelConstantBytes = "model_constant_bytes"
        case compressSecondsPerToken = "compress_seconds_per_token"
        case reconstructSecondsPerToken = "reconstruct_seconds_per_token"
        case tokensPerSecond = "tokens_per_second", compressTimeRatio = "compress_time_ratio"
        case reconstructTimeRatio = "reconstruct_time_ratio", speedRatio = "speed_ratio"
        case windowNLL = "window_nll"
    }
}
