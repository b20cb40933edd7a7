import KVCompression
import LinearAlgebra

/// A rank-r basis per (layer, KV head) derived from the weights alone. A key is `k = x · W_K`
/// for the normalised hidden state `x` (`W_K` is `[modelDim × headDim]`); with `W_K = U Σ Vᵀ`,
/// `k = (x U) Σ Vᵀ`, so the rows of `Vᵀ` span every key the head can produce and, for inputs
/// spread evenly over directions, the first `r` rows (largest singular values, the gains) hold
/// the most key energy. This is the best rank-r subspace knowable without data — the
/// input-independent projection that the data-adaptive methods are compared against. Values
/// use `W_V` the same way. No mean is stored (LLaMA projections have no bias).
public final class FixedProjection: SharedBasisProjection {
    public static let id = "fixed-projection"
    public static let summary = "top-r right singular directions of each KV head's W_K / W_V, fp16 coefficients"

    public static func basis(for geometry: HeadGeometry, rank: Int, configuration: CompressorConfiguration,
                             model: any ModelWeights, calibration: any CalibrationData) throws -> Basis {
        let weights = model.projection(layer: geometry.layer, kvHead: geometry.kvHead, kind: geometry.kind)
        guard weights.cols == model.headDim, weights.rows >= rank else {
            throw ConfigurationError("\(id): \(geometry.stateKey) projection is \(weights.rows)×\(weights.cols), expected modelDim×\(model.headDim)")
        }
        let vt = try rightSingularVectors(weights).vt
        return try Basis(directions: Matrix(rows: rank, cols: vt.cols, storage: Array(vt.storage[0 ..< rank * vt.cols])))
    }

    public var tokens: ProjectedTokens

    public init(tokens: ProjectedTokens) { self.tokens = tokens }
}
