import Foundation
import KVCompression

/// The ranking of every configuration in one or more results documents of the same evaluation.
///
/// Two rankings, because neither alone is fair:
/// - **At equal compression ratio**: `ok` rows are grouped by the ratio they were asked for
///   (`ratio=k` in the configuration: a rank-based strategy meets it in whole rank steps, so
///   `online-svd:ratio=8` may land at 8.6× and still belongs beside the others at ×8), else by
///   their measured ratio rounded to the nearest integer (≈×1, ≈×2, ≈×4, …), and ranked within a
///   group by `|nll_drift|`, then KL.
///   Drift is taken by magnitude: it measures departure from the identity reference.
/// - **By area under the drift curve**, per strategy (the id before `:`): the trapezoid integral
///   of `|nll_drift|` over `ln(compression_ratio)`, through the strategy's points sorted by ratio
///   and anchored at (ratio 1, drift 0) — storing everything loses nothing. Strategies reach
///   different ratios, so the ranking is by the *mean* drift over the covered span, `area / span`
///   with `span = ln(max ratio)`; area and span are shown beside it. Identity (span 0) is the
///   reference and is not ranked.
///
/// Failed rows are never dropped: they are listed with their reason.
public struct Leaderboard: Codable, Sendable, Equatable {
    /// One configuration's row, where it ranks and which file it came from. The row's metrics
    /// read through as properties (`entry.nllDrift`); in JSON they sit beside `rank`,
    /// `strategy` and `source`, under the results file's own names.
    @dynamicMemberLookup
    public struct Entry: Codable, Sendable, Equatable {
        /// Rank within its ratio group (1 = least drift); `nil` for failed rows.
        public var rank: Int?
        /// The configuration's strategy: its id before `:`.
        public var strategy: String {
            String(row.id.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)[0])
        }
        /// The results file the row came from.
        public var source: String
        public var row: ResultRow

        public subscript<Value>(dynamicMember keyPath: KeyPath<ResultRow, Value>) -> Value { row[keyPath: keyPath] }

        init(row: ResultRow, source: String) {
            self.row = row
            self.source = source
        }

        private enum CodingKeys: String, CodingKey { case rank, strategy, source }

        public init(from decoder: Decoder) throws {
            row = try ResultRow(from: decoder)
            let container = try decoder.container(keyedBy: CodingKeys.self)
            rank = try container.decodeIfPresent(Int.self, forKey: .rank)
            source = try container.decode(String.self, forKey: .source)
        }

        public func encode(to encoder: Encoder) throws {
            try row.encode(to: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encodeIfPresent(rank, forKey: .rank)
            try container.encode(strategy, forKey: .strategy)
            try container.encode(source, forKey: .source)
        }
    }

    /// Configurations of about the same compression ratio, best first.
    public struct RatioGroup: Codable, Sendable, Equatable {
        /// The rounded ratio (1, 2, 4, …); `nil` for ok rows that report no ratio or no drift.
        public var ratio: Int?
        public var entries: [Entry]
    }

    /// One strategy's area under its drift-versus-ratio curve.
    public struct StrategyScore: Codable, Sendable, Equatable {
        public var rank: Int
        public var strategy: String
        public var configurations: Int
        /// Largest compression ratio the strategy reaches.
        public var maxRatio: Double
        /// `∫ |nll_drift| d ln(ratio)` from ratio 1 to `max_ratio`, nats/token × ln-ratio.
        public var area: Double
        /// `area / ln(max_ratio)`, nats/token: the ranking key.
        public var meanDrift: Double

        enum CodingKeys: String, CodingKey {
            case rank, strategy, configurations, maxRatio = "max_ratio", area, meanDrift = "mean_drift"
        }
    }

    /// Where the ranked rows came from.
    public struct Source: Codable, Sendable, Equatable {
        public var file: String
        public var provenance: Provenance
    }

    public var sources: [Source]
    public var groups: [RatioGroup]
    public var strategies: [StrategyScore]
    public var failed: [Entry]

    /// Every entry of the groups, in display order (best first within ascending ratio).
    public var ranked: [Entry] { groups.flatMap(\.entries) }

    /// Builds the leaderboard from `(file, document)` pairs.
    /// - Throws: `HarnessError` when the documents are not of the same evaluation (model, corpora,
    ///   windows), since their drifts would not be comparable; or when there is no document.
    public init(documents: [(file: String, document: ResultsDocument)]) throws {
        guard let first = documents.first else { throw HarnessError("leaderboard: no results given") }
        for (file, document) in documents.dropFirst() {
            let differences = ProvenanceCheck.sameEvaluation.differences(first.document.provenance, document.provenance)
            guard differences.isEmpty else {
                throw HarnessError("leaderboard: \(file) is not comparable with \(first.file): " + differences.joined(separator: "; "))
            }
        }
        sources = documents.map { Source(file: $0.file, provenance: $0.document.provenance) }

        // A configuration in several files is shown once: its first ok occurrence, else its first.
        var chosen: [String: Entry] = [:]
        var order: [String] = []
        for (file, document) in documents {
            for row in document.rows {
                let entry = Entry(row: row, source: file)
                if let previous = chosen[row.id] {
                    if previous.status != "ok", row.status == "ok" { chosen[row.id] = entry }
                } else {
                    chosen[row.id] = entry
                    order.append(row.id)
                }
            }
        }
        let entries = order.map { chosen[$0]! }
        failed = entries.filter { $0.status != "ok" }
        groups = Self.group(entries.filter { $0.status == "ok" })
        strategies = Self.score(entries.filter { $0.status == "ok" })
    }

    /// Groups ok entries by requested (else rounded measured) ratio and ranks each group by
    /// `|drift|`, then KL, then id.
    static func group(_ entries: [Entry]) -> [RatioGroup] {
        let buckets = Dictionary(grouping: entries) { entry -> Int? in
            guard let measured = entry.compressionRatio, measured.isFinite, entry.nllDrift != nil else { return nil }
            let requested = (try? CompressorConfiguration(parsing: entry.id)).flatMap { try? $0.double("ratio") }
            return max(1, Int((requested ?? measured).rounded()))
        }
        let keys = buckets.keys.sorted { ($0 ?? .max) < ($1 ?? .max) }
        return keys.map { key in
            var members = buckets[key]!.sorted { a, b in
                let da = abs(a.nllDrift ?? .infinity), db = abs(b.nllDrift ?? .infinity)
                if da != db { return da < db }
                let ka = a.klMean ?? .infinity, kb = b.klMean ?? .infinity
                return ka != kb ? ka < kb : a.id < b.id
            }
            if key != nil { for i in members.indices { members[i].rank = i + 1 } }
            return RatioGroup(ratio: key, entries: members)
        }
    }

    /// Per strategy: the trapezoid area of `|drift|` over `ln(ratio)` anchored at (1, 0), ranked
    /// by area per unit of ln-ratio. Identity (the reference; its encoding header puts it a hair
    /// below ratio 1) and strategies covering no span are not scored.
    static func score(_ entries: [Entry]) -> [StrategyScore] {
        let byStrategy = Dictionary(grouping: entries.filter {
            $0.strategy != referenceConfiguration && ($0.compressionRatio ?? 0) > 0 && $0.compressionRatio!.isFinite
                && $0.nllDrift?.isFinite == true
        }, by: \.strategy)
        var scores: [StrategyScore] = []
        for (strategy, members) in byStrategy {
            let points = ([(x: 0.0, y: 0.0)] + members.map { (x: log($0.compressionRatio!), y: abs($0.nllDrift!)) })
                .sorted { $0.x < $1.x }
            let span = points.last!.x - points.first!.x
            guard span > 0 else { continue }
            var area = 0.0
            for (a, b) in zip(points, points.dropFirst()) { area += (b.x - a.x) * (a.y + b.y) / 2 }
            scores.append(StrategyScore(rank: 0, strategy: strategy, configurations: members.count,
                                        maxRatio: exp(points.last!.x), area: area, meanDrift: area / span))
        }
        scores.sort { $0.meanDrift != $1.meanDrift ? $0.meanDrift < $1.meanDrift : $0.strategy < $1.strategy }
        for i in scores.indices { scores[i].rank = i + 1 }
        return scores
    }
}
