import LinearAlgebra

/// A strategy that stores every token as fp16 coordinates in a basis shared by all sequences —
/// weight-derived, calibrated or random. Such strategies differ only in where the basis comes
/// from, so a conforming plugin writes `basis(for:rank:…)`, one stored property and one
/// initialiser; `prepare`, the per-sequence storage, `encode` and decoding come from here
/// (the per-sequence bytes are `ProjectedTokens`'s; the bases are the per-model constant).
public protocol SharedBasisProjection: KVCompressor {
    /// The rank-`rank` basis of one head (`rank` rows of length `geometry.headDim`, with an
    /// optional mean), computed once per model in `prepare`.
    static func basis(for geometry: HeadGeometry, rank: Int, configuration: CompressorConfiguration,
                      model: any ModelWeights, calibration: any CalibrationData) throws -> Basis

    /// The sequence stored in this instance.
    var tokens: ProjectedTokens { get set }

    /// Wraps a sequence; `init(configuration:…)` and `init(decoding:…)` call it.
    init(tokens: ProjectedTokens)
}

extension SharedBasisProjection {
    public static var options: [CompressorOption] { RankRule.options }

    /// One basis per (layer, KV head, kind) at the rank that `rank=` or `ratio=` asks for.
    public static func prepare(configuration: CompressorConfiguration, model: any ModelWeights,
                               calibration: any CalibrationData) throws -> SharedState {
        let rank = try RankRule(configuration, headDim: model.headDim).sharedBasisRank(headDim: model.headDim, context: id)
        var state = SharedState()
        for geometry in HeadGeometry.all(in: model) {
            let basis = try basis(for: geometry, rank: rank, configuration: configuration, model: model, calibration: calibration)
            guard (1 ... rank).contains(basis.rank), basis.dimension == geometry.headDim else {
                throw ConfigurationError("\(id): basis for \(geometry.stateKey) is \(basis.rank)×\(basis.dimension), expected at most \(rank)×\(geometry.headDim)")
            }
            state.store(basis, for: geometry)
        }
        return state
    }

    public init(configuration: CompressorConfiguration, geometry: HeadGeometry, shared: SharedState) throws {
        self.init(tokens: ProjectedTokens(basis: try shared.basis(for: geometry, context: Self.id), context: Self.id))
    }

    public init(decoding bytes: [UInt8], configuration: CompressorConfiguration, geometry: HeadGeometry,
                shared: SharedState) throws {
        let basis = try shared.basis(for: geometry, context: Self.id)
        self.init(tokens: try ProjectedTokens(decoding: bytes, basis: basis, context: Self.id))
    }

    public func append(_ block: Matrix, positions: [Int]) throws { try tokens.append(block, positions: positions) }

    public func reconstruct() throws -> KVBlock { tokens.block }

    public func encode() throws -> [UInt8] { tokens.encode() }
}
