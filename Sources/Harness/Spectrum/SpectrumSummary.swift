/// Mean and median of one quantity over heads.
public struct MeanMedian: Codable, Sendable, Equatable {
    public var mean: Double
    public var median: Double

    public init(_ values: [Double]) {
        mean = values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count)
        median = Quantile.linear(sorted: values.sorted(), 0.5)
    }

    public init(mean: Double, median: Double) {
        self.mean = mean
        self.median = median
    }
}

/// How much a per-window figure moved between windows.
public struct WindowSpread: Codable, Sendable, Equatable {
    public var min: Double
    public var max: Double
    /// Sample standard deviation over windows (0 for one window).
    public var standardDeviation: Double

    public init(_ values: [Double]) {
        min = values.min() ?? 0
        max = values.max() ?? 0
        let mean = values.reduce(0, +) / Double(Swift.max(values.count, 1))
        let squares = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +)
        standardDeviation = values.count > 1 ? (squares / Double(values.count - 1)).squareRoot() : 0
    }

    enum CodingKeys: String, CodingKey { case min, max, standardDeviation = "standard_deviation" }
}

/// The model summary in the form of the paper's table: `M@f` and `Ẽ@f` over heads, their
/// ratio, and effective ranks, for f = 90%, 95%, 99%.
public struct SpectrumSummary: Codable, Sendable, Equatable {
    /// The energy fractions, in the order of every array below.
    public var fractions: [Double]
    /// `M@f` over heads.
    public var interaction: [MeanMedian]
    /// `Ẽ@f` over heads (each head averaged over windows first).
    public var logits: [MeanMedian]
    /// `M@f / Ẽ@f`: ratio of the means, and ratio of the medians.
    public var ratio: [MeanMedian]
    public var interactionEffectiveRank: MeanMedian
    public var logitEffectiveRank: MeanMedian
    /// Per fraction, the spread between windows of the mean `Ẽ@f` over heads.
    public var logitWindowSpread: [WindowSpread]

    public init(heads: [HeadSpectrum], windows: Int) {
        fractions = SpectrumStatistics.fractions
        let indices = fractions.indices
        interaction = indices.map { i in MeanMedian(heads.map { Double($0.interaction.counts[i]) }) }
        logits = indices.map { i in MeanMedian(heads.map { $0.meanLogitCounts[i] }) }
        ratio = indices.map { [interaction, logits] i in
            MeanMedian(mean: logits[i].mean > 0 ? interaction[i].mean / logits[i].mean : 0,
                       median: logits[i].median > 0 ? interaction[i].median / logits[i].median : 0)
        }
        interactionEffectiveRank = MeanMedian(heads.map(\.interaction.effectiveRank))
        logitEffectiveRank = MeanMedian(heads.map(\.meanLogitEffectiveRank))
        logitWindowSpread = indices.map { i in
            WindowSpread((0 ..< windows).map { w in
                MeanMedian(heads.compactMap { w < $0.logits.count ? Double($0.logits[w].counts[i]) : nil }).mean
            })
        }
    }

    enum CodingKeys: String, CodingKey {
        case fractions, interaction = "M", logits = "E", ratio = "M_over_E"
        case interactionEffectiveRank = "M_effective_rank", logitEffectiveRank = "E_effective_rank"
        case logitWindowSpread = "E_window_spread"
    }
}

/// Means over one layer's units of every count and effective rank.
public struct LayerSpectrumRow: Codable, Sendable, Equatable {
    public var layer: Int
    /// Mean `M@f` per fraction.
    public var interaction: [Double]
    /// Mean `Ẽ@f` per fraction.
    public var logits: [Double]
    public var interactionEffectiveRank: Double
    public var logitEffectiveRank: Double

    enum CodingKeys: String, CodingKey {
        case layer, interaction = "M", logits = "E"
        case interactionEffectiveRank = "M_effective_rank", logitEffectiveRank = "E_effective_rank"
    }

    /// One row per layer `0 ..< layers` (a layer without heads gets zeros).
    static func rows(heads: [HeadSpectrum], layers: Int) -> [LayerSpectrumRow] {
        (0 ..< layers).map { layer in
            let units = heads.filter { $0.layer == layer }
            return LayerSpectrumRow(
                layer: layer,
                interaction: SpectrumStatistics.fractions.indices.map { i in MeanMedian(units.map { Double($0.interaction.counts[i]) }).mean },
                logits: SpectrumStatistics.fractions.indices.map { i in MeanMedian(units.map { $0.meanLogitCounts[i] }).mean },
                interactionEffectiveRank: MeanMedian(units.map(\.interaction.effectiveRank)).mean,
                logitEffectiveRank: MeanMedian(units.map(\.meanLogitEffectiveRank)).mean
            )
        }
    }
}
