/// One number the gate compares per configuration, and how.
struct GateMetric {
    /// How a metric's tolerance is applied.
    enum Rule {
        /// `|result − baseline| ≤ tolerance`; the tolerance is read from `GateTolerances`.
        case absolute(KeyPath<GateTolerances, Double?>)
        /// `result == baseline` (byte counts); a change is better or worse by `lowerIsBetter`.
        case exact
        /// `result == baseline`, and any change is a regression: the value is fixed by the
        /// evaluated tokens alone (the fp16 size), so a change means something else was measured.
        case identical
        /// `baseline / (1 + tolerance) ≤ result ≤ baseline · (1 + tolerance)`.
        case relative(KeyPath<GateTolerances, Double?>)
    }

    /// The JSON field name, or `attention_error[l]` for one layer.
    var name: String
    var rule: Rule
    /// Whether a smaller value is the better one.
    var lowerIsBetter: Bool
    var value: (ResultRow) -> Double?

    /// The metrics compared for a configuration whose baseline row has `layers` per-layer
    /// attention errors. `nll_drift` is compared by magnitude: drift measures departure from the
    /// identity reference, so a drift further from zero in either direction is worse.
    static func all(layers: Int) -> [GateMetric] {
        var metrics = [
            GateMetric(name: "nll_drift", rule: .absolute(\.nllDrift), lowerIsBetter: true) { $0.nllDrift.map(abs) },
            GateMetric(name: "kl_mean", rule: .absolute(\.klMean), lowerIsBetter: true) { $0.klMean },
            GateMetric(name: "kl_p99", rule: .absolute(\.klP99), lowerIsBetter: true) { $0.klP99 },
            GateMetric(name: "top1_agreement", rule: .absolute(\.top1Agreement), lowerIsBetter: false) { $0.top1Agreement },
            GateMetric(name: "rms_dp", rule: .absolute(\.rmsDp), lowerIsBetter: true) { $0.rmsDp },
            GateMetric(name: "attention_error", rule: .absolute(\.attentionError), lowerIsBetter: true) { $0.attentionError },
            GateMetric(name: "bytes_encoded", rule: .exact, lowerIsBetter: true) { $0.bytesEncoded.map(Double.init) },
            GateMetric(name: "bytes_fp16", rule: .identical, lowerIsBetter: true) { $0.bytesFP16.map(Double.init) },
            GateMetric(name: "model_constant_bytes", rule: .exact, lowerIsBetter: true) { $0.modelConstantBytes.map(Double.init) },
            GateMetric(name: "speed_ratio", rule: .relative(\.speedRatio), lowerIsBetter: false) { $0.speedRatio },
        ]
        for layer in 0 ..< layers {
            metrics.append(GateMetric(name: "\(GateFormat.perLayerPrefix)\(layer)]", rule: .absolute(\.attentionError), lowerIsBetter: true) { row in
                guard let perLayer = row.attentionErrorPerLayer, layer < perLayer.count else { return nil }
                return perLayer[layer]
            })
        }
        return metrics
    }

    /// Whether the metric is gated under `tolerances`: a relative metric without a stated
    /// tolerance is only reported.
    func isGated(_ tolerances: GateTolerances) -> Bool {
        guard case .relative(let path) = rule else { return true }
        return tolerances[keyPath: path] != nil
    }

    /// Compares one value pair; `nil` result means the metric vanished from the results.
    func judge(baseline: Double, result: Double?, tolerances: GateTolerances) -> (GateVerdict, tolerance: String) {
        guard let result, result.isFinite else { return (.regression, describeTolerance(tolerances)) }
        let worse: Bool, better: Bool
        switch rule {
        case .absolute(let path):
            let tolerance = tolerances[keyPath: path] ?? 0
            let delta = result - baseline
            let moved = abs(delta) > tolerance
            worse = moved && (lowerIsBetter ? delta > 0 : delta < 0)
            better = moved && !worse
        case .exact:
            worse = lowerIsBetter ? result > baseline : result < baseline
            better = result != baseline && !worse
        case .identical:
            worse = result != baseline
            better = false
        case .relative(let path):
            let factor = 1 + (tolerances[keyPath: path] ?? 0)
            let low = result < baseline / factor, high = result > baseline * factor
            worse = lowerIsBetter ? high : low
            better = lowerIsBetter ? low : high
        }
        return (worse ? .regression : better ? .improvement : .pass, describeTolerance(tolerances))
    }

    /// The tolerance as printed: `±0.0001`, `exact`, `×1.5`.
    func describeTolerance(_ tolerances: GateTolerances) -> String {
        switch rule {
        case .absolute(let path): return "±" + GateFormat.number(tolerances[keyPath: path] ?? 0)
        case .exact, .identical: return "exact"
        case .relative(let path): return "×" + GateFormat.number(1 + (tolerances[keyPath: path] ?? 0))
        }
    }
}
