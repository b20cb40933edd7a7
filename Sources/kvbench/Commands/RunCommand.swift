import Foundation
import Harness

/// `kvbench run`: evaluates a suite (or ad-hoc texts and configurations, `identity` always
/// included) and prints the table; the document goes to `--out` (default
/// `results/<suite>.json`, or `results/<suite>.shard-i-of-N.json` for a shard).
enum RunCommand {
    static let usage = "run [--suite FILE] [--model PATH] [--compressor SPEC]... [--text FILE]... [--window W] [--prefix P] [--chunk C] [--max-windows N] [--out FILE] [--resume] [--shard i/N] [--json] [--quiet]"

    static let defaultSuite = "Benchmarks/Suites/default.json"

    static func run(_ arguments: inout Arguments) throws -> Int32 {
        let suitePath = try arguments.value("--suite")
        let modelPath = try arguments.value("--model")
        let specs = try arguments.values("--compressor")
        let texts = try arguments.values("--text")
        let window = try arguments.value("--window").map { try integer("--window", $0, minimum: 2) }
        let prefix = try arguments.value("--prefix").map { try integer("--prefix", $0, minimum: 0) }
        let chunk = try arguments.value("--chunk").map { try integer("--chunk", $0, minimum: 1) }
        let maxWindows = try arguments.value("--max-windows").map { try integer("--max-windows", $0, minimum: 1) }
        let out = try arguments.value("--out")
        let shard = try arguments.value("--shard").map { try Shard(parsing: $0) }
        let resume = arguments.flag("--resume")
        let json = arguments.flag("--json")
        let quiet = arguments.flag("--quiet")
        try arguments.finish()

        let plan: RunPlan
        if suitePath != nil || texts.isEmpty {
            let path = suitePath ?? defaultSuite
            let (suite, sha) = try Suite.load(path: path)
            plan = try RunPlan(suite: suite, sha256: sha, modelPath: modelPath, texts: texts, configurations: specs,
                               window: window, prefix: prefix, chunk: chunk, maxWindows: maxWindows, shard: shard)
        } else {
            plan = try RunPlan(texts: texts, configurations: specs, modelPath: modelPath, window: window ?? 1024,
                               prefix: prefix, chunk: chunk ?? 64, maxWindows: maxWindows, shard: shard)
        }
        let output = out ?? "results/\(plan.suite)" + (shard.map { ".shard-\($0.index)-of-\($0.count)" } ?? "") + ".json"

        let evaluation = Evaluation(plan: plan)
        let display = ProgressDisplay()
        evaluation.onNotice = { display.notice($0) }
        if !quiet { evaluation.onProgress = { display.update($0) } }
        let document = try evaluation.run(output: output, resume: resume)
        display.finish()
        if json {
            FileHandle.standardOutput.write(try ResultsFile.encode(document))
        } else {
            let p = document.provenance
            let header = "\(p.suite): \(p.windows) windows of \(p.window) tokens (prefix \(p.prefix), chunk \(p.chunk)), model \(p.modelFile), BLAS \(p.blasCore), \(p.threads) window(s) at a time\n"
            FileHandle.standardOutput.write(Data((header + ResultsTable.render(document.rows)).utf8))
        }
        if !quiet {
            let configurations = plan.configurations.count
            display.notice(String(format: "evaluated in %.1f s, %.2f s per configuration (shared prefixes included), %d window(s) at a time",
                                  evaluation.evaluationSeconds, evaluation.evaluationSeconds / Double(configurations),
                                  document.provenance.threads))
            display.notice("wrote \(output)")
        }
        return 0
    }

    private static func integer(_ name: String, _ raw: String, minimum: Int) throws -> Int {
        guard let value = Int(raw), value >= minimum else { throw UsageError("\(name) must be an integer >= \(minimum), got '\(raw)'") }
        return value
    }
}
