import LinearAlgebra

/// Paired bootstrap over windows: windows are resampled with replacement and the statistic is
/// recomputed on each resample. Pairing comes from the inputs: each window's value is already a
/// difference between a configuration and `identity` on the same tokens, so the interval reflects
/// how much the drift varies from window to window, not the (much larger) spread of NLL itself.
public enum Bootstrap {
    /// Resamples drawn; 2000 keeps the 2.5% / 97.5% percentiles stable to about 1% of the width.
    public static let defaultResamples = 2000
    /// Fixed seed, so that the same units always give the same interval.
    public static let defaultSeed: UInt64 = 0x4B56_4265_6E63_6831

    /// Percentile interval at `level` for the ratio statistic `Σ sums / Σ counts` over windows
    /// (a token-weighted mean when `sums[w]` is window `w`'s summed per-token difference and
    /// `counts[w]` its token count). Returns `[low, high]`, or `nil` without windows.
    public static func interval(sums: [Double], counts: [Int], level: Double = 0.95,
                                resamples: Int = defaultResamples, seed: UInt64 = defaultSeed) -> [Double]? {
        precondition(sums.count == counts.count, "one count per window")
        let n = sums.count
        guard n > 0, resamples > 0 else { return nil }
        var generator = SeededGenerator(seed: seed)
        var statistics = [Double](repeating: 0, count: resamples)
        for b in 0 ..< resamples {
            var sum = 0.0, count = 0
            for _ in 0 ..< n {
                let w = Int(generator.next() % UInt64(n))
                sum += sums[w]
                count += counts[w]
            }
            statistics[b] = count > 0 ? sum / Double(count) : 0
        }
        statistics.sort()
        let tail = (1 - level) / 2
        return [Quantile.linear(sorted: statistics, tail), Quantile.linear(sorted: statistics, 1 - tail)]
    }
}

/// Quantiles of samples.
public enum Quantile {
    /// The `q`-quantile (0…1) of ascending `sorted` values, interpolating linearly between order
    /// statistics (NumPy's default), so the 99th percentile of 100 values lies between the 99th
    /// and 100th. `nil`-free: 0 for no samples.
    public static func linear(sorted: [Double], _ q: Double) -> Double {
        guard let first = sorted.first else { return 0 }
        guard sorted.count > 1 else { return first }
        let position = min(max(q, 0), 1) * Double(sorted.count - 1)
        let lower = Int(position.rounded(.down))
        let upper = min(lower + 1, sorted.count - 1)
        let fraction = position - Double(lower)
        return sorted[lower] + (sorted[upper] - sorted[lower]) * fraction
    }
}
