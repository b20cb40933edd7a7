import Foundation
import Harness
import Model
import Testing

/// The independent NumPy computation in `Fixtures/spectrum-smollm2-kjv.json` (copied from
/// `shared/reference/`; its `about` states the definitions): every head's counts.
private struct ReferenceSpectrum: Decodable {
    struct Head: Decodable {
        var layer: Int, head: Int, kv: Int
        var M90: Int, M95: Int, M99: Int, E90: Int, E95: Int, E99: Int
    }
    struct MeanMedian: Decodable { var mean: Double, median: Double }
    var n: Int
    var summary: [String: MeanMedian]
    var heads: [Head]

    static func load() throws -> ReferenceSpectrum {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/spectrum-smollm2-kjv.json").path
        return try JSONDecoder().decode(ReferenceSpectrum.self, from: try #require(FileManager.default.contents(atPath: path)))
    }
}

@Suite("Spectrum: SmolLM2 on KJV against the independent reference", .serialized)
struct SpectrumReferenceTests {
    /// Each count may differ from the reference by at most 1 (float32 accumulation against
    /// NumPy's, near a threshold), at most 2% of all counts may differ at all, and the means
    /// over heads must agree within 0.3 components. (Measured: all 1620 counts identical.)
    static let countTolerance = 1, differingShare = 0.02, meanTolerance = 0.3

    @Test func defaultOptionsOnTheFirst512TokensMatchEveryHead() throws {
        let reference = try ReferenceSpectrum.load()
        let path = try ModelLocator.resolve(nil)
        let loaded = try SpectrumMeasurement.LoadedModel.load(path: path, sha256: "")
        let text = try TextLoader.load(TextPin(file: "kjv_60k.txt"))
        let options = SpectrumOptions()
        #expect(options.context == reference.n)
        let document = try SpectrumMeasurement.measure(loaded, text: text, options: options)
        print("SpectrumReferenceTests: analysis of one \(options.context)-token window took \(String(format: "%.1f", document.seconds)) s")

        try #require(document.heads.count == reference.heads.count)
        var differing = 0
        for (got, want) in zip(document.heads, reference.heads) {
            try #require(got.layer == want.layer && got.head == want.head && got.kv == want.kv)
            let pairs = zip(got.interaction.counts + got.logits[0].counts, [want.M90, want.M95, want.M99, want.E90, want.E95, want.E99])
            for (index, (a, b)) in pairs.enumerated() where a != b {
                differing += 1
                #expect(abs(a - b) <= Self.countTolerance, "layer \(got.layer) head \(got.head) count \(index): \(a) vs reference \(b)")
            }
        }
        #expect(Double(differing) <= Self.differingShare * Double(6 * reference.heads.count), "\(differing) counts differ")

        let summary = document.summary
        for (i, f) in ["90", "95", "99"].enumerated() {
            let m = try #require(reference.summary["M" + f]), e = try #require(reference.summary["E" + f])
            #expect(abs(summary.interaction[i].mean - m.mean) <= Self.meanTolerance)
            #expect(abs(summary.logits[i].mean - e.mean) <= Self.meanTolerance)
            #expect(abs(summary.interaction[i].median - m.median) <= 1)
            #expect(abs(summary.logits[i].median - e.median) <= 1)
        }
        #if !DEBUG
        // The brief's budget: the whole analysis of one 512-token window in under a minute (release).
        #expect(document.seconds < 60)
        #endif
    }
}
