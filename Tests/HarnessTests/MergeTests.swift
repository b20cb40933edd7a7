import Foundation
import Harness
import Testing

@Suite("Merge")
struct MergeTests {
    static let configurations = ["identity", "online-svd:ratio=4", "q4_0", "broken"]
    static let windows = 7

    /// Deterministic synthetic units: every (configuration, window) with per-token arrays whose
    /// values depend on both, and one configuration failing on one window.
    static func unit(_ config: String, _ window: Int) -> UnitResult {
        if config == "broken", window == 3 { return UnitResult(config: config, window: window, status: "failed", error: "NaN") }
        let c = Double(configurations.firstIndex(of: config)!)
        var unit = UnitResult(config: config, window: window, status: "ok")
        let tokens = 16
        unit.nll = (0 ..< tokens).map { t in 2 + sin(Double(window * 31 + t)) + 0.01 * c * Double(t % 3 + window * window) }
        unit.kl = (0 ..< tokens).map { t in c == 0 ? 0 : 0.001 * c * Double((t + window) % 5) }
        unit.top1Match = (0 ..< tokens).map { t in c == 0 || (t + window) % 7 != 0 }
        unit.dp = (0 ..< tokens).map { t in c == 0 ? 0 : -0.002 * c * Double(t % 4) }
        unit.attentionErrorSum = [0.1 * c, 0.2 * c + Double(window) * 0.01]
        unit.attentionErrorCount = [tokens * 9, tokens * 9]
        unit.bytesFP16 = 98_304
        unit.bytesEncoded = c == 0 ? 98_304 : 98_304 / (2 + Int(c))
        unit.modelConstantBytes = Int(c) * 1000
        unit.cachedTokens = 384 + tokens
        unit.compressSeconds = 0.001 * (c + 1) + 1e-5 * Double(window)
        unit.reconstructSeconds = 0.002 * (c + 1)
        unit.continuationTokens = tokens
        unit.wallSeconds = 0.05 + 0.01 * c + 0.001 * Double(window)
        return unit
    }

    /// What `kvbench run` writes: units sorted by (window, configuration), rows from `aggregate`,
    /// units kept only in a shard document.
    static func document(windows: [Int], shard: String?) -> ResultsDocument {
        let units = windows.flatMap { w in configurations.map { unit($0, w) } }
        var provenance = GateFixtures.provenance(shard: shard, windows: windows.count)
        provenance.date = shard.map { "2026-12-04T20:0\($0.prefix(1)):00Z" } ?? "2026-12-04T20:01:00Z"
        return ResultsDocument(provenance: provenance, rows: aggregate(units), units: shard == nil ? nil : units)
    }

    static func shards(_ count: Int) -> [(file: String, document: ResultsDocument)] {
        (1 ... count).map { i in
            (file: "part\(i).json", document: document(windows: (0 ..< windows).filter { $0 % count == i - 1 }, shard: "\(i)/\(count)"))
        }
    }

    @Test(arguments: [1, 2, 3, 7])
    func mergeOfShardsEqualsTheUnshardedRun(count: Int) throws {
        let whole = Self.document(windows: Array(0 ..< Self.windows), shard: nil)
        let merged = try ShardMerge.merge(Self.shards(count).reversed())
        #expect(merged == whole)
        #expect(merged.rows.map(\.id) == Self.configurations)
        #expect(merged.rows[3].status == "failed")
        // Shard rows differ from the whole run's (fewer windows): the merge really recomputes them.
        if count > 1 { #expect(Self.shards(count)[0].document.rows[1].nllDrift != whole.rows[1].nllDrift) }

        let kept = try ShardMerge.merge(Self.shards(count), keepUnits: true)
        #expect(kept.units?.count == Self.windows * Self.configurations.count)
        #expect(kept.units?.map(\.window) == (kept.units?.map(\.window) ?? []).sorted())
        #expect(kept.rows == whole.rows)
    }

    @Test func refusesPartsOfDifferentRuns() throws {
        var parts = Self.shards(3)
        parts[1].document.provenance.gitCommit = "fedcba9876543210"
        try expectRefusal(parts, mentioning: "git_commit")

        parts = Self.shards(3)
        parts[2].document.provenance.modelSHA256 = String(repeating: "e", count: 64)
        try expectRefusal(parts, mentioning: "model_sha256")

        parts = Self.shards(3)
        parts[0].document.provenance.suite = "default"
        try expectRefusal(parts, mentioning: "suite")

        parts = Self.shards(3)
        parts[0].document.provenance.corpora[0].sha256 = String(repeating: "0", count: 64)
        try expectRefusal(parts, mentioning: "corpora")
    }

    @Test func refusesOverlapsDuplicatesAndGaps() throws {
        var parts = Self.shards(3)
        try expectRefusal(Array(parts.prefix(2)), mentioning: "missing shard(s) 3/3")
        try expectRefusal(parts + [parts[1]], mentioning: "given twice")

        parts = Self.shards(3)
        parts[0].document.units!.append(parts[0].document.units![0])
        try expectRefusal(parts, mentioning: "appears twice")

        parts = Self.shards(3)
        parts[1].document.units!.removeAll { $0.config == "q4_0" && $0.window == 4 }
        try expectRefusal(parts, mentioning: "q4_0 @ window 4 is missing")

        parts = Self.shards(3)
        parts[1].document.units![0].window = 2
        try expectRefusal(parts, mentioning: "not part of shard 2/3")

        parts = Self.shards(3)
        parts[2].document.units = nil
        try expectRefusal(parts, mentioning: "no units")

        parts = Self.shards(2)
        parts[1].document.provenance.shard = "2/3"
        try expectRefusal(parts, mentioning: "shard of 3")

        try expectRefusal([(file: "whole.json", document: Self.document(windows: [0, 1], shard: nil))], mentioning: "not a shard")
    }

    func expectRefusal(_ parts: [(file: String, document: ResultsDocument)], mentioning text: String,
                       sourceLocation: SourceLocation = #_sourceLocation) throws {
        let error = try #require(throws: HarnessError.self, sourceLocation: sourceLocation) { try ShardMerge.merge(parts) }
        #expect(error.description.contains(text), "\(error)", sourceLocation: sourceLocation)
        #expect(!error.description.contains("\n"), sourceLocation: sourceLocation)
    }
}
