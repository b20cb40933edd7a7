import KVCompression
import LinearAlgebra

/// Calibrated PCA: per (layer, KV head, kind), the mean and the top-r principal directions of
/// the keys (in the declared pre-RoPE space) and of the values that the model produces on a
/// calibration corpus disjoint from the evaluation text. A sequence stores fp16 coordinates of
/// `x − mean` in that basis. The directions are the top right singular vectors of the centred
/// samples, i.e. the top eigenvectors of their covariance.
public final class StaticPCA: SharedBasisProjection {
    public static let id = "static-pca"
    public static let summary = "mean + top-r principal directions of calibration keys/values per head, fp16 coefficients"

    public static func basis(for geometry: HeadGeometry, rank: Int, configuration: CompressorConfiguration,
                             model: any ModelWeights, calibration: any CalibrationData) throws -> Basis {
        let samples = try calibration.samples(layer: geometry.layer, kvHead: geometry.kvHead, kind: geometry.kind)
        let n = samples.rows, d = samples.cols
        guard d == model.headDim, n >= 2 else {
            throw ConfigurationError("\(id): \(geometry.stateKey) calibration is \(n)×\(d), need at least 2×\(model.headDim)")
        }
        var mean = [Float](repeating: 0, count: d)
        for i in 0 ..< n { for j in 0 ..< d { mean[j] += samples[i, j] } }
        mean = mean.map { $0 / Float(n) }
        var centred = samples
        for i in 0 ..< n { for j in 0 ..< d { centred[i, j] -= mean[j] } }
        let vt = try rightSingularVectors(centred).vt
        let r = min(rank, vt.rows)
        return try Basis(directions: Matrix(rows: r, cols: d, storage: Array(vt.storage[0 ..< r * d])), mean: mean)
    }

    public var tokens: ProjectedTokens

    public init(tokens: ProjectedTokens) { self.tokens = tokens }
}
