import Foundation

/// The paper's figures for head-dimension-64 models (arXiv 2604.04384, M@90 and Ẽ@90 as means
/// over heads), printed beside every measurement for comparison.
public struct PaperSpectrumFigure: Sendable, Equatable {
    public var model: String
    public var interaction90: Double
    public var logits90: Double

    public static let headDim64: [PaperSpectrumFigure] = [
        PaperSpectrumFigure(model: "GPT-2", interaction90: 49, logits90: 2),
        PaperSpectrumFigure(model: "LLaMA-3.2-1B", interaction90: 38, logits90: 8),
    ]
}

/// Renders a `SpectrumDocument` as the plain-text report `kvbench spectrum` prints.
public enum SpectrumReport {
    public static func text(_ document: SpectrumDocument) -> String {
        let model = document.model, options = document.options, summary = document.summary
        let unitName = options.unit == .query ? "query heads" : "KV heads"
        var lines: [String] = []
        lines.append("kvbench spectrum: \(model.file) (\(model.layers) layers, \(model.queryHeads) query / \(model.kvHeads) KV heads, d_h \(model.headDim), d_model \(model.modelDim))")
        let ranges = document.text.windows.map { "\($0[0])..<\($0[1])" }.joined(separator: ", ")
        lines.append("text: \(document.text.name), tokens \(ranges) of \(document.text.tokens)")
        lines.append("options: " + options.described.map { "\($0.name) \($0.value)" }.joined(separator: "; "))
        lines.append("")
        lines.append("model summary over \(document.heads.count) \(unitName): components holding f of the energy Σσ²")
        lines.append(pad("", 12) + pad("M = W_Qᵀ W_K", 18) + pad("Ẽ (centred logits)", 20) + "M / Ẽ")
        lines.append(pad("", 12) + pad("mean  median", 18) + pad("mean  median", 20) + "means  medians")
        for (i, fraction) in summary.fractions.enumerated() {
            lines.append(pad("  @\(Int((fraction * 100).rounded()))%", 12)
                + pair(summary.interaction[i], width: 18) + pair(summary.logits[i], width: 20)
                + String(format: "%5.2f  %7.2f", summary.ratio[i].mean, summary.ratio[i].median))
        }
        lines.append(pad("  eff. rank", 12) + pair(summary.interactionEffectiveRank, width: 18) + pair(summary.logitEffectiveRank, width: 20))
        lines.append("  effective rank = exp(Shannon entropy of p_i = σ_i²/Σσ²)")
        if options.windows > 1 {
            let spread = summary.logitWindowSpread.enumerated().map { i, s in
                String(format: "@%d%% %.1f–%.1f (sd %.2f)", Int((summary.fractions[i] * 100).rounded()), s.min, s.max, s.standardDeviation)
            }
            lines.append("  Ẽ mean count between the \(options.windows) windows: " + spread.joined(separator: ", "))
        }
        lines.append("")
        lines.append("paper (arXiv 2604.04384), d_h = 64 models, means over heads:")
        for figure in PaperSpectrumFigure.headDim64 {
            lines.append("  " + pad(figure.model, 13) + String(format: "M@90 %.0f, Ẽ@90 %.0f, M/Ẽ %.1f",
                                figure.interaction90, figure.logits90, figure.interaction90 / figure.logits90))
        }
        lines.append("  " + pad("this run", 13) + String(format: "M@90 %.1f, Ẽ@90 %.1f, M/Ẽ %.1f",
                            summary.interaction[0].mean, summary.logits[0].mean, summary.ratio[0].mean))
        lines.append("")
        lines.append("per layer (mean over \(unitName))")
        lines.append("layer   M@90   M@95   M@99   Ẽ@90   Ẽ@95   Ẽ@99  erank M  erank Ẽ")
        for row in document.layers {
            let counts = (row.interaction + row.logits).map { String(format: "%7.1f", $0) }.joined()
            lines.append(String(format: "%5d", row.layer) + counts
                + String(format: "%9.1f%9.1f", row.interactionEffectiveRank, row.logitEffectiveRank))
        }
        lines.append("")
        lines.append(String(format: "analysed in %.1f s (forward passes %.1f s, decompositions %.1f s)",
                            document.seconds, document.forwardSeconds, document.seconds - document.forwardSeconds))
        return lines.joined(separator: "\n") + "\n"
    }

    private static func pair(_ value: MeanMedian, width: Int) -> String {
        pad(String(format: "%4.1f  %6.1f", value.mean, value.median), width)
    }

    /// `text` left-aligned in `width` characters (counting characters, not bytes, for σ and Ẽ).
    private static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }
}
