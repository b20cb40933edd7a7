/// Combines the documents of `kvbench run --shard i/N` into the document the unsharded run
/// gives: the units of every shard, sorted by (window, configuration order), folded into rows by
/// the harness's one aggregation function (`aggregate`), so merged rows are computed exactly as
/// a whole run's are.
///
/// Parts are refused, with a one-line reason, when they are not shards (no units), come from
/// different runs (suite, model, corpora, calibration, geometry or git commit differ), repeat or
/// miss a shard, hold a window that belongs to another shard, repeat a unit, or leave a
/// (configuration, window) unit missing.
public enum ShardMerge {
    /// The merged document. `keepUnits` keeps the sorted units (as a shard document does), so
    /// the result can be checked or re-aggregated later; without it the document is exactly the
    /// one an unsharded run writes (which keeps no units).
    public static func merge(_ parts: [(file: String, document: ResultsDocument)], keepUnits: Bool = false) throws -> ResultsDocument {
        guard let first = parts.first else { throw HarnessError("merge: no parts given") }
        let count = try shardCount(parts)
        var seenShards: [Int: String] = [:]
        var units: [UnitResult] = []
        var seenUnits: [String: String] = [:]
        for (file, document) in parts {
            guard document.schemaVersion == first.document.schemaVersion else {
                throw HarnessError("merge: \(file) has schema_version \(document.schemaVersion), \(first.file) \(first.document.schemaVersion)")
            }
            let differences = ProvenanceCheck.sameRun.differences(first.document.provenance, document.provenance)
            guard differences.isEmpty else {
                throw HarnessError("merge: \(file) is not from the same run as \(first.file): " + differences.joined(separator: "; "))
            }
            let index = try shardIndex(file, document)
            if let other = seenShards[index] { throw HarnessError("merge: shard \(index)/\(count) is given twice (\(other) and \(file))") }
            seenShards[index] = file
            guard let partUnits = document.units else {
                throw HarnessError("merge: \(file) has no units; only documents written with --shard i/N can be merged")
            }
            for unit in partUnits {
                guard unit.window >= 0, unit.window % count == index - 1 else {
                    throw HarnessError("merge: \(file) holds window \(unit.window), which is not part of shard \(index)/\(count)")
                }
                let key = "\(unit.config) @ window \(unit.window)"
                if let other = seenUnits[key] { throw HarnessError("merge: unit \(key) appears twice (\(other) and \(file))") }
                seenUnits[key] = file
                units.append(unit)
            }
        }
        let missingShards = (1 ... count).filter { seenShards[$0] == nil }
        guard missingShards.isEmpty else {
            throw HarnessError("merge: missing shard(s) " + missingShards.map { "\($0)/\(count)" }.joined(separator: ", "))
        }

        let windows = parts.reduce(0) { $0 + $1.document.provenance.windows }
        let order = configurationOrder(parts.map(\.document))
        for window in 0 ..< windows {
            for config in order where seenUnits["\(config) @ window \(window)"] == nil {
                throw HarnessError("merge: unit \(config) @ window \(window) is missing (shard \(window % count + 1)/\(count))")
            }
        }
        if let stray = units.first(where: { $0.window >= windows }) {
            throw HarnessError("merge: window \(stray.window) is beyond the \(windows) windows the parts report")
        }

        let rank = Dictionary(uniqueKeysWithValues: order.enumerated().map { ($1, $0) })
        units.sort { ($0.window, rank[$0.config]!) < ($1.window, rank[$1.config]!) }
        var provenance = first.document.provenance
        provenance.windows = windows
        provenance.shard = nil
        provenance.date = parts.map(\.document.provenance.date).min()!
        var cores: [String] = []
        for part in parts where !cores.contains(part.document.provenance.blasCore) { cores.append(part.document.provenance.blasCore) }
        provenance.blasCore = cores.joined(separator: ",")
        return ResultsDocument(schemaVersion: first.document.schemaVersion, provenance: provenance,
                               rows: aggregate(units), units: keepUnits ? units : nil)
    }

    /// The `N` every part's `shard` field (`i/N`) names.
    static func shardCount(_ parts: [(file: String, document: ResultsDocument)]) throws -> Int {
        var count: Int?
        for (file, document) in parts {
            guard let shard = document.provenance.shard else {
                throw HarnessError("merge: \(file) is a whole run, not a shard (its provenance has no shard)")
            }
            let n = try Shard(parsing: shard).count
            if let count, count != n { throw HarnessError("merge: \(file) is a shard of \(n), the others of \(count)") }
            count = n
        }
        return count!
    }

    static func shardIndex(_ file: String, _ document: ResultsDocument) throws -> Int {
        do { return try Shard(parsing: document.provenance.shard ?? "").index } catch {
            throw HarnessError("merge: \(file): \(error)")
        }
    }

    /// Configurations in run order (identity first, then suite order), as the parts list them:
    /// every shard evaluates every configuration, in the same order, on each of its windows.
    static func configurationOrder(_ documents: [ResultsDocument]) -> [String] {
        var order: [String] = []
        for document in documents {
            for unit in document.units ?? [] where !order.contains(unit.config) { order.append(unit.config) }
        }
        return order
    }
}
