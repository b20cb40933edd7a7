import Foundation

/// The id of the reference configuration every other row is compared with.
public let referenceConfiguration = "identity"

/// Computes one row per configuration from the raw units of a run, a resumed run or merged
/// shards — the single place where rows are derived, so all three give the same document.
///
/// Units are ordered by window (stable), configurations by first appearance, `identity` first.
/// A configuration with any failed unit gets a failed row naming the first failure. Quality
/// metrics pool the scored tokens of every window; the drift interval is a paired bootstrap over
/// windows (`Bootstrap`); speed ratios are taken against `identity` in the same units.
public func aggregate(_ units: [UnitResult]) -> [ResultRow] {
    let ordered = units.enumerated().sorted { ($0.element.window, $0.offset) < ($1.element.window, $1.offset) }.map(\.element)
    var order: [String] = []
    var byConfig: [String: [UnitResult]] = [:]
    for unit in ordered {
        if byConfig[unit.config] == nil { order.append(unit.config) }
        byConfig[unit.config, default: []].append(unit)
    }
    if let index = order.firstIndex(of: referenceConfiguration) {
        order.remove(at: index)
        order.insert(referenceConfiguration, at: 0)
    }
    let reference = Dictionary((byConfig[referenceConfiguration] ?? []).map { ($0.window, $0) }, uniquingKeysWith: { first, _ in first })
    var rows = order.map { RowBuilder(id: $0, units: byConfig[$0]!, reference: reference).build() }
    if let identity = rows.first, identity.id == referenceConfiguration, identity.status == "ok" {
        for i in rows.indices where rows[i].status == "ok" {
            rows[i].compressTimeRatio = ratio(rows[i].compressSecondsPerToken, identity.compressSecondsPerToken)
            rows[i].reconstructTimeRatio = ratio(rows[i].reconstructSecondsPerToken, identity.reconstructSecondsPerToken)
            rows[i].speedRatio = ratio(rows[i].tokensPerSecond, identity.tokensPerSecond)
        }
    }
    return rows
}

private func ratio(_ a: Double?, _ b: Double?) -> Double? {
    guard let a, let b, b > 0 else { return nil }
    return a / b
}

/// Folds one configuration's units into its row.
private struct RowBuilder {
    var id: String
    var units: [UnitResult]
    var reference: [Int: UnitResult]

    func build() -> ResultRow {
        if let failed = units.first(where: { $0.status != "ok" }) {
            return failedRow("window \(failed.window): \(failed.error ?? "failed")")
        }
        var row = ResultRow(id: id, status: "ok")
        var driftSums: [Double] = [], tokenCounts: [Int] = [], windowNLL: [Double] = []
        var kl: [Double] = [], dpSquares = 0.0, matches = 0, scored = 0
        var layerSums: [Double] = [], layerCounts: [Int] = []
        var bytesEncoded = 0, bytesFP16 = 0, cachedTokens = 0, continuationTokens = 0
        var compressSeconds = 0.0, reconstructSeconds = 0.0, wallSeconds = 0.0
        for unit in units {
            guard let base = reference[unit.window], base.status == "ok", let baseNLL = base.nll else {
                return failedRow("window \(unit.window): no identity result to compare with")
            }
            guard let nll = unit.nll, nll.count == baseNLL.count, let unitKL = unit.kl, unitKL.count == nll.count,
                  let top1 = unit.top1Match, top1.count == nll.count, let dp = unit.dp, dp.count == nll.count else {
                return failedRow("window \(unit.window): per-token arrays missing or of different lengths")
            }
            var drift = 0.0, total = 0.0
            for t in nll.indices {
                drift += nll[t] - baseNLL[t]
                total += nll[t]
            }
            driftSums.append(drift)
            tokenCounts.append(nll.count)
            windowNLL.append(nll.isEmpty ? 0 : total / Double(nll.count))
            kl.append(contentsOf: unitKL)
            for t in nll.indices {
                dpSquares += dp[t] * dp[t]
                if top1[t] { matches += 1 }
            }
            scored += nll.count
            if let sums = unit.attentionErrorSum, let counts = unit.attentionErrorCount, sums.count == counts.count {
                if layerSums.isEmpty {
                    layerSums = [Double](repeating: 0, count: sums.count)
                    layerCounts = [Int](repeating: 0, count: sums.count)
                }
                guard sums.count == layerSums.count else {
                    return failedRow("window \(unit.window): attention error arrays have \(sums.count) layers, expected \(layerSums.count)")
                }
                for l in sums.indices {
                    layerSums[l] += sums[l]
                    layerCounts[l] += counts[l]
                }
            }
            bytesEncoded += unit.bytesEncoded ?? 0
            bytesFP16 += unit.bytesFP16 ?? 0
            cachedTokens += unit.cachedTokens ?? 0
            continuationTokens += unit.continuationTokens ?? 0
            compressSeconds += unit.compressSeconds ?? 0
            reconstructSeconds += unit.reconstructSeconds ?? 0
            wallSeconds += unit.wallSeconds ?? 0
        }
        guard scored > 0 else { return failedRow("no scored tokens") }
        let drift = driftSums.reduce(0, +) / Double(scored)
        row.nllDrift = drift
        row.nllDriftCI95 = Bootstrap.interval(sums: driftSums, counts: tokenCounts)
        row.pplChange = exp(drift) - 1
        row.klMean = kl.reduce(0, +) / Double(kl.count)
        row.klP99 = Quantile.linear(sorted: kl.sorted(), 0.99)
        row.top1Agreement = Double(matches) / Double(scored)
        row.rmsDp = (dpSquares / Double(scored)).squareRoot()
        if !layerSums.isEmpty {
            let count = layerCounts.reduce(0, +)
            row.attentionError = count > 0 ? layerSums.reduce(0, +) / Double(count) : nil
            row.attentionErrorPerLayer = zip(layerSums, layerCounts).map { $1 > 0 ? $0 / Double($1) : 0 }
        }
        row.bytesEncoded = bytesEncoded
        row.bytesFP16 = bytesFP16
        if bytesFP16 > 0 { row.bytesSaved = 1 - Double(bytesEncoded) / Double(bytesFP16) }
        if bytesEncoded > 0 { row.compressionRatio = Double(bytesFP16) / Double(bytesEncoded) }
        row.modelConstantBytes = units.first?.modelConstantBytes
        if cachedTokens > 0 {
            row.compressSecondsPerToken = compressSeconds / Double(cachedTokens)
            row.reconstructSecondsPerToken = reconstructSeconds / Double(cachedTokens)
        }
        if wallSeconds > 0 { row.tokensPerSecond = Double(continuationTokens) / wallSeconds }
        row.windowNLL = windowNLL
        return row
    }

    private func failedRow(_ reason: String) -> ResultRow {
        ResultRow(id: id, status: "failed", error: reason)
    }
}
