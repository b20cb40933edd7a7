import LinearAlgebra

/// One sequence's tokens stored as fp16 coordinates in a basis that every sequence shares (a
/// weight-derived, calibrated or random basis): the per-sequence half of a projection strategy.
/// Encoding: rank (u16), token count (u32), positions, then `n × r` fp16 coefficients —
/// `11 + 2·n·r` bytes for consecutive positions.
public struct ProjectedTokens: Sendable {
    /// The shared basis (not part of the encoding: it is a per-model constant).
    public let basis: Basis
    /// Absolute positions of the stored tokens.
    public private(set) var positions: [Int] = []
    /// `n × r` coefficients, rounded to fp16 as stored.
    private var coefficients: [Float] = []
    /// `n × d` reconstruction of `coefficients`, extended on every append.
    private var dense: [Float] = []
    private let context: String

    /// An empty sequence; `context` (the compressor id) names it in errors.
    public init(basis: Basis, context: String) {
        self.basis = basis
        self.context = context
    }

    /// Projects and stores new tokens (`[t × d]`).
    public mutating func append(_ block: Matrix, positions newPositions: [Int]) throws {
        try checkAppend(block, positions: newPositions, headDim: basis.dimension, after: positions.last, context: context)
        guard block.rows > 0 else { return }
        let c = Matrix(rows: block.rows, cols: basis.rank, storage: Half.rounded(basis.coefficients(of: block).storage))
        coefficients += c.storage
        dense += basis.reconstruct(c).storage
        positions += newPositions
    }

    /// The stored tokens as dense vectors.
    public var block: KVBlock {
        KVBlock(vectors: Matrix(rows: positions.count, cols: basis.dimension, storage: dense), positions: positions)
    }

    /// The compact per-sequence bytes.
    public func encode() -> [UInt8] {
        var writer = ByteWriter()
        writer.uint16(UInt16(basis.rank))
        writer.uint32(UInt32(positions.count))
        writer.positions(positions)
        writer.halves(coefficients)
        return writer.bytes
    }

    /// Rebuilds a sequence from `encode()`'s bytes; throws on truncated bytes or a rank that does
    /// not match `basis` (bytes written under another configuration).
    public init(decoding bytes: [UInt8], basis: Basis, context: String) throws {
        self.init(basis: basis, context: context)
        var reader = ByteReader(bytes, context: context)
        try reader.expect(Int(try reader.uint16("the rank")), equals: basis.rank, "the rank")
        let n = try reader.count(bytesPerToken: Half.byteCount * basis.rank)
        positions = try reader.positions(n)
        coefficients = try reader.halves(n * basis.rank, "coefficients")
        try reader.finish()
        dense = basis.reconstruct(Matrix(rows: n, cols: basis.rank, storage: coefficients)).storage
    }
}
