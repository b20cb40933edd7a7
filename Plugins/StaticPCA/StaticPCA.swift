import KVCompression
import LinearAlgebra

/// Calibrated PCA: per (layer, KV head, kind), the mean and the top-r principal directions of
/// the keys (in the declared pre-RoPE space) and of the values that the model produces on a
/// calibration corpus disjoint from the evaluation text. A sequence stores fp16 coordinates of
/// `x − mean` in that basis. The directions are the top right singular vectors of the centred
/// samples, i.e. the top eigenvectors of their covariance.
public final class StaticPCA: KVCompressor {
    public static let id = "static-pca"
    public static let summary = "mean + top-r principal directions of calibration keys/values per head, fp16 coefficients"
    public static let options = RankRule.options
    private var tokens: ProjectedTokens

    public static func prepare(configuration: CompressorConfiguration, model: any ModelWeights,
                               calibration: any CalibrationData) throws -> SharedState {
        let rank = try RankRule(configuration, headDim: model.headDim).sharedBasisRank(headDim: model.headDim, context: id)
        var state = SharedState()
        for geometry in HeadGeometry.all(in: model) {
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
            let top = Matrix(rows: r, cols: d, storage: Array(vt.storage[0 ..< r * d]))
            state.store(try Basis(directions: top, mean: mean), for: geometry)
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
