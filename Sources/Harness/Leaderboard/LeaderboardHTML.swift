/// The leaderboard as one self-contained HTML page: inline CSS and SVG, no scripts, no links to
/// anything outside the file, so it can be attached to a CI run or mailed as is.
enum LeaderboardHTML {
    static func render(_ board: Leaderboard) -> String {
        let e = SVGCharts.escape
        var html = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>KVBench leaderboard</title>
            <style>
            body { font-family: system-ui, sans-serif; margin: 24px 32px; color: #222; }
            h1 { margin-bottom: 4px; } h2 { margin-top: 32px; border-bottom: 1px solid #ddd; }
            table { border-collapse: collapse; font-size: 13px; margin: 8px 0; }
            th, td { padding: 4px 8px; border-bottom: 1px solid #eee; text-align: right; white-space: nowrap; }
            th { background: #f4f4f4; } td.id, th.id { text-align: left; font-family: monospace; }
            td.reason { text-align: left; white-space: normal; color: #a00; }
            tr.first td { border-top: 2px solid #bbb; }
            .meta { color: #555; font-size: 13px; } figure { margin: 12px 0; } figcaption { color: #555; font-size: 13px; }
            </style>
            </head>
            <body>
            <h1>KVBench leaderboard</h1>

            """
        for source in board.sources { html += "<p class=\"meta\">\(e(Show.evaluation(source)))</p>\n" }

        html += "<h2>NLL drift against compression ratio</h2>\n<figure>\n" + SVGCharts.driftChart(board)
        html += "<figcaption>One line per strategy through its configurations; identity (ratio 1, drift 0) is the reference "
            + "and is not drawn. Hollow markers: negative drift, drawn at its magnitude.</figcaption>\n</figure>\n"

        html += "<h2>Ranking at equal compression ratio</h2>\n"
        html += "<p class=\"meta\">Grouped by the requested <code>ratio=</code> where a configuration states one, else by the measured compression ratio rounded to the nearest integer; ranked within a group by "
            + "|NLL drift| (nats/token, continuation NLL minus identity's), then KL.</p>\n<table>\n<tr><th>group</th><th>rank</th>"
            + "<th class=\"id\">configuration</th>" + Show.columns.map { "<th>\(e($0))</th>" }.joined() + "</tr>\n"
        for group in board.groups {
            for (index, entry) in group.entries.enumerated() {
                html += "<tr\(index == 0 ? " class=\"first\"" : "")><td>\(e(Show.group(group.ratio)))</td>"
                    + "<td>\(entry.rank.map(String.init) ?? "–")</td><td class=\"id\">\(e(entry.id))</td>"
                    + Show.cells(entry).map { "<td>\(e($0))</td>" }.joined() + "</tr>\n"
            }
        }
        html += "</table>\n"

        html += "<h2>Ranking by area under the drift curve</h2>\n"
        html += "<p class=\"meta\">Area = ∫ |NLL drift| d ln(ratio), trapezoids from ratio 1 (drift 0) through the strategy's "
            + "configurations sorted by ratio; ranked by mean drift = area / ln(max ratio).</p>\n<table>\n"
            + "<tr><th>rank</th><th class=\"id\">strategy</th><th>configurations</th><th>max ratio</th><th>area</th><th>mean drift</th></tr>\n"
        for s in board.strategies {
            html += "<tr><td>\(s.rank)</td><td class=\"id\">\(e(s.strategy))</td><td>\(s.configurations)</td>"
                + "<td>\(Show.fixed(s.maxRatio, 2))</td><td>\(Show.significant(s.area))</td><td>\(Show.significant(s.meanDrift))</td></tr>\n"
        }
        html += "</table>\n"

        html += "<h2>Attention-output error per layer</h2>\n<figure>\n" + SVGCharts.attentionHeatmap(board)
        html += "<figcaption>‖o′ − o‖ / ‖o‖ per layer, mean over query heads and continuation queries; colour on a log scale.</figcaption>\n</figure>\n"

        html += "<h2>Failed configurations</h2>\n"
        if board.failed.isEmpty {
            html += "<p>None.</p>\n"
        } else {
            html += "<table>\n<tr><th class=\"id\">configuration</th><th class=\"id\">reason</th></tr>\n"
            for entry in board.failed {
                html += "<tr><td class=\"id\">\(e(entry.id))</td><td class=\"reason\">\(e(entry.error ?? "no reason given"))</td></tr>\n"
            }
            html += "</table>\n"
        }
        return html + "</body>\n</html>\n"
    }
}
