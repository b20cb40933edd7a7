/// Everything `kvbench spectrum` measured on one text: written as `spectrum.json`, and the
/// input of the text report and the SVG heatmap. Field names are snake_case in JSON.
public struct SpectrumDocument: Codable, Sendable, Equatable {
    /// Bumped whenever a field changes meaning or is removed.
    public static let currentSchemaVersion = 1

    public var schemaVersion: Int
    /// The definitions in words, so that the file explains itself.
    public var about: String
    public var model: SpectrumModel
    public var text: SpectrumText
    public var options: SpectrumOptions
    public var summary: SpectrumSummary
    /// One row per layer: means over the layer's units.
    public var layers: [LayerSpectrumRow]
    /// One entry per unit (query head or KV head), layer-major.
    public var heads: [HeadSpectrum]
    /// Wall time of the analysis (forward passes and decompositions), in seconds.
    public var seconds: Double
    /// The part of `seconds` spent in the model's forward passes.
    public var forwardSeconds: Double

    public init(model: SpectrumModel, text: SpectrumText, options: SpectrumOptions, heads: [HeadSpectrum],
                seconds: Double, forwardSeconds: Double) {
        self.schemaVersion = Self.currentSchemaVersion
        self.about = Self.definitions(options)
        self.model = model
        self.text = text
        self.options = options
        self.summary = SpectrumSummary(heads: heads, windows: options.windows)
        self.layers = LayerSpectrumRow.rows(heads: heads, layers: model.layers)
        self.heads = heads
        self.seconds = seconds
        self.forwardSeconds = forwardSeconds
    }

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version", about, model, text, options, summary, layers, heads, seconds
        case forwardSeconds = "forward_seconds"
    }

    /// The measured quantities, stated exactly.
    static func definitions(_ options: SpectrumOptions) -> String {
        "M = W_Q,h^T W_K,g (d_model x d_model), singular values from the d_h x d_h core R_Q R_K^T of thin QR factors. "
            + "E~ = L - rowmean(L) 1^T with L = Q K^T / sqrt(d_h) on n = \(options.context) tokens, queries and keys \(options.keys.rawValue), "
            + (options.centering == .full ? "full n x n centring, no causal mask. " : "each row centred over its causal entries j <= i only, masked entries 0. ")
            + (options.unit == .kv ? "Unit: KV head, its query heads stacked (rows of E~, blocks of M). " : "Unit: query head with its KV head. ")
            + "count@f = smallest k with sum_{i<=k} s_i^2 / sum s_i^2 >= f. "
            + "Effective rank = exp(Shannon entropy of p_i = s_i^2 / sum s^2). "
            + "E~ counts of a head are averaged over the windows."
    }
}

/// The model's identity and attention geometry.
public struct SpectrumModel: Codable, Sendable, Equatable {
    public var file: String
    public var sha256: String
    public var layers: Int
    public var queryHeads: Int
    public var kvHeads: Int
    public var headDim: Int
    public var modelDim: Int

    public init(file: String, sha256: String, layers: Int, queryHeads: Int, kvHeads: Int, headDim: Int, modelDim: Int) {
        self.file = file
        self.sha256 = sha256
        self.layers = layers
        self.queryHeads = queryHeads
        self.kvHeads = kvHeads
        self.headDim = headDim
        self.modelDim = modelDim
    }

    enum CodingKeys: String, CodingKey {
        case file, sha256, layers, queryHeads = "query_heads", kvHeads = "kv_heads", headDim = "head_dim", modelDim = "model_dim"
    }
}

/// The text and which of its tokens were analysed.
public struct SpectrumText: Codable, Sendable, Equatable {
    public var name: String
    public var sha256: String
    /// Tokens in the whole text (no BOS).
    public var tokens: Int
    /// `[start, end)` token ranges of the windows, in order.
    public var windows: [[Int]]

    public init(name: String, sha256: String, tokens: Int, windows: [[Int]]) {
        self.name = name
        self.sha256 = sha256
        self.tokens = tokens
        self.windows = windows
    }
}

/// One unit's spectra: `M` once, `Ẽ` once per window.
public struct HeadSpectrum: Codable, Sendable, Equatable {
    public var layer: Int
    /// Query head index (unit `query`) or KV head index (unit `kv`).
    public var head: Int
    /// The KV head whose keys the unit reads.
    public var kv: Int
    /// Spectrum of `M = W_Q,hᵀ W_K,g`.
    public var interaction: SpectrumStatistics
    /// Spectrum of `Ẽ`, one entry per window.
    public var logits: [SpectrumStatistics]

    public init(layer: Int, head: Int, kv: Int, interaction: SpectrumStatistics, logits: [SpectrumStatistics]) {
        self.layer = layer
        self.head = head
        self.kv = kv
        self.interaction = interaction
        self.logits = logits
    }

    /// `Ẽ`'s count at each energy fraction, averaged over the windows.
    public var meanLogitCounts: [Double] {
        SpectrumStatistics.fractions.indices.map { i in
            logits.map { Double($0.counts[i]) }.reduce(0, +) / Double(max(logits.count, 1))
        }
    }

    /// `Ẽ`'s effective rank averaged over the windows.
    public var meanLogitEffectiveRank: Double {
        logits.map(\.effectiveRank).reduce(0, +) / Double(max(logits.count, 1))
    }
}
