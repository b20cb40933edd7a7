import Foundation

/// The plain-text table `kvbench run` prints at the end: one line per configuration.
public enum ResultsTable {
    /// Column headers, then one line per row; numbers are rounded for reading, the JSON keeps
    /// full precision.
    public static func render(_ rows: [ResultRow]) -> String {
        let header = ["id", "nll drift [95% CI]", "ppl Δ", "KL", "KL p99", "top1", "attn err", "saved", "ratio", "speed", "status"]
        var lines: [[String]] = [header]
        for row in rows {
            guard row.status == "ok" else {
                lines.append([row.id] + Array(repeating: "–", count: header.count - 2) + ["failed: " + (row.error ?? "")])
                continue
            }
            let drift = row.nllDrift.map { value -> String in
                let ci = row.nllDriftCI95.map { " [\(signed($0[0])), \(signed($0[1]))]" } ?? ""
                return signed(value) + ci
            } ?? "–"
            lines.append([
                row.id, drift, percent(row.pplChange, signed: true), scientific(row.klMean), scientific(row.klP99),
                percent(row.top1Agreement), scientific(row.attentionError), percent(row.bytesSaved),
                row.compressionRatio.map { String(format: "%.2f×", $0) } ?? "–",
                row.speedRatio.map { String(format: "%.2f", $0) } ?? "–", "ok",
            ])
        }
        let widths = header.indices.map { column in lines.map { $0[column].count }.max() ?? 0 }
        return lines.map { line in
            line.enumerated().map { column, cell in
                column == line.count - 1 ? cell : cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }

    private static func signed(_ value: Double) -> String { String(format: "%+.4f", value) }

    private static func scientific(_ value: Double?) -> String {
        guard let value else { return "–" }
        return value == 0 ? "0" : String(format: "%.2e", value)
    }

    private static func percent(_ value: Double?, signed: Bool = false) -> String {
        guard let value else { return "–" }
        return String(format: signed ? "%+.2f%%" : "%.1f%%", value * 100)
    }
}
