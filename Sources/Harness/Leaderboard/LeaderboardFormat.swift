import Foundation

/// The formats `kvbench leaderboard` writes.
public enum LeaderboardFormat: String, CaseIterable, Sendable {
    /// Markdown tables for a README or a pull request.
    case md
    /// One CSV row per configuration, full precision, for spreadsheets and scripts.
    case csv
    /// The `Leaderboard` value as canonical JSON.
    case json
    /// One self-contained HTML page with inline SVG plots; needs no JavaScript.
    case html

    /// Renders `leaderboard` in this format.
    public func render(_ leaderboard: Leaderboard) throws -> String {
        switch self {
        case .md: return LeaderboardMarkdown.render(leaderboard)
        case .csv: return LeaderboardCSV.render(leaderboard)
        case .json: return String(decoding: try ResultsFile.encode(leaderboard), as: UTF8.self)
        case .html: return LeaderboardHTML.render(leaderboard)
        }
    }
}

/// How numbers are shown to people (Markdown and HTML); CSV and JSON keep full precision.
enum Show {
    static func fixed(_ value: Double?, _ digits: Int) -> String {
        guard let value, value.isFinite else { return "–" }
        return String(format: "%.\(digits)f", value)
    }

    /// Three significant digits with an explicit sign: `+0.00123`, `−0.5`, `0`.
    static func signed(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "–" }
        if value == 0 { return "0" }
        return (value > 0 ? "+" : "−") + String(format: "%.3g", abs(value))
    }

    static func significant(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "–" }
        return String(format: "%.3g", value)
    }

    static func percent(_ share: Double?) -> String {
        guard let share, share.isFinite else { return "–" }
        return String(format: "%.1f%%", 100 * share)
    }

    /// `+0.0123 [+0.010, +0.015]`.
    static func drift(_ entry: Leaderboard.Entry) -> String {
        var text = signed(entry.nllDrift)
        if let ci = entry.nllDriftCI95, ci.count == 2 { text += " [\(signed(ci[0])), \(signed(ci[1]))]" }
        return text
    }

    /// The header line describing the evaluation, shared by Markdown and HTML.
    static func evaluation(_ source: Leaderboard.Source) -> String {
        let p = source.provenance
        let corpora = p.corpora.map(\.name).joined(separator: ", ")
        return "\(source.file): suite \(p.suite), model \(p.modelFile) (sha256 \(p.modelSHA256.prefix(12))…), "
            + "\(p.windows) windows of \(p.window) tokens (prefix \(p.prefix), chunk \(p.chunk)) over \(corpora); "
            + "commit \(p.gitCommit.prefix(12)), BLAS \(p.blasCore), \(p.threads) window(s) at a time, \(p.date)"
    }

    /// The columns every ranked table shows, header and cells.
    static let columns = ["ratio", "bytes saved", "NLL drift [95% CI]", "PPL change", "KL mean", "KL p99",
                          "top-1 agree", "attention error", "speed ratio"]

    static func cells(_ entry: Leaderboard.Entry) -> [String] {
        [fixed(entry.compressionRatio, 2), percent(entry.bytesSaved), drift(entry),
         entry.pplChange.map { signed(100 * $0) + "%" } ?? "–", significant(entry.klMean), significant(entry.klP99),
         percent(entry.top1Agreement), significant(entry.attentionError), fixed(entry.speedRatio, 2)]
    }

    static func group(_ ratio: Int?) -> String { ratio.map { "≈×\($0)" } ?? "no ratio" }
}
