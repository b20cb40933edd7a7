/// Compares a run's results with a stored baseline, per configuration and metric.
public enum Gate {
    /// The comparison of `results` against `baseline`.
    ///
    /// Tolerances per metric come from the baseline file, then `suiteTolerances`, then
    /// `GateTolerances.defaults`. A baseline from another model, corpus or window layout is not
    /// compared at all (exit 5). A configuration that is `ok` in the baseline but missing or
    /// failed in the results is a regression; one that is new in the results, or now `ok` where
    /// the baseline failed, is an improvement (the baseline needs updating).
    public static func compare(baseline: Baseline, results: ResultsDocument,
                               suiteTolerances: GateTolerances? = nil) -> GateReport {
        let tolerances = (baseline.tolerances ?? GateTolerances())
            .filling(from: suiteTolerances ?? GateTolerances())
            .filling(from: .defaults)
        let base = baseline.document, run = results
        var report = GateReport(tolerances: tolerances)

        if base.schemaVersion != run.schemaVersion {
            report.mismatch.append("schema_version \(base.schemaVersion) vs \(run.schemaVersion)")
        }
        report.mismatch += ProvenanceCheck.sameEvaluation.differences(base.provenance, run.provenance)
        guard report.mismatch.isEmpty else { return report }
        report.notes = notes(base.provenance, run.provenance)

        let resultRows = Dictionary(run.rows.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let baselineIDs = Set(base.rows.map(\.id))
        for row in base.rows {
            report.configurations += 1
            report.findings += compare(row, resultRows[row.id], tolerances: tolerances,
                                       count: &report.comparisons, notes: &report.notes)
        }
        for row in run.rows where !baselineIDs.contains(row.id) {
            report.findings.append(GateFinding(config: row.id, metric: "status", verdict: .improvement,
                                               note: "new configuration, not in the baseline"))
        }
        return report
    }

    /// Findings for one configuration (only the metrics that moved beyond tolerance).
    static func compare(_ base: ResultRow, _ result: ResultRow?, tolerances: GateTolerances,
                        count: inout Int, notes: inout [String]) -> [GateFinding] {
        count += 1
        switch (base.status == "ok", result) {
        case (true, nil):
            return [GateFinding(config: base.id, metric: "status", verdict: .regression, note: "missing from the results")]
        case (true, let result?) where result.status != "ok":
            return [GateFinding(config: base.id, metric: "status", verdict: .regression,
                                note: "failed: \(result.error ?? "no reason given")")]
        case (false, let result?) where result.status == "ok":
            return [GateFinding(config: base.id, metric: "status", verdict: .improvement,
                                note: "now ok; failed in the baseline: \(base.error ?? "no reason given")")]
        case (false, _):
            return []
        case (true, let result?):
            var moved: [GateFinding] = []
            for metric in GateMetric.all(layers: base.attentionErrorPerLayer?.count ?? 0) {
                guard let old = metric.value(base) else { continue }
                let new = metric.value(result)
                guard metric.isGated(tolerances) else {
                    if let new, old > 0, max(new / old, old / new) > GateTolerances.speedNoteFactor {
                        notes.append("\(base.id): \(metric.name) \(GateFormat.number(old)) → \(GateFormat.number(new)) "
                                     + "(not gated: no \(metric.name) tolerance stated)")
                    }
                    continue
                }
                count += 1
                let (verdict, tolerance) = metric.judge(baseline: old, result: new, tolerances: tolerances)
                guard verdict != .pass else { continue }
                moved.append(GateFinding(config: base.id, metric: metric.name, baseline: old, result: new,
                                         tolerance: tolerance, verdict: verdict,
                                         note: new == nil ? "missing from the results" : nil))
            }
            return moved
        }
    }

    /// Differences that do not prevent the comparison but may explain a small move.
    static func notes(_ base: Provenance, _ run: Provenance) -> [String] {
        var notes: [String] = []
        if base.blasCore != run.blasCore {
            notes.append("BLAS core \(base.blasCore) in the baseline, \(run.blasCore) now: quality may move by rounding")
        }
        if base.suiteSHA256 != run.suiteSHA256 {
            notes.append("the suite file changed since the baseline was written")
        }
        if base.gitCommit != run.gitCommit {
            func short(_ commit: String) -> String { commit.prefix(12) + (commit.hasSuffix("-dirty") ? "-dirty" : "") }
            notes.append("baseline from commit \(short(base.gitCommit)), results from \(short(run.gitCommit))")
        }
        return notes
    }
}
