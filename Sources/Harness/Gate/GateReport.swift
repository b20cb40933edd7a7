import Foundation

/// What the gate concluded about one metric of one configuration.
public enum GateVerdict: String, Codable, Sendable {
    case pass, regression, improvement
}

/// A metric (or a whole configuration, metric `status`) that moved beyond its tolerance.
public struct GateFinding: Codable, Sendable, Equatable {
    public var config: String
    /// The metric's JSON name (`nll_drift`, `attention_error[3]`, …) or `status`.
    public var metric: String
    public var baseline: Double?
    public var result: Double?
    /// `±0.0001`, `exact` or `×1.5`.
    public var tolerance: String?
    public var verdict: GateVerdict
    /// Why, when the values alone do not say it (missing, failed, new).
    public var note: String?

    public init(config: String, metric: String, baseline: Double? = nil, result: Double? = nil,
                tolerance: String? = nil, verdict: GateVerdict, note: String? = nil) {
        self.config = config
        self.metric = metric
        self.baseline = baseline
        self.result = result
        self.tolerance = tolerance
        self.verdict = verdict
        self.note = note
    }
}

/// The gate's exit codes, in the spirit of package-benchmark.
public enum GateExitCode: Int32, Codable, Sendable {
    case pass = 0
    /// The comparison could not be made: a malformed file, a run that could not start.
    case couldNotRun = 1
    case regression = 2
    /// Only improvements: time to update the baseline.
    case improvementOnly = 4
    /// No baseline at the path, or one from another model, corpus or window layout.
    case baselineMismatch = 5
}

/// The outcome of one gate comparison, printable as a table or as JSON.
public struct GateReport: Codable, Sendable, Equatable {
    /// The tolerances actually applied (baseline, then suite, then defaults).
    public var tolerances: GateTolerances
    /// Provenance disagreements that made the baseline incomparable; empty when compared.
    public var mismatch: [String] = []
    /// Differences worth knowing that did not stop the comparison.
    public var notes: [String] = []
    /// Baseline configurations examined, and metric comparisons made (including status checks).
    public var configurations = 0
    public var comparisons = 0
    /// Everything that moved beyond tolerance, in baseline row order.
    public var findings: [GateFinding] = []

    public init(tolerances: GateTolerances) { self.tolerances = tolerances }

    public var regressions: [GateFinding] { findings.filter { $0.verdict == .regression } }
    public var improvements: [GateFinding] { findings.filter { $0.verdict == .improvement } }

    /// 5 on a mismatch, else 2 if anything regressed, else 4 if anything improved, else 0.
    public var exitCode: GateExitCode {
        if !mismatch.isEmpty { return .baselineMismatch }
        if !regressions.isEmpty { return .regression }
        if !improvements.isEmpty { return .improvementOnly }
        return .pass
    }

    /// A table of what moved and by how much, then one summary line.
    public func text(baselinePath: String, resultsLabel: String) -> String {
        var out = "gate: \(resultsLabel) against \(baselinePath)\n"
        if !mismatch.isEmpty {
            out += "baseline is from another evaluation: " + mismatch.joined(separator: "; ") + "\n"
            out += "exit 5 (baseline mismatch)\n"
            return out
        }
        for note in notes { out += "note: \(note)\n" }
        if !findings.isEmpty {
            var table = [["configuration", "metric", "baseline", "result", "change", "tolerance", "verdict"]]
            let layerGroups = Dictionary(grouping: findings.filter { $0.metric.hasPrefix(GateFormat.perLayerPrefix) }) {
                "\($0.config) \($0.verdict)"
            }
            var summarised = Set<String>()
            for f in findings {
                let verdict = f.verdict == .regression ? "REGRESSION" : "improvement"
                let group = "\(f.config) \(f.verdict)"
                if f.metric.hasPrefix(GateFormat.perLayerPrefix), let layers = layerGroups[group], layers.count > 3 {
                    // Many layers moving together: one line naming the largest move.
                    guard summarised.insert(group).inserted else { continue }
                    let largest = layers.max { abs(($0.result ?? 0) - ($0.baseline ?? 0)) < abs(($1.result ?? 0) - ($1.baseline ?? 0)) }!
                    table.append([f.config, "attention_error[…]", "-", "-",
                                  "\(layers.count) layers; largest at layer \(largest.metric.dropFirst(GateFormat.perLayerPrefix.count).dropLast()): "
                                  + GateFormat.change(largest), f.tolerance ?? "", verdict])
                    continue
                }
                table.append([
                    f.config, f.metric,
                    f.baseline.map(GateFormat.number) ?? "-",
                    f.result.map(GateFormat.number) ?? "-",
                    f.note ?? GateFormat.change(f),
                    f.tolerance ?? "",
                    verdict,
                ])
            }
            out += GateFormat.table(table)
        }
        let summary: String
        switch exitCode {
        case .pass: summary = "pass"
        case .regression: summary = "regression"
        case .improvementOnly: summary = "improvement only: update the baseline"
        case .couldNotRun, .baselineMismatch: summary = "\(exitCode)"
        }
        out += "\(configurations) configurations, \(comparisons) comparisons: \(regressions.count) regressed, "
            + "\(improvements.count) improved → exit \(exitCode.rawValue) (\(summary))\n"
        return out
    }

    /// Machine-readable: this report plus the exit code and the files compared.
    public func json(baselinePath: String, resultsLabel: String) throws -> String {
        struct Envelope: Encodable {
            var baseline: String
            var results: String
            var exitCode: Int32
            var report: GateReport
            enum CodingKeys: String, CodingKey { case baseline, results, exitCode = "exit_code", report }
        }
        let envelope = Envelope(baseline: baselinePath, results: resultsLabel, exitCode: exitCode.rawValue, report: self)
        return String(decoding: try ResultsFile.encode(envelope), as: UTF8.self)
    }

    enum CodingKeys: String, CodingKey {
        case tolerances, mismatch, notes, configurations, comparisons, findings
    }
}

/// Number and table formatting for the gate's text output.
enum GateFormat {
    /// Metric names of per-layer attention errors start with this: `attention_error[3]`.
    static let perLayerPrefix = "attention_error["

    /// Six significant digits, no trailing noise: `0.0123457`, `1e-05`, `442368`.
    static func number(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        return String(format: "%.6g", value)
    }

    /// `+0.003 (+24.3%)` for absolute and exact metrics; `×0.61` for the relative one.
    static func change(_ finding: GateFinding) -> String {
        guard let b = finding.baseline, let r = finding.result else { return "-" }
        if finding.tolerance?.hasPrefix("×") == true { return b == 0 ? "-" : "×" + String(format: "%.3g", r / b) }
        let delta = r - b
        let sign = delta >= 0 ? "+" : ""
        let percent = b == 0 ? "" : " (" + sign + String(format: "%.1f", 100 * delta / abs(b)) + "%)"
        return sign + number(delta) + percent
    }

    /// Left-aligned columns separated by two spaces, a rule under the header.
    static func table(_ rows: [[String]]) -> String {
        let widths = (0 ..< rows[0].count).map { column in rows.map { $0[column].count }.max() ?? 0 }
        func line(_ row: [String]) -> String {
            zip(row, widths).map { cell, width in cell.padding(toLength: width, withPad: " ", startingAt: 0) }
                .joined(separator: "  ").trimmingCharacters(in: .whitespaces) + "\n"
        }
        return line(rows[0]) + line(widths.map { String(repeating: "-", count: $0) }) + rows.dropFirst().map(line).joined()
    }
}
