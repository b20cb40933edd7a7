import Foundation
import Harness

/// `kvbench baseline update`: runs a suite and stores its results as the suite's baseline,
/// `baselines/<suite name>.json` unless `--out` says otherwise.
enum BaselineCommand {
    static let usage = "baseline update --suite FILE [--out FILE]"

    static func run(_ arguments: inout Arguments) throws -> Int32 {
        guard arguments.flag("update") else { throw UsageError("usage: kvbench \(usage)") }
        guard let suitePath = try arguments.value("--suite") else { throw UsageError("baseline update needs --suite FILE") }
        let out = try arguments.value("--out")
        try arguments.finish()
        let (suite, sha256) = try Suite.load(path: suitePath)
        let tolerances = try GateTolerances(suite: suite, source: suitePath)
        let document = try runSuite(suite, sha256: sha256)
        let path = out ?? "baselines/\(suite.name).json"
        try Baseline(run: document, tolerances: tolerances).write(to: path)
        let failed = document.rows.filter { $0.status != "ok" }.map(\.id)
        let summary = "wrote \(path): \(document.rows.count) configurations, \(document.provenance.windows) windows"
            + (failed.isEmpty ? "" : "; failed: " + failed.joined(separator: ", "))
        FileHandle.standardError.write(Data((summary + "\n").utf8))
        return 0
    }

    /// Runs a loaded suite the way `kvbench run --suite` does, with progress on stderr, and
    /// returns its document (nothing is written).
    static func runSuite(_ suite: Suite, sha256: String) throws -> ResultsDocument {
        let evaluation = Evaluation(plan: try RunPlan(suite: suite, sha256: sha256))
        let display = ProgressDisplay()
        evaluation.onNotice = { display.notice($0) }
        evaluation.onProgress = { display.update($0) }
        let document = try evaluation.run(output: nil)
        display.finish()
        return document
    }
}
