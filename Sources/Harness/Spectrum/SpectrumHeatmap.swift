import Foundation

/// Renders `Ẽ@90` over layer × head beside `M@90` as one self-contained SVG (no scripts, no
/// external fonts or styles), so `spectrum.svg` opens in any browser. Both panels share one
/// colour scale from 0 to `d_h`, so the contrast between them is the finding; every cell shows
/// its value and a tooltip.
public enum SpectrumHeatmap {
    private static let cellWidth = 26, cellHeight = 16, panelGap = 70, left = 50, top = 64

    public static func svg(_ document: SpectrumDocument) -> String {
        let units = document.options.unit == .query ? document.model.queryHeads : document.model.kvHeads
        let layers = document.model.layers
        let scale = Double(max(document.model.headDim, 1))
        let panelWidth = units * cellWidth
        // Each panel gets room for its title even when it has few columns (KV heads).
        let panelSlot = max(panelWidth, 190) + panelGap
        let width = max(left + panelSlot + panelWidth + 110, 640)
        let height = top + layers * cellHeight + 44
        var svg = """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(width)" height="\(height)" viewBox="0 0 \(width) \(height)" font-family="sans-serif">
        <rect width="100%" height="100%" fill="white"/>
        <text x="\(left)" y="20" font-size="14" font-weight="bold">\(escape(document.model.file)) on \(escape(document.text.name))</text>
        <text x="\(left)" y="38" font-size="11">components for 90% of the energy; \(escape(optionsLine(document.options)))</text>

        """
        let panels: [(name: String, title: String, value: (HeadSpectrum) -> Double)] = [
            ("Ẽ@90", String(format: "Ẽ@90 (centred logits), mean %.1f", document.summary.logits[0].mean), { $0.meanLogitCounts[0] }),
            ("M@90", String(format: "M@90 (W_Qᵀ W_K), mean %.1f", document.summary.interaction[0].mean), { Double($0.interaction.count90) }),
        ]
        for (p, panel) in panels.enumerated() {
            let x0 = left + p * panelSlot
            svg += "<text x=\"\(x0)\" y=\"\(top - 10)\" font-size=\"12\">\(escape(panel.title))</text>\n"
            for head in document.heads where head.layer < layers && head.head < units {
                let value = panel.value(head)
                let x = x0 + head.head * cellWidth, y = top + head.layer * cellHeight
                let label = value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
                svg += "<rect x=\"\(x)\" y=\"\(y)\" width=\"\(cellWidth)\" height=\"\(cellHeight)\" fill=\"\(colour(value / scale))\">"
                    + "<title>\(panel.name), layer \(head.layer), head \(head.head) (KV \(head.kv)): \(label)</title></rect>"
                    + "<text x=\"\(x + cellWidth / 2)\" y=\"\(y + cellHeight - 4)\" font-size=\"9\" text-anchor=\"middle\" fill=\"\(value / scale > 0.6 ? "black" : "white")\">\(label)</text>\n"
            }
            for unit in 0 ..< units {
                svg += "<text x=\"\(x0 + unit * cellWidth + cellWidth / 2)\" y=\"\(top + layers * cellHeight + 12)\" font-size=\"9\" text-anchor=\"middle\">\(unit)</text>\n"
            }
            svg += "<text x=\"\(x0 + panelWidth / 2)\" y=\"\(top + layers * cellHeight + 28)\" font-size=\"11\" text-anchor=\"middle\">\(document.options.unit == .query ? "query head" : "KV head")</text>\n"
        }
        for layer in stride(from: 0, to: layers, by: layers > 40 ? 5 : 1) {
            svg += "<text x=\"\(left - 6)\" y=\"\(top + layer * cellHeight + cellHeight - 4)\" font-size=\"9\" text-anchor=\"end\">\(layer)</text>\n"
        }
        svg += "<text x=\"12\" y=\"\(top + layers * cellHeight / 2)\" font-size=\"11\" transform=\"rotate(-90 12 \(top + layers * cellHeight / 2))\" text-anchor=\"middle\">layer</text>\n"
        svg += legend(x: left + panelSlot + panelWidth + 20, y: top, height: layers * cellHeight, maximum: Int(scale))
        svg += "</svg>\n"
        return svg
    }

    /// A vertical colour bar from 0 (bottom) to `maximum` (top).
    private static func legend(x: Int, y: Int, height: Int, maximum: Int) -> String {
        var out = SVGCharts.verticalGradient(id: "scale", colour: colour)
        out += "<rect x=\"\(x)\" y=\"\(y)\" width=\"14\" height=\"\(height)\" fill=\"url(#scale)\"/>\n"
        out += "<text x=\"\(x + 18)\" y=\"\(y + 9)\" font-size=\"10\">\(maximum) = d_h</text>\n"
        out += "<text x=\"\(x + 18)\" y=\"\(y + height)\" font-size=\"10\">0</text>\n"
        return out
    }

    /// A viridis-like ramp: dark blue (0) through teal and green to yellow (1), with five anchors
    /// (coarser than `SVGCharts.viridis`).
    static func colour(_ t: Double) -> String {
        SVGCharts.ramp(t, anchors: [(68, 1, 84), (59, 82, 139), (33, 145, 140), (94, 201, 98), (253, 231, 37)])
    }

    private static func optionsLine(_ options: SpectrumOptions) -> String {
        "unit \(options.unit.rawValue), keys \(options.keys.rawValue), centering \(options.centering.rawValue), context \(options.context), windows \(options.windows)"
    }

    /// Escapes text for XML content and attribute values (shared with the leaderboard charts).
    private static func escape(_ text: String) -> String { SVGCharts.escape(text) }
}
