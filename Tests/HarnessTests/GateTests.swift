import Foundation
import Harness
import Testing

@Suite("Gate")
struct GateTests {
    let base = GateFixtures.document()

    @Test func identicalResultsPass() {
        let report = Gate.compare(baseline: Baseline(document: base), results: base)
        #expect(report.exitCode == .pass)
        #expect(report.findings.isEmpty)
        #expect(report.configurations == 5)
    }

    @Test func baselineBetterThanResultsIsARegression() throws {
        var edited = base
        edited.rows[2].nllDrift = 0.01  // the stored drift is better than the 0.02 achieved
        let report = Gate.compare(baseline: Baseline(document: edited), results: base)
        #expect(report.exitCode == .regression)
        let finding = try #require(report.findings.first)
        #expect(report.findings.count == 1)
        #expect(finding.config == "online-svd:ratio=4" && finding.metric == "nll_drift")
        #expect(finding.verdict == .regression)
        #expect(finding.baseline == 0.01 && finding.result == 0.02)
    }

    @Test func baselineWorseThanResultsIsImprovementOnly() {
        var edited = base
        edited.rows[3].klMean! += 0.05
        edited.rows[3].top1Agreement! -= 0.01
        let report = Gate.compare(baseline: Baseline(document: edited), results: base)
        #expect(report.exitCode == .improvementOnly)
        #expect(report.findings.map(\.metric) == ["kl_mean", "top1_agreement"])
        #expect(report.regressions.isEmpty)
    }

    @Test func movesWithinToleranceAndSignOfDriftHandled() {
        var results = base
        results.rows[2].nllDrift! += 0.9e-4
        results.rows[2].attentionErrorPerLayer![1] -= 0.9e-4
        results.rows[1].speedRatio = 0.8 / 1.45  // inside ×1.5
        var report = Gate.compare(baseline: Baseline(document: base, tolerances: GateTolerances(speedRatio: 0.5)), results: results)
        #expect(report.exitCode == .pass)

        // A drift that flips sign with the same magnitude is no change; a larger negative one is.
        results = base
        results.rows[2].nllDrift = -0.02
        #expect(Gate.compare(baseline: Baseline(document: base), results: results).exitCode == .pass)
        results.rows[2].nllDrift = -0.03
        report = Gate.compare(baseline: Baseline(document: base), results: results)
        #expect(report.exitCode == .regression)
    }

    @Test func perLayerAttentionBytesAndSpeed() {
        let speedGated = Baseline(document: base, tolerances: GateTolerances(speedRatio: 0.5))
        var results = base
        results.rows[3].attentionErrorPerLayer![2] += 0.01
        results.rows[2].bytesEncoded! += 1
        results.rows[1].speedRatio = 0.8 / 1.6  // slower than ×1.5 allows
        let report = Gate.compare(baseline: speedGated, results: results)
        #expect(report.exitCode == .regression)
        #expect(Set(report.regressions.map(\.metric)) == ["attention_error[2]", "bytes_encoded", "speed_ratio"])

        var faster = base
        faster.rows[1].speedRatio = 0.8 * 1.6
        faster.rows[2].bytesEncoded! -= 8
        let improved = Gate.compare(baseline: speedGated, results: faster)
        #expect(improved.exitCode == .improvementOnly)
        #expect(improved.improvements.count == 2)
    }

    @Test func speedIsOnlyNotedWithoutAStatedTolerance() {
        var results = base
        results.rows[1].speedRatio = 0.8 * 5  // a move measured between two runs of unchanged code
        results.rows[2].speedRatio = 0.8 * 1.2
        let report = Gate.compare(baseline: Baseline(document: base), results: results)
        #expect(report.exitCode == .pass)
        #expect(report.notes.filter { $0.contains("speed_ratio") }.count == 1)
        #expect(report.notes.contains { $0.hasPrefix("q8_0: speed_ratio 0.8 → 4 (not gated") })
        let gated = Gate.compare(baseline: Baseline(document: base), results: results,
                                 suiteTolerances: GateTolerances(speedRatio: 3))
        #expect(gated.exitCode == .improvementOnly)
    }

    @Test func missingFailedAndNewConfigurations() {
        var results = base
        results.rows.remove(at: 3)
        #expect(Gate.compare(baseline: Baseline(document: base), results: results).exitCode == .regression)

        results = base
        results.rows[2] = GateFixtures.failed("online-svd:ratio=4", "NaN in reconstruction")
        let failed = Gate.compare(baseline: Baseline(document: base), results: results)
        #expect(failed.exitCode == .regression)
        #expect(failed.findings.first?.note?.contains("NaN in reconstruction") == true)

        results = base
        results.rows.append(GateFixtures.row("q4_0", drift: 0.01, ratio: 3.56))
        results.rows[4] = GateFixtures.row("broken:rank=0", drift: 0.5, ratio: 2)  // failed in the baseline, ok now
        let improved = Gate.compare(baseline: Baseline(document: base), results: results)
        #expect(improved.exitCode == .improvementOnly)
        #expect(Set(improved.findings.map(\.config)) == ["q4_0", "broken:rank=0"])
    }

    @Test func anotherModelOrCorpusIsAMismatch() {
        let other = GateFixtures.document(model: String(repeating: "b", count: 64))
        let report = Gate.compare(baseline: Baseline(document: base), results: other)
        #expect(report.exitCode == .baselineMismatch)
        #expect(report.mismatch.count == 1 && report.mismatch[0].hasPrefix("model_sha256"))

        var corpus = base
        corpus.provenance.corpora[0].sha256 = String(repeating: "d", count: 64)
        corpus.provenance.window = 1024
        #expect(Gate.compare(baseline: Baseline(document: base), results: corpus).mismatch.count == 2)
    }

    @Test func tolerancesBaselineThenSuiteThenDefaults() throws {
        var results = base
        results.rows[2].nllDrift! += 0.005
        results.rows[2].klMean! += 0.005
        let loose = GateTolerances(nllDrift: 0.01)
        // The baseline's nll_drift tolerance absorbs the drift move; kl_mean falls to the suite's.
        var report = Gate.compare(baseline: Baseline(document: base, tolerances: loose), results: results,
                                  suiteTolerances: GateTolerances(nllDrift: 1e-6, klMean: 0.001))
        #expect(report.regressions.map(\.metric) == ["kl_mean"])
        #expect(report.tolerances.nllDrift == 0.01 && report.tolerances.klMean == 0.001)
        #expect(report.tolerances.speedRatio == nil && report.tolerances.top1Agreement == GateTolerances.defaults.top1Agreement)
        report = Gate.compare(baseline: Baseline(document: base, tolerances: GateTolerances(klMean: 0.01)),
                              results: results, suiteTolerances: GateTolerances(nllDrift: 0.01))
        #expect(report.exitCode == .pass)
    }

    @Test func baselineFileRoundTripAndErrors() throws {
        let folder = try GateFixtures.temporaryFolder()
        let path = folder + "/quick.json"
        var run = base
        run.units = [UnitResult(config: "identity", window: 0, status: "ok")]
        try Baseline(run: run, tolerances: GateTolerances(nllDrift: 2e-4)).write(to: path)
        let loaded = try Baseline.load(path)
        #expect(loaded.document.units == nil)
        #expect(loaded.document.rows == base.rows)
        #expect(loaded.tolerances == GateTolerances(nllDrift: 2e-4))
        // A baseline file is still a plain results document for every other reader.
        #expect(try ResultsFile.load(path).rows == base.rows)

        #expect(throws: ResultsFileError.notFound(folder + "/none.json")) { try Baseline.load(folder + "/none.json") }

        try Data("{\"schema_version\": 1, \"rows\": [".utf8).write(to: URL(fileURLWithPath: folder + "/bad.json"))
        let error = try #require(throws: ResultsFileError.self) { try Baseline.load(folder + "/bad.json") }
        #expect(!error.description.contains("\n"))
        #expect(error.description.contains("not valid JSON"))

        let text = String(decoding: try ResultsFile.encode(base), as: UTF8.self)
            .replacingOccurrences(of: "\"nll_drift\" : 0.02,", with: "\"nll_drift\" : \"high\",")
        try Data(text.utf8).write(to: URL(fileURLWithPath: folder + "/typed.json"))
        let typed = try #require(throws: ResultsFileError.self) { try Baseline.load(folder + "/typed.json") }
        #expect(typed.description.contains("rows[2].nll_drift"))

        let unknown = Data(#"{"nll_drift": 1e-4, "kl": 1}"#.utf8)
        #expect(throws: ResultsFileError.self) { try ResultsFile.decode(GateTolerances.self, from: unknown, path: "t") }
        #expect(throws: ResultsFileError.self) {
            try ResultsFile.decode(GateTolerances.self, from: Data(#"{"kl_mean": -1}"#.utf8), path: "t")
        }
    }

    @Test func manyLayersMovingTogetherAreOneLine() {
        var results = base
        for layer in 0 ..< 3 { results.rows[3].attentionErrorPerLayer![layer] += 0.001 * Double(layer + 1) }
        results.rows[2].attentionErrorPerLayer![0] += 0.01
        var report = Gate.compare(baseline: Baseline(document: base), results: results)
        #expect(report.regressions.count == 4)
        var text = report.text(baselinePath: "b.json", resultsLabel: "r.json")
        #expect(text.contains("attention_error[0]") && text.contains("attention_error[2]"))

        var wide = base
        wide.rows[3].attentionErrorPerLayer = Array(repeating: 0.01, count: 8)
        results = wide
        for layer in 0 ..< 8 { results.rows[3].attentionErrorPerLayer![layer] += layer == 5 ? 0.02 : 0.001 }
        report = Gate.compare(baseline: Baseline(document: wide), results: results)
        #expect(report.regressions.count == 8)
        text = report.text(baselinePath: "b.json", resultsLabel: "r.json")
        #expect(!text.contains("attention_error[5]"))
        #expect(text.contains("8 layers; largest at layer 5: +0.02 (+200.0%)"))
    }

    @Test func reportTextAndJSON() throws {
        var edited = base
        edited.rows[2].nllDrift = 0.01
        let report = Gate.compare(baseline: Baseline(document: edited), results: base)
        let text = report.text(baselinePath: "baselines/quick.json", resultsLabel: "r.json")
        #expect(text.contains("online-svd:ratio=4  nll_drift"))
        #expect(text.contains("+0.01 (+100.0%)"))
        #expect(text.contains("REGRESSION"))
        #expect(text.hasSuffix("→ exit 2 (regression)\n"))
        let json = try report.json(baselinePath: "baselines/quick.json", resultsLabel: "r.json")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(object["exit_code"] as? Int == 2)
        let decoded = try JSONDecoder().decode(GateReport.self, from: JSONSerialization.data(withJSONObject: object["report"]!))
        #expect(decoded == report)
    }
}
