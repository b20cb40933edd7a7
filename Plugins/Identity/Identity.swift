import KVCompression
import LinearAlgebra

/// The reference: stores every vector as fp16, like llama.cpp's default cache. Its drift must be
/// ~0 and its encoding defines the fp16 byte baseline.
public final class Identity: KVCompressor {
    public static let id = "identity"
    public static let summary = "fp16 storage of every vector (the reference)"
    private var block: KVBlock

    public init(configuration: CompressorConfiguration, geometry: HeadGeometry, shared: SharedState) throws {
        block = KVBlock(vectors: Matrix(rows: 0, cols: geometry.headDim), positions: [])
    }

    public func append(_ newBlock: Matrix, positions: [Int]) throws {
        block = KVBlock(vectors: Matrix(rows: block.vectors.rows + newBlock.rows, cols: newBlock.cols,
                                        storage: block.vectors.storage + newBlock.storage.map { Float(Float16($0)) }),
                        positions: block.positions + positions)
    }

    public func reconstruct() throws -> KVBlock { block }

    public func encode() throws -> [UInt8] { [] }

    public required init(decoding bytes: [UInt8], configuration: CompressorConfiguration, geometry: HeadGeometry,
                         shared: SharedState) throws {
        block = KVBlock(vectors: Matrix(rows: 0, cols: geometry.headDim), positions: [])
    }
}
