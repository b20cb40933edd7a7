import Foundation
import Harness
import Testing
#if canImport(FoundationXML)
import FoundationXML
#endif

@Suite("Leaderboard")
struct LeaderboardTests {
    /// Two strategies at ratios e and e² (ln ratio 1 and 2), so areas follow by hand:
    /// A: drifts 0.1, 0.3 → area (0+0.1)/2 + (0.1+0.3)/2 = 0.25, mean 0.125;
    /// B: drifts 0.05, 0.5 → area 0.025 + 0.275 = 0.3, mean 0.15.
    static let e = exp(1.0)
    static let document = ResultsDocument(provenance: GateFixtures.provenance(), rows: [
        GateFixtures.row("identity", drift: 0, ratio: 1, speed: 1),
        GateFixtures.row("a:rank=16", drift: 0.1, ratio: e),
        GateFixtures.row("a:rank=8", drift: 0.3, ratio: e * e),
        GateFixtures.row("b:bits=4,group=32", drift: -0.05, ratio: e),
        GateFixtures.row("b:bits=2", drift: 0.5, ratio: e * e),
        GateFixtures.failed("c:rank=0", "rank must be at least 1, got 0 | \"quoted\""),
    ])

    func board() throws -> Leaderboard { try Leaderboard(documents: [(file: "run.json", document: Self.document)]) }

    /// A rank-based strategy asked for `ratio=8` meets it in whole rank steps (here 8.59×): it is
    /// compared with the others asked for ×8, not alone at ≈×9.
    @Test func requestedRatioDecidesTheGroup() throws {
        let document = ResultsDocument(provenance: GateFixtures.provenance(), rows: [
            GateFixtures.row("identity", drift: 0, ratio: 1),
            GateFixtures.row("p:ratio=8", drift: 2, ratio: 8.59),
            GateFixtures.row("q:ratio=8", drift: 5, ratio: 7.99),
            GateFixtures.row("r:rank=4", drift: 1, ratio: 8.6),
        ])
        let groups = try Leaderboard(documents: [(file: "run.json", document: document)]).groups
        #expect(groups.map(\.ratio) == [1, 8, 9])
        #expect(groups[1].entries.map(\.id) == ["p:ratio=8", "q:ratio=8"])
        #expect(groups[2].entries.map(\.id) == ["r:rank=4"])
    }

    @Test func areaUnderDriftCurveClosedForm() throws {
        let strategies = try board().strategies
        #expect(strategies.map(\.strategy) == ["a", "b"])
        #expect(strategies.map(\.rank) == [1, 2])
        #expect(abs(strategies[0].area - 0.25) < 1e-12)
        #expect(abs(strategies[0].meanDrift - 0.125) < 1e-12)
        #expect(abs(strategies[1].area - 0.3) < 1e-12)
        #expect(abs(strategies[1].maxRatio - Self.e * Self.e) < 1e-9)
        #expect(strategies[1].configurations == 2)

        // Identity's encoding header puts it just below ratio 1: it is the reference, never scored.
        var document = Self.document
        document.rows[0].compressionRatio = 0.9999
        let again = try Leaderboard(documents: [(file: "run.json", document: document)]).strategies
        #expect(again.map(\.strategy) == ["a", "b"])
    }

    @Test func rankingAtEqualRatioByDriftMagnitude() throws {
        let groups = try board().groups
        #expect(groups.map(\.ratio) == [1, 3, 7])
        // |−0.05| < 0.1: b ranks first at ≈×3; a first at ≈×7.
        #expect(groups[1].entries.map(\.id) == ["b:bits=4,group=32", "a:rank=16"])
        #expect(groups[1].entries.map(\.rank) == [1, 2])
        #expect(groups[2].entries.map(\.id) == ["a:rank=8", "b:bits=2"])
    }

    @Test func failedRowsAreListedInEveryFormat() throws {
        let board = try board()
        #expect(board.failed.map(\.id) == ["c:rank=0"])
        for format in LeaderboardFormat.allCases {
            let text = try format.render(board)
            #expect(text.contains("c:rank=0"), "\(format)")
            #expect(text.contains("rank must be at least 1"), "\(format)")
        }
    }

    @Test func csvIsRectangularAndQuoted() throws {
        let records = Self.parseCSV(try LeaderboardFormat.csv.render(board()))
        #expect(records.count == 1 + 6)
        #expect(Set(records.map(\.count)) == [records[0].count])
        let id = records[0].firstIndex(of: "id")!, error = records[0].firstIndex(of: "error")!
        #expect(records.map { $0[id] }.contains("b:bits=4,group=32"))
        #expect(records.last![error] == "rank must be at least 1, got 0 | \"quoted\"")
        let drift = records[0].firstIndex(of: "nll_drift")!
        #expect(Double(records[2][drift]) == -0.05)
    }

    @Test func markdownTablesHaveConsistentColumns() throws {
        let lines = try LeaderboardFormat.md.render(board()).split(separator: "\n").map(String.init)
        var columns: Int?
        for line in lines {
            guard line.hasPrefix("|") else { columns = nil; continue }
            let count = line.replacingOccurrences(of: "\\|", with: "").filter { $0 == "|" }.count
            if let columns { #expect(count == columns, "\(line)") } else { columns = count }
        }
        #expect(lines.contains { $0.hasPrefix("| ≈×7 | 1 | `a:rank=8` |") })
    }

    @Test func jsonRoundTrips() throws {
        let board = try board()
        let text = try LeaderboardFormat.json.render(board)
        #expect(try JSONDecoder().decode(Leaderboard.self, from: Data(text.utf8)) == board)
    }

    @Test func htmlIsSelfContainedWithWellFormedSVG() throws {
        let html = try LeaderboardFormat.html.render(board())
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(!html.contains("<script"))
        // No external resource: the only URL is the SVG namespace name.
        #expect(!html.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "").contains("http"))
        let svgs = Self.svgElements(html)
        #expect(svgs.count == 2)
        for svg in svgs {
            let parser = XMLParser(data: Data(svg.utf8))
            #expect(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")")
        }
        // One line per strategy (identity is the reference, not drawn), a cell per layer and configuration.
        #expect(svgs[0].components(separatedBy: "<polyline").count - 1 == 2)
        #expect(svgs[0].contains("log scale"))
        #expect(svgs[1].components(separatedBy: "<rect x=").count - 1 == 4 * 3 + 1)
        #expect(html.contains("rank must be at least 1, got 0 | &quot;quoted&quot;"))
    }

    @Test func refusesIncomparableDocumentsAndDeduplicates() throws {
        let other = GateFixtures.document(model: String(repeating: "b", count: 64))
        #expect(throws: HarnessError.self) {
            try Leaderboard(documents: [(file: "x.json", document: Self.document), (file: "y.json", document: other)])
        }
        // identity is in both runs: shown once; the later file's extra configurations are added.
        let second = GateFixtures.document()
        let board = try Leaderboard(documents: [(file: "x.json", document: Self.document), (file: "y.json", document: second)])
        let ids = board.ranked.map(\.id) + board.failed.map(\.id)
        #expect(ids.filter { $0 == "identity" }.count == 1)
        #expect(ids.count == 6 + 4)
        #expect(board.ranked.first { $0.id == "q8_0" }?.source == "y.json")
    }

    /// A small RFC 4180 reader: quoted fields, doubled quotes, CRLF records.
    static func parseCSV(_ text: String) -> [[String]] {
        var records: [[String]] = [], record: [String] = [], field = "", quoted = false
        var chars = Array(text)[...]
        while let c = chars.popFirst() {
            if quoted {
                if c == "\"" {
                    if chars.first == "\"" { field.append("\""); chars.removeFirst() } else { quoted = false }
                } else { field.append(c) }
            } else if c == "\"" { quoted = true
            } else if c == "," { record.append(field); field = ""
            } else if c == "\r\n" || c == "\n" { record.append(field); records.append(record); record = []; field = ""
            } else { field.append(c) }
        }
        return records
    }

    static func svgElements(_ html: String) -> [String] {
        html.components(separatedBy: "<svg ").dropFirst().map { "<svg " + $0.components(separatedBy: "</svg>")[0] + "</svg>" }
    }
}
