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
        let (suite, _) = try Suite.load(path: suitePath)
        let tolerances = try GateTolerances(suite: suite, source: suitePath)
        let document = try runSuite(suitePath)
        let path = out ?? "baselines/\(suite.name).json"
        try Baseline(run: document, tolerances: tolerances).write(to: path)
        let failed = document.rows.filter { $0.status != "ok" }.map(\.id)
        FileHandle.standardError.write(Data("wrote \(path): \(document.rows.count) configurations, \(document.provenance.windows) windows\(failed.isEmpty ? "" : "; failed: " + failed.joined(separator: ", "))\n".utf8))
        return 0
    }

    /// Runs the suite at `path` the way `kvbench run --suite` does and returns its document.
    static func runSuite(_ path: String) throws -> ResultsDocument {
        throw HarnessError("running a suite is not available yet; pass --results FILE")
    }
}
