import LinearAlgebra

/// How a rank-based compressor chooses `r`, the number of coefficients it stores per token:
/// a fixed `rank=r`, a target compression `ratio=k` against fp16, or (for strategies that see
/// their data) an `energy=τ` share of the spectrum with a `max-rank` cap. Shared so that every
/// strategy reads the same options the same way and strategies can be compared at equal bytes.
public enum RankRule: Sendable, Equatable {
    /// Exactly `r` components.
    case rank(Int)
    /// The largest rank whose encoded bytes are at most `fp16 / k` (at least rank 1).
    case ratio(Double)
    /// The smallest rank holding a share `τ` of Σσ², at most `maxRank`.
    case energy(Double, maxRank: Int)

    /// The ratio used when none of `rank`, `ratio`, `energy` is given: equal bytes at 4×.
    static let ratioOption = CompressorOption("ratio", default: "4", "target compression against fp16, ≥ 1: the largest rank whose bytes meet it")
    static let maxRankOption = CompressorOption("max-rank", default: "32", "cap on the rank chosen by energy (clamped to headDim)")

    /// `rank` and `ratio`, as every rank-based strategy accepts them.
    public static let options: [CompressorOption] = [
        CompressorOption("rank", default: nil, "components per token, 1…headDim (exclusive with ratio)"),
        ratioOption,
    ]

    /// `energy` and `max-rank`, for strategies that choose the rank from their own spectrum.
    public static let energyOptions: [CompressorOption] = [
        CompressorOption("energy", default: nil, "share of Σσ² to keep, in (0, 1] (exclusive with rank and ratio)"),
        maxRankOption,
    ]

    /// Reads `rank`, `ratio` and, when `allowsEnergy`, `energy`/`max-rank` from `configuration`;
    /// at most one of `rank`, `ratio`, `energy` may be given (none means `ratio=4`).
    public init(_ configuration: CompressorConfiguration, headDim: Int, allowsEnergy: Bool = false) throws {
        let id = configuration.id
        let rank = try configuration.int("rank")
        let ratio = try configuration.double("ratio")
        let energy = allowsEnergy ? try configuration.double("energy") : nil
        guard [rank != nil, ratio != nil, energy != nil].filter({ $0 }).count <= 1 else {
            throw ConfigurationError("\(id): give only one of rank, ratio\(allowsEnergy ? ", energy" : "")")
        }
        if let rank {
            guard (1 ... max(headDim, 1)).contains(rank) else {
                throw ConfigurationError("\(id): rank=\(rank) is outside 1…\(headDim) (the head dimension)")
            }
            self = .rank(rank)
        } else if let energy {
            guard energy > 0, energy <= 1 else { throw ConfigurationError("\(id): energy=\(energy) is outside (0, 1]") }
            let cap = try configuration.int(Self.maxRankOption)
            guard cap >= 1 else { throw ConfigurationError("\(id): max-rank=\(cap) must be at least 1") }
            self = .energy(energy, maxRank: min(cap, headDim))
        } else {
            let ratio = try configuration.double(Self.ratioOption)
            guard ratio >= 1 else { throw ConfigurationError("\(id): ratio=\(ratio) must be at least 1") }
            self = .ratio(ratio)
        }
    }

    /// The largest `r` in `1 ... maxRank` with `bytes(r) · ratio ≤ fp16Bytes`, or 1 when even
    /// rank 1 is too big. `bytes(r)` must grow with `r` and count everything stored for the same
    /// tokens whose fp16 size is `fp16Bytes` (coefficients, any per-sequence basis, means, header).
    public static func largestRank(meeting ratio: Double, fp16Bytes: Int, maxRank: Int, bytes: (Int) -> Int) -> Int {
        var best = 1
        for r in 1 ... max(maxRank, 1) where Double(bytes(r)) * ratio <= Double(fp16Bytes) { best = r }
        return best
    }

    /// The smallest `r` whose leading singular values hold a share `fraction` of Σσ², clamped
    /// to `1 ... maxRank` (and to the number of values).
    public static func rank(holding fraction: Double, of singularValues: [Float], maxRank: Int) -> Int {
        let energies = singularValues.map { Double($0) * Double($0) }
        let total = energies.reduce(0, +)
        let cap = max(1, min(maxRank, singularValues.count))
        guard total > 0 else { return 1 }
        var kept = 0.0
        for (i, e) in energies.enumerated() {
            kept += e
            if kept >= fraction * total { return min(i + 1, cap) }
        }
        return cap
    }
}

extension RankRule {
    /// The rank for a basis shared by all sequences, where a sequence stores only `r` fp16
    /// coefficients per token: `ratio=k` gives the largest `r` with `2r · k ≤ 2·headDim` (the
    /// ~11-byte per-sequence header is ignored, being independent of the rank). Throws for
    /// `energy`, which needs the sequence's own spectrum.
    public func sharedBasisRank(headDim: Int, context: String) throws -> Int {
        switch self {
        case .rank(let r): return r
        case .ratio(let k):
            return RankRule.largestRank(meeting: k, fp16Bytes: Half.byteCount * headDim, maxRank: headDim) { Half.byteCount * $0 }
        case .energy:
            throw ConfigurationError("\(context): energy needs a per-sequence spectrum; use rank or ratio")
        }
    }
}
