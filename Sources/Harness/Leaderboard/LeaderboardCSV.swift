/// The leaderboard as RFC 4180 CSV: one row per configuration (ranked ones, then failed ones),
/// numbers at full precision, the strategy's area ranking repeated on each of its rows.
enum LeaderboardCSV {
    static let header = ["group_ratio", "rank", "id", "strategy", "status", "error", "compression_ratio", "bytes_saved",
                         "nll_drift", "nll_drift_ci95_low", "nll_drift_ci95_high", "ppl_change", "kl_mean", "kl_p99",
                         "top1_agreement", "attention_error", "speed_ratio", "strategy_rank", "strategy_mean_drift", "source"]

    static func render(_ board: Leaderboard) -> String {
        let scores = Dictionary(board.strategies.map { ($0.strategy, $0) }, uniquingKeysWith: { a, _ in a })
        var lines = [header.joined(separator: ",")]
        let rows = board.groups.flatMap { group in group.entries.map { (group.ratio, $0) } } + board.failed.map { (nil, $0) }
        for (ratio, e) in rows {
            let score = scores[e.strategy]
            let fields: [String] = [
                ratio.map(String.init) ?? "", e.rank.map(String.init) ?? "", e.id, e.strategy, e.status, e.error ?? "",
                number(e.compressionRatio), number(e.bytesSaved), number(e.nllDrift),
                number(e.nllDriftCI95?.first), number(e.nllDriftCI95?.last), number(e.pplChange), number(e.klMean),
                number(e.klP99), number(e.top1Agreement), number(e.attentionError), number(e.speedRatio),
                score.map { String($0.rank) } ?? "", number(score?.meanDrift), e.source,
            ]
            lines.append(fields.map(quote).joined(separator: ","))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    static func number(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "" }
        return "\(value)"
    }

    /// Quotes a field holding a comma, quote or line break, doubling inner quotes.
    static func quote(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
