import Foundation

/// The two inline SVG figures of the HTML leaderboard, drawn from the leaderboard alone (no
/// scripts, no external files): drift against compression ratio, and attention error per layer.
enum SVGCharts {
    /// Distinct line colours (Tableau 10), cycled by strategy.
    static let palette = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
                          "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"]

    /// |NLL drift| against compression ratio, both on log axes, one line per strategy through its
    /// configurations sorted by ratio. Negative drifts are drawn as hollow markers at their magnitude.
    static func driftChart(_ board: Leaderboard) -> String {
        let series = strategySeries(board)
        let points = series.flatMap(\.points)
        guard !points.isEmpty else { return "<p>No compressed configuration to plot.</p>" }
        let width = 960.0, height = 540.0
        let left = 90.0, right = 250.0, top = 20.0, bottom = 70.0
        let plotW = width - left - right, plotH = height - top - bottom

        let maxRatio = max(2, points.map(\.ratio).max()!)
        let xMax = pow(2, ceil(log2(maxRatio)))
        let xMin = pow(2, floor(log2(min(1, points.map(\.ratio).min()!))))
        let magnitudes = points.map { max(abs($0.drift), 1e-7) }
        // Whole decades, with a little room so that no marker sits on the frame.
        let yMin = pow(10, floor(log10(magnitudes.min()!) - 0.2))
        let yMax = pow(10, max(ceil(log10(magnitudes.max()!) + 0.2), log10(yMin) + 1))
        func x(_ ratio: Double) -> Double { left + plotW * log(ratio / xMin) / log(xMax / xMin) }
        func y(_ drift: Double) -> Double { top + plotH * (1 - log10(max(abs(drift), yMin) / yMin) / log10(yMax / yMin)) }

        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" "
            + "viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"NLL drift against compression ratio\">\n"
        svg += "<rect x=\"\(left)\" y=\"\(top)\" width=\"\(plotW)\" height=\"\(plotH)\" fill=\"#fff\" stroke=\"#444\"/>\n"
        var tick = xMin
        while tick <= xMax * 1.0001 {
            let px = x(tick)
            svg += line(px, top, px, top + plotH, stroke: "#e3e3e3")
            svg += text(px, top + plotH + 18, "×" + format(tick), anchor: "middle")
            tick *= 2
        }
        var decade = yMin
        while decade <= yMax * 1.0001 {
            let py = y(decade)
            svg += line(left, py, left + plotW, py, stroke: "#e3e3e3")
            svg += text(left - 8, py + 4, String(format: "%g", decade), anchor: "end")
            decade *= 10
        }
        svg += text(left + plotW / 2, height - 22, "compression ratio (fp16 bytes / encoded bytes), log scale", anchor: "middle", size: 14)
        svg += "<text x=\"22\" y=\"\(top + plotH / 2)\" font-size=\"14\" text-anchor=\"middle\" "
            + "transform=\"rotate(-90 22 \(top + plotH / 2))\">|NLL drift| (nats/token), log scale</text>\n"

        for (index, s) in series.enumerated() {
            let colour = palette[index % palette.count]
            let path = s.points.map { "\(round2(x($0.ratio))),\(round2(y($0.drift)))" }.joined(separator: " ")
            svg += "<polyline points=\"\(path)\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\"/>\n"
            for p in s.points {
                let fill = p.drift < 0 ? "#fff" : colour
                svg += "<circle cx=\"\(round2(x(p.ratio)))\" cy=\"\(round2(y(p.drift)))\" r=\"4.5\" fill=\"\(fill)\" fill-opacity=\"0.8\" "
                    + "stroke=\"\(colour)\" stroke-width=\"2\"><title>\(escape(p.id)): ratio \(Show.fixed(p.ratio, 2)), "
                    + "drift \(Show.signed(p.drift))</title></circle>\n"
            }
            let ly = top + 14 + Double(index) * 22
            svg += line(left + plotW + 20, ly, left + plotW + 48, ly, stroke: colour, width: 3)
            svg += "<circle cx=\"\(round2(left + plotW + 34))\" cy=\"\(round2(ly))\" r=\"4.5\" fill=\"\(colour)\"/>\n"
            svg += text(left + plotW + 56, ly + 4, s.strategy, anchor: "start")
        }
        return svg + "</svg>\n"
    }

    /// Attention-output error per layer as a heatmap: one row per configuration, one column per
    /// layer, colour on a log scale. Configurations whose error is zero everywhere (identity) are
    /// left out.
    static func attentionHeatmap(_ board: Leaderboard) -> String {
        let rows = board.ranked.filter { ($0.attentionErrorPerLayer?.contains { $0 > 0 }) == true }
        guard let layers = rows.map({ $0.attentionErrorPerLayer!.count }).max() else {
            return "<p>No per-layer attention error to plot.</p>"
        }
        let values = rows.flatMap { $0.attentionErrorPerLayer! }.filter { $0 > 0 && $0.isFinite }
        let lo = log10(values.min()!), hi = max(log10(values.max()!), lo + 1e-9)
        let labelW = Double(rows.map(\.id.count).max()! * 7 + 16)
        let cellW = max(14, min(28, 700 / Double(layers))), cellH = 20.0
        let top = 30.0, legendGap = 30.0, legendW = 18.0
        let width = labelW + cellW * Double(layers) + legendGap + legendW + 70
        let height = top + cellH * Double(rows.count) + 50

        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" "
            + "viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"attention error per layer\" "
            + "shape-rendering=\"crispEdges\">\n"
        for layer in 0 ..< layers where layer % max(1, layers / 15) == 0 {
            svg += text(labelW + cellW * (Double(layer) + 0.5), top - 8, String(layer), anchor: "middle", size: 11)
        }
        for (r, entry) in rows.enumerated() {
            let cy = top + cellH * Double(r)
            svg += text(labelW - 8, cy + cellH * 0.7, entry.id, anchor: "end", size: 12, mono: true)
            for (layer, value) in entry.attentionErrorPerLayer!.enumerated() {
                let colour = value > 0 && value.isFinite ? viridis((log10(value) - lo) / (hi - lo)) : "#dddddd"
                svg += "<rect x=\"\(round2(labelW + cellW * Double(layer)))\" y=\"\(cy)\" width=\"\(round2(cellW))\" "
                    + "height=\"\(cellH)\" fill=\"\(colour)\"><title>\(escape(entry.id)), layer \(layer): "
                    + "\(Show.significant(value))</title></rect>\n"
            }
        }
        let gridBottom = top + cellH * Double(rows.count)
        svg += text(labelW + cellW * Double(layers) / 2, gridBottom + 32, "layer", anchor: "middle", size: 14)

        // Colour legend: a vertical gradient from the largest error (top) to the smallest.
        let lx = labelW + cellW * Double(layers) + legendGap
        svg += verticalGradient(id: "attn", colour: viridis)
        svg += "<rect x=\"\(lx)\" y=\"\(top)\" width=\"\(legendW)\" height=\"\(gridBottom - top)\" fill=\"url(#attn)\" stroke=\"#444\"/>\n"
        let labels = [(hi, 0.0), ((lo + hi) / 2, 0.5), (lo, 1.0)]
        for (exponent, fraction) in labels {
            let ly = top + (gridBottom - top) * fraction
            svg += text(lx + legendW + 6, ly + 4, Show.significant(pow(10, exponent)), anchor: "start", size: 11)
        }
        return svg + "</svg>\n"
    }

    /// One strategy's plotted points, sorted by ratio.
    struct Series {
        var strategy: String
        var points: [(id: String, ratio: Double, drift: Double)]
    }

    /// Strategies in area-ranking order (then any unranked), identity excluded (drift 0 by definition).
    static func strategySeries(_ board: Leaderboard) -> [Series] {
        let order = board.strategies.map(\.strategy)
        let plotted = board.ranked.filter { e in
            e.strategy != referenceConfiguration && (e.compressionRatio ?? 0) > 0 && e.nllDrift?.isFinite == true
        }
        let grouped = Dictionary(grouping: plotted, by: \.strategy)
        let names = order.filter { grouped[$0] != nil } + grouped.keys.filter { !order.contains($0) }.sorted()
        return names.map { name in
            Series(strategy: name, points: grouped[name]!
                .map { (id: $0.id, ratio: $0.compressionRatio!, drift: $0.nllDrift!) }
                .sorted { $0.ratio < $1.ratio })
        }
    }

    /// The viridis colour map at `t` in [0, 1], linearly interpolated between nine anchors.
    static func viridis(_ t: Double) -> String {
        ramp(t, anchors: [
            (68, 1, 84), (72, 40, 120), (62, 74, 137), (49, 104, 142), (38, 130, 142),
            (31, 158, 137), (53, 183, 121), (109, 205, 89), (253, 231, 37),
        ])
    }

    /// The colour at `t` in [0, 1] on a ramp through evenly spaced RGB `anchors` (at least two),
    /// linearly interpolated, as `#rrggbb`. `t` is clamped to [0, 1]; a non-finite `t` reads as 0.
    static func ramp(_ t: Double, anchors: [(Double, Double, Double)]) -> String {
        let u = min(max(t.isFinite ? t : 0, 0), 1) * Double(anchors.count - 1)
        let i = min(Int(u), anchors.count - 2), f = u - Double(i)
        let (a, b) = (anchors[i], anchors[i + 1])
        func mix(_ p: Double, _ q: Double) -> Int { Int((p + (q - p) * f).rounded()) }
        return String(format: "#%02x%02x%02x", mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
    }

    /// A vertical linear gradient named `id`, from `colour(0)` at the bottom to `colour(1)` at the
    /// top in eleven stops, inside `<defs>` and ending with a newline; fill a legend bar with
    /// `url(#id)`.
    static func verticalGradient(id: String, colour: (Double) -> String) -> String {
        var out = "<defs><linearGradient id=\"\(id)\" x1=\"0\" y1=\"1\" x2=\"0\" y2=\"0\">"
        for step in 0 ... 10 {
            let t = Double(step) / 10
            out += "<stop offset=\"\(t)\" stop-color=\"\(colour(t))\"/>"
        }
        return out + "</linearGradient></defs>\n"
    }

    static func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String, width: Double = 1) -> String {
        "<line x1=\"\(round2(x1))\" y1=\"\(round2(y1))\" x2=\"\(round2(x2))\" y2=\"\(round2(y2))\" stroke=\"\(stroke)\" stroke-width=\"\(width)\"/>\n"
    }

    static func text(_ x: Double, _ y: Double, _ content: String, anchor: String, size: Int = 12, mono: Bool = false) -> String {
        let family = mono ? " font-family=\"monospace\"" : ""
        return "<text x=\"\(round2(x))\" y=\"\(round2(y))\" font-size=\"\(size)\" text-anchor=\"\(anchor)\"\(family)>\(escape(content))</text>\n"
    }

    static func round2(_ value: Double) -> String { String(format: "%.2f", value) }

    /// `2`, `16`, `0.5`: a ratio tick without trailing zeros.
    static func format(_ value: Double) -> String { String(format: "%g", value) }

    /// Escapes text for XML/HTML content and attribute values.
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
