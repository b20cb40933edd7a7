import KVCompression
import LinearAlgebra

/// The reference: stores every vector as fp16, like llama.cpp's default cache. Its drift must be
/// ~0 and its encoding defines the fp16 byte baseline. Encoding: token count (u32), positions,
/// then `n × headDim` fp16 values — `9 + 2·n·headDim` bytes.
public final class Identity: KVCompressor {
    public static let id = "identity"
    public static let summary = "fp16 storage of every vector (the reference)"
    private let headDim: Int
    private var vectors: [Float] = []
    private var positions: [Int] = []

    public init(configuration: CompressorConfiguration, geometry: HeadGeometry, shared: SharedState) throws {
        headDim = geometry.headDim
    }

    public func append(_ block: Matrix, positions newPositions: [Int]) throws {
        try checkAppend(block, positions: newPositions, headDim: headDim, after: positions.last, context: Self.id)
        vectors += Half.rounded(block.storage)
        positions += newPositions
    }

    public func reconstruct() throws -> KVBlock {
        KVBlock(vectors: Matrix(rows: positions.count, cols: headDim, storage: vectors), positions: positions)
    }

    public func encode() throws -> [UInt8] {
        var writer = ByteWriter()
        writer.uint32(UInt32(positions.count))
        writer.positions(positions)
        writer.halves(vectors)
        return writer.bytes
    }

    public required init(decoding bytes: [UInt8], configuration: CompressorConfiguration, geometry: HeadGeometry,
                         shared: SharedState) throws {
        headDim = geometry.headDim
        var reader = ByteReader(bytes, context: Self.id)
        let n = try reader.count(bytesPerToken: Half.byteCount * headDim)
        positions = try reader.positions(n)
        vectors = try reader.halves(n * headDim, "vectors")
        try reader.finish()
    }
}
