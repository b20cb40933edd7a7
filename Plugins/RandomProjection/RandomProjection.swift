import KVCompression
import LinearAlgebra

/// The control: per (layer, KV head, kind), a uniformly random rank-r subspace (the row space of
/// a seeded Gaussian `r × headDim` matrix, orthonormalised), with fp16 coordinates per token.
/// It knows nothing about weights or data, so any real method must beat it at equal bytes.
public final class RandomProjection: KVCompressor {
    public static let id = "random-projection"
    public static let summary = "seeded random orthonormal rank-r basis per head (the control), fp16 coefficients"
    public static let options = RankRule.options + [CompressorOption("seed", default: "0", "seed of the Gaussian basis (non-negative integer)")]
    private var tokens: ProjectedTokens

    public static func prepare(configuration: CompressorConfiguration, model: any ModelWeights,
                               calibration: any CalibrationData) throws -> SharedState {
        let rank = try RankRule(configuration, headDim: model.headDim).sharedBasisRank(headDim: model.headDim, context: id)
        let seed = try configuration.int("seed") ?? 0
        guard seed >= 0 else { throw ConfigurationError("\(id): seed=\(seed) must be non-negative") }
        var state = SharedState()
        for (index, geometry) in HeadGeometry.all(in: model).enumerated() {
            // One independent stream per head, reproducible from (seed, head index).
            var generator = SeededGenerator(seed: UInt64(seed) &* 0x1_0000_0001 &+ UInt64(index))
            let gaussian = generator.gaussianMatrix(rows: rank, cols: model.headDim)
            state.store(try Basis(directions: try svd(gaussian).vt), for: geometry)
        }
        return state
    }

    public init(configuration: CompressorConfiguration, geometry: HeadGeometry, shared: SharedState) throws {
        tokens = ProjectedTokens(basis: try shared.basis(for: geometry, context: Self.id), context: Self.id)
    }

    public func append(_ block: Matrix, positions: [Int]) throws { try tokens.append(block, positions: positions) }

    public func reconstruct() throws -> KVBlock { tokens.block }

    public func encode() throws -> [UInt8] { tokens.encode() }

    public required init(decoding bytes: [UInt8], configuration: CompressorConfiguration, geometry: HeadGeometry,
                         shared: SharedState) throws {
        tokens = try ProjectedTokens(decoding: bytes, basis: try shared.basis(for: geometry, context: Self.id), context: Self.id)
    }
}
