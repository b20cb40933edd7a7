import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Harness
import Testing

/// A head whose M spectrum is `m` equal values (counts ceil(f·m)) and whose Ẽ spectra per window
/// are `e[w]` equal values: every count and effective rank is known in closed form.
private func head(layer: Int, head: Int, m: Int, e: [Int]) -> HeadSpectrum {
    HeadSpectrum(layer: layer, head: head, kv: head / 2,
                 interaction: SpectrumStatistics(singularValues: [Float](repeating: 1, count: m)),
                 logits: e.map { SpectrumStatistics(singularValues: [Float](repeating: 3, count: $0)) })
}

private func document(_ heads: [HeadSpectrum], windows: Int) -> SpectrumDocument {
    SpectrumDocument(model: SpectrumModel(file: "toy.gguf", sha256: String(repeating: "0", count: 64), layers: 2,
                                          queryHeads: 2, kvHeads: 1, headDim: 64, modelDim: 128),
                     text: SpectrumText(name: "toy <text>.txt", sha256: "", tokens: 300, windows: [[0, 128], [128, 256]].prefix(windows).map { $0 }),
                     options: SpectrumOptions(context: 128, windows: windows), heads: heads, seconds: 1.5, forwardSeconds: 1)
}

@Suite struct SpectrumDocumentTests {
    // Heads (M, Ẽ per window): (10, [20, 10]), (20, [10, 10]), (40, [20, 20]), (30, [10, 30]).
    // M@90 = ceil(0.9·m) = 9, 18, 36, 27 → mean 22.5, median 22.5.
    // Ẽ@90 per window: w0 = 18, 9, 18, 9 (mean 13.5); w1 = 9, 9, 18, 27 (mean 15.75).
    // Window-averaged per head: 13.5, 9, 18, 18 → mean 14.625, median 15.75.
    private let heads = [
        head(layer: 0, head: 0, m: 10, e: [20, 10]), head(layer: 0, head: 1, m: 20, e: [10, 10]),
        head(layer: 1, head: 0, m: 40, e: [20, 20]), head(layer: 1, head: 1, m: 30, e: [10, 30]),
    ]

    @Test func summaryIsThePapersTableOverHeads() {
        let summary = document(heads, windows: 2).summary
        #expect(summary.interaction[0] == MeanMedian(mean: 22.5, median: 22.5))
        #expect(summary.logits[0] == MeanMedian(mean: 14.625, median: 15.75))
        #expect(abs(summary.ratio[0].mean - 22.5 / 14.625) < 1e-12)
        #expect(abs(summary.ratio[0].median - 22.5 / 15.75) < 1e-12)
        // Effective rank of k equal values is k: M mean (10+20+40+30)/4.
        #expect(abs(summary.interactionEffectiveRank.mean - 25) < 1e-9)
        #expect(abs(summary.logitEffectiveRank.median - 17.5) < 1e-9)
        // Spread between windows of the mean Ẽ@90: 13.5 and 15.75.
        let spread = summary.logitWindowSpread[0]
        #expect(spread.min == 13.5 && spread.max == 15.75)
        #expect(abs(spread.standardDeviation - 2.25 / 2.0.squareRoot()) < 1e-12)
    }

    @Test func perLayerRowsAverageTheLayersHeads() {
        let layers = document(heads, windows: 2).layers
        #expect(layers.count == 2)
        #expect(layers[0].interaction[0] == 13.5 && layers[1].interaction[0] == 31.5)
        #expect(layers[0].logits[0] == 11.25 && layers[1].logits[0] == 18)
    }

    @Test func jsonRoundTripsAndUsesTheDocumentedKeys() throws {
        let original = document(heads, windows: 2)
        let data = try JSONEncoder().encode(original)
        #expect(try JSONDecoder().decode(SpectrumDocument.self, from: data) == original)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["schema_version"] as? Int == 1)
        let summary = try #require(object["summary"] as? [String: Any])
        #expect(Set(summary.keys).isSuperset(of: ["M", "E", "M_over_E", "M_effective_rank", "E_effective_rank"]))
    }

    @Test func textReportStatesOptionsPaperFiguresAndEveryLayer() {
        let text = SpectrumReport.text(document(heads, windows: 2))
        #expect(text.contains("unit query head (default)"))
        #expect(text.contains("context 128 tokens;"))
        #expect(text.contains("windows 2;") || text.contains("windows 2\n"))
        #expect(text.contains("GPT-2") && text.contains("M@90 49, Ẽ@90 2"))
        #expect(text.contains("LLaMA-3.2-1B") && text.contains("M@90 38, Ẽ@90 8"))
        #expect(text.contains("exp(Shannon entropy"))
        #expect(text.contains("22.5") && text.contains("14.6"))
        #expect(text.contains("13.5–15.8"))
        #expect(text.contains("analysed in 1.5 s (forward passes 1.0 s, decompositions 0.5 s)"))
    }

    @Test func heatmapIsWellFormedSVGWithACellPerHeadAndPanel() throws {
        let svg = SpectrumHeatmap.svg(document(heads, windows: 2))
        final class Counter: NSObject, XMLParserDelegate {
            var rects = 0, titles: [String] = [], inTitle = false
            func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?,
                        qualifiedName: String?, attributes: [String: String] = [:]) {
                if name == "rect" { rects += 1 }
                if name == "title" { inTitle = true; titles.append("") }
            }
            func parser(_ parser: XMLParser, foundCharacters string: String) { if inTitle { titles[titles.count - 1] += string } }
            func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
                if name == "title" { inTitle = false }
            }
        }
        let parser = XMLParser(data: Data(svg.utf8))
        let counter = Counter()
        parser.delegate = counter
        #expect(parser.parse(), "SVG is not well-formed XML")
        // Background + 4 heads × 2 panels + legend bar.
        #expect(counter.rects == 1 + 8 + 1)
        #expect(counter.titles.contains("M@90, layer 1, head 0 (KV 0): 36"))    // the m = 40 head
        #expect(counter.titles.contains("Ẽ@90, layer 0, head 0 (KV 0): 13.5"))  // (18 + 9) / 2 windows
        #expect(svg.contains("toy &lt;text&gt;.txt"))
    }
}
