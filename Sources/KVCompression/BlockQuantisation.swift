import LinearAlgebra

/// A strategy that stores every run of `blockSize` values as one fixed-size block of bytes, the
/// way llama.cpp's cache types (`q8_0`, `q4_0`) do. Such strategies differ only in how one block
/// is coded, so a conforming plugin writes `encodeBlock`/`decodeBlock`, the two sizes, one stored
/// property and `init(blocks:)`; storage, positions, `encode` and decoding come from here.
/// Encoding: token count (u32), positions, then every token's blocks in order.
public protocol BlockQuantisation: KVCompressor {
    /// Values per block (32 for llama.cpp's types); `headDim` must be a multiple of it.
    static var blockSize: Int { get }
    /// Bytes per encoded block.
    static var blockBytes: Int { get }
    /// Appends the `blockBytes` bytes that code `values` (`blockSize` of them) to `bytes`.
    static func encodeBlock(_ values: ArraySlice<Float>, into bytes: inout [UInt8])
    /// Appends the `blockSize` values coded by `block` (`blockBytes` bytes) to `values`.
    static func decodeBlock(_ block: ArraySlice<UInt8>, into values: inout [Float])

    /// The sequence stored in this instance.
    var blocks: QuantisedBlocks { get set }
    /// Wraps a sequence; `init(configuration:…)` and `init(decoding:…)` call it.
    init(blocks: QuantisedBlocks)
}

/// One sequence's vectors as coded blocks, plus their decoded values (what attention reads).
public struct QuantisedBlocks: Sendable {
    /// Vector length per token.
    public let headDim: Int
    /// Every token's blocks, in order: the per-sequence bytes.
    public var bytes: [UInt8] = []
    /// `bytes` decoded, `n × headDim`.
    public var values: [Float] = []
    /// Absolute positions of the stored tokens.
    public var positions: [Int] = []

    public init(headDim: Int) { self.headDim = headDim }
}

extension BlockQuantisation {
    public init(configuration: CompressorConfiguration, geometry: HeadGeometry, shared: SharedState) throws {
        guard geometry.headDim % Self.blockSize == 0 else {
            throw ConfigurationError("\(Self.id): headDim \(geometry.headDim) is not a multiple of \(Self.blockSize)")
        }
        self.init(blocks: QuantisedBlocks(headDim: geometry.headDim))
    }

    public func append(_ block: Matrix, positions: [Int]) throws {
        try checkAppend(block, positions: positions, headDim: blocks.headDim, after: blocks.positions.last, context: Self.id)
        var coded: [UInt8] = []
        coded.reserveCapacity(block.storage.count / Self.blockSize * Self.blockBytes)
        for start in stride(from: 0, to: block.storage.count, by: Self.blockSize) {
            Self.encodeBlock(block.storage[start ..< start + Self.blockSize], into: &coded)
        }
        blocks.values += Self.decode(coded[...])
        blocks.bytes += coded
        blocks.positions += positions
    }

    public func reconstruct() throws -> KVBlock {
        KVBlock(vectors: Matrix(rows: blocks.positions.count, cols: blocks.headDim, storage: blocks.values),
                positions: blocks.positions)
    }

    public func encode() throws -> [UInt8] {
        var writer = ByteWriter()
        writer.uint32(UInt32(blocks.positions.count))
        writer.positions(blocks.positions)
        writer.raw(blocks.bytes)
        return writer.bytes
    }

    public init(decoding bytes: [UInt8], configuration: CompressorConfiguration, geometry: HeadGeometry,
                shared: SharedState) throws {
        try self.init(configuration: configuration, geometry: geometry, shared: shared)
        var reader = ByteReader(bytes, context: Self.id)
        let tokenBytes = geometry.headDim / Self.blockSize * Self.blockBytes
        let n = try reader.count(bytesPerToken: tokenBytes)
        var stored = QuantisedBlocks(headDim: geometry.headDim)
        stored.positions = try reader.positions(n)
        stored.bytes = try reader.raw(n * tokenBytes, "the blocks")
        try reader.finish()
        stored.values = Self.decode(stored.bytes[...])
        blocks = stored
    }

    /// Values of consecutive blocks.
    static func decode(_ bytes: ArraySlice<UInt8>) -> [Float] {
        var values: [Float] = []
        values.reserveCapacity(bytes.count / Self.blockBytes * Self.blockSize)
        for start in stride(from: bytes.startIndex, to: bytes.endIndex, by: Self.blockBytes) {
            Self.decodeBlock(bytes[start ..< start + Self.blockBytes], into: &values)
        }
        return values
    }
}
