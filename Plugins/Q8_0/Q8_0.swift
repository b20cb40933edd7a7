import KVCompression
import LinearAlgebra

/// llama.cpp's `q8_0` cache type: each run of 32 values is stored as an fp16 scale
/// `d = max|x| / 127` and 32 signed bytes `round(x / d)`, read back as `q · d` — 34 bytes per
/// 32 values (1.88× against fp16). Encoding: token count (u32), positions, then the blocks of
/// every token in order. `headDim` must be a multiple of 32.
public final class Q8_0: KVCompressor {
    public static let id = "q8_0"
    public static let summary = "llama.cpp q8_0: blocks of 32 int8 values with an fp16 scale (34 bytes / 32 values)"
    static let blockSize = 32, blockBytes = 34
    private let headDim: Int
    private var blocks: [UInt8] = []
    private var dense: [Float] = []
    private var positions: [Int] = []

    public init(configuration: CompressorConfiguration, geometry: HeadGeometry, shared: SharedState) throws {
        guard geometry.headDim % Self.blockSize == 0 else { throw ConfigurationError("\(Self.id): headDim \(geometry.headDim) is not a multiple of 32") }
        headDim = geometry.headDim
    }

    public func append(_ block: Matrix, positions newPositions: [Int]) throws {
        try checkAppend(block, positions: newPositions, headDim: headDim, after: positions.last, context: Self.id)
        let start = blocks.count
        for b in stride(from: 0, to: block.storage.count, by: Self.blockSize) {
            let x = block.storage[b ..< b + Self.blockSize]
            let d = x.reduce(0) { max($0, abs($1)) } / 127
            let inverse = (1 / d).isFinite ? 1 / d : 0   // 0 for d = 0 or a subnormal d (all codes 0)
            Half.append([d], to: &blocks)
            for v in x { blocks.append(UInt8(bitPattern: Int8(clamping: Int((v * inverse).rounded())))) }
        }
        dense += Self.dequantise(blocks[start...])
        positions += newPositions
    }

    /// Values of consecutive 34-byte blocks.
    static func dequantise(_ bytes: ArraySlice<UInt8>) -> [Float] {
        var out: [Float] = []
        out.reserveCapacity(bytes.count / blockBytes * blockSize)
        for b in stride(from: bytes.startIndex, to: bytes.endIndex, by: blockBytes) {
            let d = Float(Float16(bitPattern: UInt16(bytes[b]) | UInt16(bytes[b + 1]) << 8))
            for i in 0 ..< blockSize { out.append(Float(Int8(bitPattern: bytes[b + 2 + i])) * d) }
        }
        return out
    }

    public func reconstruct() throws -> KVBlock {
        KVBlock(vectors: Matrix(rows: positions.count, cols: headDim, storage: dense), positions: positions)
    }

    public func encode() throws -> [UInt8] {
        var writer = ByteWriter()
        writer.uint32(UInt32(positions.count))
        writer.positions(positions)
        writer.raw(blocks)
        return writer.bytes
    }

    public required convenience init(decoding bytes: [UInt8], configuration: CompressorConfiguration, geometry: HeadGeometry,
                         shared: SharedState) throws {
        try self.init(configuration: configuration, geometry: geometry, shared: shared)
        var reader = ByteReader(bytes, context: Self.id)
        let tokenBytes = headDim / Self.blockSize * Self.blockBytes
        let n = try reader.count(bytesPerToken: tokenBytes)
        positions = try reader.positions(n)
        blocks = try reader.raw(n * tokenBytes, "the blocks")
        try reader.finish()
        dense = Self.dequantise(blocks[...])
    }
}
