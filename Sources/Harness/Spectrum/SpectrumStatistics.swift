import Foundation

/// How concentrated one singular spectrum is: the number of components that hold 90%, 95% and
/// 99% of the energy `Σσ²`, an entropy-based effective rank, and the leading singular values.
public struct SpectrumStatistics: Codable, Sendable, Equatable {
    /// Energy fractions the counts are taken at, in the order of `counts`.
    public static let fractions: [Double] = [0.90, 0.95, 0.99]
    /// How many leading singular values are kept in `top` (enough to see the decay).
    public static let topCount = 16

    /// `counts[i]` = smallest `k` with `Σ_{j≤k} σ_j² / Σ σ² ≥ fractions[i]`; 0 for a zero spectrum.
    public var counts: [Int]
    /// `exp(H)` with `H = −Σ p_i ln p_i` and `p_i = σ_i² / Σσ²` (Roy & Vetterli's effective rank
    /// on energies): equals `k` for `k` equal singular values, 0 for a zero spectrum.
    public var effectiveRank: Double
    /// The largest singular values, descending (at most `topCount`).
    public var top: [Float]

    public init(counts: [Int], effectiveRank: Double, top: [Float]) {
        self.counts = counts
        self.effectiveRank = effectiveRank
        self.top = top
    }

    /// Statistics of `singularValues` (any order, non-negative; accumulated in `Double`).
    public init(singularValues: [Float]) {
        let sorted = singularValues.map { abs(Double($0)) }.sorted(by: >)
        let energies = sorted.map { $0 * $0 }
        let total = energies.reduce(0, +)
        self.top = sorted.prefix(Self.topCount).map { Float($0) }
        guard total > 0 else {
            self.counts = Self.fractions.map { _ in 0 }
            self.effectiveRank = 0
            return
        }
        self.counts = Self.fractions.map { fraction in
            var cumulative = 0.0
            for (index, energy) in energies.enumerated() {
                cumulative += energy
                if cumulative >= fraction * total { return index + 1 }
            }
            return energies.count
        }
        var entropy = 0.0
        for energy in energies where energy > 0 {
            let p = energy / total
            entropy -= p * log(p)
        }
        self.effectiveRank = exp(entropy)
    }

    /// Components for 90% of the energy.
    public var count90: Int { counts[0] }
    /// Components for 95% of the energy.
    public var count95: Int { counts[1] }
    /// Components for 99% of the energy.
    public var count99: Int { counts[2] }
}
