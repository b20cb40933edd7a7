import KVCompression
import LinearAlgebra

/// Data-adaptive: each sequence keeps its own truncated SVD `X ≈ C · Vᵀ` (`C = U Σ`, fp16) plus
/// an exact fp16 buffer of the newest tokens. When the buffer reaches `b` tokens it is folded in
/// with a small SVD of `[Σ Vᵀ ; buffer]` (`(r + b) × headDim`): its right singular vectors are the
/// new basis, old coefficients are re-expressed by an `r × r'` product and the buffered tokens
/// projected — O((r + b)·d² + n·r²) per fold, never a re-SVD of the whole history. A prefix
/// appended at once is simply one large fold. The rank is fixed (`rank`), the largest meeting a
/// compression `ratio` for the tokens held at that fold (basis, Σ, coefficients, header all
/// counted), or the smallest holding an `energy` share of the spectrum, re-chosen at every fold.
/// Encoding: rank (u16), folded count (u32), buffered count (u32), positions, then fp16
/// `Vᵀ` (`r × d`), `Σ` (`r`), `C` (`n × r`) and the buffer (`m × d`).
public final class OnlineSVD: KVCompressor {
    public static let id = "online-svd"
    public static let summary = "per-sequence truncated SVD updated incrementally, exact fp16 buffer of b tokens folded in when full"
    private static let buffer = CompressorOption("buffer", default: "64", "tokens held exactly (fp16) before being folded into the SVD, ≥ 1")
    public static let options = RankRule.options + RankRule.energyOptions + [buffer]

    /// Bytes besides the arrays (rank, two counts, consecutive positions).
    private static let headerBytes = 2 + 4 + 4 + 5

    /// The encoding's size for `tokens` folded tokens at `rank` and `buffered` buffered ones.
    private static func encodedBytes(rank: Int, tokens: Int, buffered: Int, headDim: Int) -> Int {
        headerBytes + Half.byteCount * (rank * headDim + rank + tokens * rank + buffered * headDim)
    }

    private let rule: RankRule
    private let bufferSize: Int
    private let headDim: Int
    private var basis: Basis
    private var sigma: [Float] = []
    private var coefficients: Matrix
    /// What `reconstruct` returns, `[(n + buffered) × d]`: the folded tokens' reconstruction
    /// (refreshed at each fold) followed by the buffer, kept whole so that reading copies nothing.
    private var dense: [Float] = []
    private var buffer: [Float] = []
    private var positions: [Int] = []

    public init(configuration: CompressorConfiguration, geometry: HeadGeometry, shared: SharedState) throws {
        headDim = geometry.headDim
        rule = try RankRule(configuration, headDim: headDim, allowsEnergy: true)
        bufferSize = try configuration.int(Self.buffer)
        guard bufferSize >= 1 else { throw ConfigurationError("\(Self.id): buffer=\(bufferSize) must be at least 1") }
        basis = try Basis(directions: Matrix(rows: 0, cols: headDim))
        coefficients = Matrix(rows: 0, cols: 0)
    }

    public func append(_ block: Matrix, positions newPositions: [Int]) throws {
        try checkAppend(block, positions: newPositions, headDim: headDim, after: positions.last, context: Self.id)
        let rounded = Half.rounded(block.storage)
        buffer += rounded
        dense += rounded
        positions += newPositions
        if buffer.count >= bufferSize * headDim { try fold() }
    }

    private func fold() throws {
        let m = buffer.count / headDim, n = coefficients.rows + m
        var stacked = basis.directions.storage
        for i in 0 ..< basis.rank { for j in 0 ..< headDim { stacked[i * headDim + j] *= sigma[i] } }
        let (s, vt) = try rightSingularVectors(Matrix(rows: basis.rank + m, cols: headDim, storage: stacked + buffer))
        let rank: Int
        switch rule {
        case .rank(let r): rank = min(r, s.count)
        case .energy(let share, let cap): rank = RankRule.rank(holding: share, of: s, maxRank: cap)
        case .ratio(let k):
            rank = min(s.count, RankRule.largestRank(meeting: k, fp16Bytes: Half.byteCount * n * headDim, maxRank: headDim) {
                Self.encodedBytes(rank: $0, tokens: n, buffered: 0, headDim: headDim)
            })
        }
        let next = try Basis(directions: Matrix(rows: rank, cols: headDim, storage: Half.rounded(Array(vt.storage[0 ..< rank * headDim]))))
        let old = basis.convert(coefficients, to: next)
        let new = next.coefficients(of: Matrix(rows: m, cols: headDim, storage: buffer))
        coefficients = Matrix(rows: n, cols: rank, storage: Half.rounded(old.storage + new.storage))
        sigma = Half.rounded(Array(s[0 ..< rank]))
        basis = next
        dense = basis.reconstruct(coefficients).storage
        buffer = []
    }

    public func reconstruct() throws -> KVBlock {
        KVBlock(vectors: Matrix(rows: positions.count, cols: headDim, storage: dense), positions: positions)
    }

    public func encode() throws -> [UInt8] {
        var writer = ByteWriter()
        writer.uint16(UInt16(basis.rank))
        writer.uint32(UInt32(coefficients.rows))
        writer.uint32(UInt32(buffer.count / headDim))
        writer.positions(positions)
        writer.halves(basis.directions.storage)
        writer.halves(sigma)
        writer.halves(coefficients.storage)
        writer.halves(buffer)
        return writer.bytes
    }

    public required convenience init(decoding bytes: [UInt8], configuration: CompressorConfiguration,
                                     geometry: HeadGeometry, shared: SharedState) throws {
        try self.init(configuration: configuration, geometry: geometry, shared: shared)
        var reader = ByteReader(bytes, context: Self.id)
        let rank = Int(try reader.uint16("the rank"))
        guard rank <= headDim else { throw EncodingError("\(Self.id): rank \(rank) exceeds headDim \(headDim)") }
        let n = try reader.count(bytesPerToken: Half.byteCount * rank, "the folded token count")
        guard rank > 0 || n == 0 else { throw EncodingError("\(Self.id): \(n) folded tokens with rank 0") }
        let m = try reader.count(bytesPerToken: Half.byteCount * headDim, "the buffered token count")
        guard m < bufferSize else { throw EncodingError("\(Self.id): \(m) buffered tokens, but buffer=\(bufferSize)") }
        positions = try reader.positions(n + m)
        basis = try Basis(directions: Matrix(rows: rank, cols: headDim, storage: try reader.halves(rank * headDim, "the basis")))
        sigma = try reader.halves(rank, "the singular values")
        coefficients = Matrix(rows: n, cols: rank, storage: try reader.halves(n * rank, "the coefficients"))
        buffer = try reader.halves(m * headDim, "the buffer")
        try reader.finish()
        dense = basis.reconstruct(coefficients).storage + buffer
    }
}
