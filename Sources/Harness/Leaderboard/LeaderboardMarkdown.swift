/// The leaderboard as Markdown: evaluation, ranking at equal ratio, ranking by area, failures.
enum LeaderboardMarkdown {
    static func render(_ board: Leaderboard) -> String {
        var out = "# KVBench leaderboard\n\n"
        for source in board.sources { out += "- " + escape(Show.evaluation(source)) + "\n" }
        out += "\n## At equal compression ratio\n\n"
        out += "Ratio = fp16 bytes / encoded bytes; grouped by the requested `ratio=` where a configuration states one, else by the measured ratio to the nearest integer; ranked within a group by |NLL drift| "
            + "(nats/token, continuation NLL minus identity's), then KL.\n\n"
        out += row(["group", "rank", "configuration"] + Show.columns) + separator(Show.columns.count + 3)
        for group in board.groups {
            for entry in group.entries {
                out += row([Show.group(group.ratio), entry.rank.map(String.init) ?? "–", "`\(entry.id)`"] + Show.cells(entry))
            }
        }
        out += "\n## By area under the drift curve\n\n"
        out += "Area = ∫ |NLL drift| d ln(ratio) from ratio 1 (drift 0) through the strategy's configurations; "
            + "ranked by mean drift = area / ln(max ratio).\n\n"
        let header = ["rank", "strategy", "configurations", "max ratio", "area", "mean drift"]
        out += row(header) + separator(header.count)
        for s in board.strategies {
            out += row([String(s.rank), "`\(s.strategy)`", String(s.configurations), Show.fixed(s.maxRatio, 2),
                        Show.significant(s.area), Show.significant(s.meanDrift)])
        }
        out += "\n## Failed configurations\n\n"
        if board.failed.isEmpty {
            out += "None.\n"
        } else {
            out += row(["configuration", "reason"]) + separator(2)
            for entry in board.failed { out += row(["`\(entry.id)`", entry.error ?? "no reason given"]) }
        }
        return out
    }

    static func row(_ cells: [String]) -> String {
        "| " + cells.map(escape).joined(separator: " | ") + " |\n"
    }

    static func separator(_ count: Int) -> String {
        "|" + String(repeating: " --- |", count: count) + "\n"
    }

    /// Keeps a cell in its column: pipes escaped, newlines flattened.
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }
}
