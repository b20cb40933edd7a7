import Foundation
import Harness

/// `kvbench leaderboard`: ranks the configurations of one or more results files and renders the
/// ranking as Markdown, CSV, JSON or a self-contained HTML page.
enum LeaderboardCommand {
    static let usage = "leaderboard RESULTS... [--format md|csv|json|html] [--out FILE]"

    static func run(_ arguments: inout Arguments) throws -> Int32 {
        let formatName = try arguments.value("--format")
        let out = try arguments.value("--out")
        let files = try arguments.positionals()
        guard !files.isEmpty else { throw UsageError("leaderboard needs at least one results file") }
        // Without --format, the extension of --out decides (board.html → html); else Markdown.
        let inferred = out.flatMap { LeaderboardFormat(rawValue: URL(fileURLWithPath: $0).pathExtension.lowercased()) }
        let format: LeaderboardFormat
        if let formatName {
            guard let chosen = LeaderboardFormat(rawValue: formatName) else {
                throw UsageError("--format must be one of md, csv, json, html, got '\(formatName)'")
            }
            format = chosen
        } else {
            format = inferred ?? .md
        }
        let documents = try files.map { (file: $0, document: try ResultsFile.load($0)) }
        let text = try format.render(Leaderboard(documents: documents))
        if let out {
            try AtomicFile.write(Data(text.utf8), to: out)
        } else {
            FileHandle.standardOutput.write(Data(text.utf8))
        }
        return 0
    }
}
