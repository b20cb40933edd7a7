import KVCompression
import LinearAlgebra

/// The control: per (layer, KV head, kind), a uniformly random rank-r subspace (the row space of
/// a seeded Gaussian `r × headDim` matrix, orthonormalised), with fp16 coordinates per token.
/// It knows nothing about weights or data, so any real method must beat it at equal bytes.
public final class RandomProjection: SharedBasisProjection {
    public static let id = "random-projection"
    public static let summary = "seeded random orthonormal rank-r basis per head (the control), fp16 coefficients"
    private static let seed = CompressorOption("seed", default: "0", "seed of the Gaussian basis (non-negative integer)")
    public static let options = RankRule.options + [seed]

    public static func basis(for geometry: HeadGeometry, rank: Int, configuration: CompressorConfiguration,
                             model: any ModelWeights, calibration: any CalibrationData) throws -> Basis {
        let seed = try configuration.int(Self.seed)
        guard seed >= 0 else { throw ConfigurationError("\(id): seed=\(seed) must be non-negative") }
        // One independent stream per head, reproducible from (seed, head index in layer, head, kind order).
        let head = (geometry.layer * model.kvHeadCount + geometry.kvHead) * KVKind.allCases.count
            + KVKind.allCases.firstIndex(of: geometry.kind)!
        var generator = SeededGenerator(seed: UInt64(seed) &* 0x1_0000_0001 &+ UInt64(head))
        return try Basis(directions: try svd(generator.gaussianMatrix(rows: rank, cols: geometry.headDim)).vt)
    }

    public var tokens: ProjectedTokens

    public init(tokens: ProjectedTokens) { self.tokens = tokens }
}
