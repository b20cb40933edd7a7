import Foundation
import Harness

/// `kvbench merge`: combines the documents of `kvbench run --shard i/N` into the document the
/// unsharded run gives, refusing parts of different runs and overlapping or missing units.
enum MergeCommand {
    static let usage = "merge PARTS... --out FILE [--keep-units]"

    static func run(_ arguments: inout Arguments) throws -> Int32 {
        guard let out = try arguments.value("--out") else { throw UsageError("merge needs --out FILE") }
        let keepUnits = arguments.flag("--keep-units")
        let files = try arguments.positionals()
        guard !files.isEmpty else { throw UsageError("merge needs the shard documents to combine") }
        let parts = try files.map { (file: $0, document: try ResultsFile.load($0)) }
        let merged = try ShardMerge.merge(parts, keepUnits: keepUnits)
        try ResultsFile.write(merged, to: out)
        let failed = merged.rows.filter { $0.status != "ok" }.count
        FileHandle.standardError.write(Data("merged \(files.count) parts into \(out): \(merged.rows.count) configurations, \(merged.provenance.windows) windows, \(failed) failed\n".utf8))
        return 0
    }
}
