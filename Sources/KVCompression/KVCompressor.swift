import LinearAlgebra

/// A KV-cache compression strategy.
///
/// One instance owns the cached representation of **one sequence's keys or values for one
/// (layer, KV head)**. The harness feeds it blocks of new tokens with `append`, asks for the
/// dense block attention will use with `reconstruct`, and measures its memory as the size of
/// `encode()`'s bytes — bytes saved is never self-reported. `init(decoding:…)` must rebuild an
/// instance whose `reconstruct()` equals the encoder's bit for bit; the harness checks it.
///
/// To add a compressor, make a folder `Plugins/<Name>/` with one Swift file holding a
/// `final class` conforming to this protocol. The registry is generated from the folders.
/// `docs/PLUGINS.md` states the full contract; this module also holds the building blocks
/// (`checkAppend`, `ByteWriter`/`ByteReader`, `RankRule`, `Basis`, `ProjectedTokens`).
public protocol KVCompressor: AnyObject {
    /// The registry id, as used in configuration specs: `online-svd` in `online-svd:rank=8`.
    static var id: String { get }
    /// One line saying what the strategy stores.
    static var summary: String { get }
    /// The configuration keys the strategy accepts, with defaults. Default: none.
    static var options: [CompressorOption] { get }
    /// Whether keys arrive before RoPE (default) or after. Values are never rotated.
    static var keySpace: KeySpace { get }

    /// Derives state shared by every sequence — a weight-derived projection, a calibrated basis —
    /// once per model and configuration. Its size is reported as a per-model constant, apart
    /// from per-sequence bytes; the harness caches it on disk keyed by model and corpus hashes.
    /// Default: no shared state.
    static func prepare(configuration: CompressorConfiguration, model: any ModelWeights,
                        calibration: any CalibrationData) throws -> SharedState

    /// A new, empty instance for the head described by `geometry`.
    init(configuration: CompressorConfiguration, geometry: HeadGeometry, shared: SharedState) throws

    /// Adds the vectors of new tokens: `block` is `[t × headDim]`, `positions` has `t` ascending
    /// absolute positions. `t` may be 0.
    func append(_ block: Matrix, positions: [Int]) throws

    /// The dense vectors attention will read (`[n × headDim]`) and the positions they belong to
    /// (all appended positions, or the survivors for a strategy that evicts).
    func reconstruct() throws -> KVBlock

    /// The serialised per-sequence state; its byte count is what the strategy costs in memory.
    func encode() throws -> [UInt8]

    /// Rebuilds an instance from `encode()`'s bytes (same configuration, geometry and shared state).
    init(decoding bytes: [UInt8], configuration: CompressorConfiguration, geometry: HeadGeometry,
         shared: SharedState) throws
}

extension KVCompressor {
    public static var options: [CompressorOption] { [] }
    public static var keySpace: KeySpace { .preRoPE }
    public static func prepare(configuration: CompressorConfiguration, model: any ModelWeights,
                               calibration: any CalibrationData) throws -> SharedState {
        SharedState()
    }
}

/// Dense vectors plus the absolute positions they stand for.
public struct KVBlock: Sendable, Equatable {
    /// `[n × headDim]`.
    public var vectors: Matrix
    /// `n` ascending absolute token positions.
    public var positions: [Int]

    public init(vectors: Matrix, positions: [Int]) {
        self.vectors = vectors
        self.positions = positions
    }
}

/// Whether an instance holds keys or values.
public enum KVKind: String, Sendable, CaseIterable, Codable {
    case keys, values
}

/// The coordinate system keys are given in.
public enum KeySpace: String, Sendable {
    /// As projected by `W_K`, before rotary position embedding (default: RoPE mixes pairs of
    /// dimensions with a position-dependent angle, which spreads a low-rank signal).
    case preRoPE
    /// After RoPE, as the attention dot products use them.
    case postRoPE
}

/// Where an instance sits in the model and what it stores.
public struct HeadGeometry: Sendable, Hashable {
    public var layer: Int
    public var kvHead: Int
    public var kind: KVKind
    /// Vector length per token (64 for SmolLM2).
    public var headDim: Int

    public init(layer: Int, kvHead: Int, kind: KVKind, headDim: Int) {
        self.layer = layer
        self.kvHead = kvHead
        self.kind = kind
        self.headDim = headDim
    }

    /// A key naming this head in shared-state maps, e.g. `L3.H1.keys`.
    public var stateKey: String { "L\(layer).H\(kvHead).\(kind.rawValue)" }
}

/// One configuration key a strategy accepts.
public struct CompressorOption: Sendable, Equatable {
    public var key: String
    /// Default value as written in a spec, or `nil` when the key has no default.
    public var defaultValue: String?
    /// One line of documentation, with units.
    public var help: String

    public init(_ key: String, default defaultValue: String?, _ help: String) {
        self.key = key
        self.defaultValue = defaultValue
        self.help = help
    }
}

/// State shared by every sequence of one model under one configuration, as named matrices
/// (for example a basis per head, keyed by `HeadGeometry.stateKey`).
public struct SharedState: Sendable, Equatable {
    public var matrices: [String: Matrix]

    public init(matrices: [String: Matrix] = [:]) {
        self.matrices = matrices
    }

    /// Bytes this state occupies as f32, reported as the per-model constant.
    public var byteCount: Int {
        matrices.values.reduce(0) { $0 + $1.storage.count * MemoryLayout<Float>.size }
    }
}

/// Read-only view of the model weights a strategy may derive a projection from.
public protocol ModelWeights {
    var layerCount: Int { get }
    var queryHeadCount: Int { get }
    var kvHeadCount: Int { get }
    var headDim: Int { get }
    var modelDim: Int { get }
    /// The `[modelDim × headDim]` projection of one head: a token's vector is `x · W` for the
    /// normalised hidden state `x` (a row). `.keys` → `W_K`, `.values` → `W_V` of KV head `kvHead`.
    func projection(layer: Int, kvHead: Int, kind: KVKind) -> Matrix
    /// The `[modelDim × headDim]` query projection of query head `head`.
    func queryProjection(layer: Int, head: Int) -> Matrix
}

/// Exact keys and values computed on a calibration corpus that never overlaps evaluation text.
public protocol CalibrationData {
    /// `[tokens × headDim]` vectors of one head on the calibration text, keys in the strategy's
    /// declared key space.
    func samples(layer: Int, kvHead: Int, kind: KVKind) throws -> Matrix
}
