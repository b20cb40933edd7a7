import Foundation
import Harness

/// `kvbench gate`: compares results with a stored baseline and exits 0 (pass), 1 (could not run),
/// 2 (regression), 4 (improvement only: update the baseline) or 5 (baseline not found, or from
/// another model, corpus or window layout).
enum GateCommand {
    static let usage = "gate --baseline FILE [--results FILE] [--suite FILE] [--json]"

    static func run(_ arguments: inout Arguments) throws -> Int32 {
        guard let baselinePath = try arguments.value("--baseline") else { throw UsageError("gate needs --baseline FILE") }
        let resultsPath = try arguments.value("--results")
        let suitePath = try arguments.value("--suite")
        let json = arguments.flag("--json")
        try arguments.finish()

        let baseline: Baseline
        do { baseline = try Baseline.load(baselinePath) } catch ResultsFileError.notFound(let path) {
            reportError(HarnessError("baseline \(path) not found; write one with `kvbench baseline update --suite FILE`"))
            return GateExitCode.baselineMismatch.rawValue
        }
        // The suite file gives tolerances (after the baseline's) and, without --results, the run.
        let suiteFile = suitePath ?? (resultsPath == nil ? "Benchmarks/Suites/\(baseline.document.provenance.suite).json" : nil)
        let suite = try suiteFile.map { try Suite.load(path: $0) }
        let suiteTolerances = try suite.flatMap { try GateTolerances(suite: $0.suite, source: suiteFile!) }

        let results: ResultsDocument
        let label: String
        if let resultsPath {
            results = try ResultsFile.load(resultsPath)
            label = resultsPath
        } else if let suite {
            results = try BaselineCommand.runSuite(suite.suite, sha256: suite.sha256)
            label = "a fresh run of \(suiteFile!)"
        } else {
            throw UsageError("gate needs --results FILE or a suite to run")
        }
        let report = Gate.compare(baseline: baseline, results: results, suiteTolerances: suiteTolerances)
        let text = json ? try report.json(baselinePath: baselinePath, resultsLabel: label)
            : report.text(baselinePath: baselinePath, resultsLabel: label)
        FileHandle.standardOutput.write(Data(text.utf8))
        return report.exitCode.rawValue
    }
}
