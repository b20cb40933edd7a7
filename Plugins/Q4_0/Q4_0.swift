import KVCompression
import LinearAlgebra

/// llama.cpp's `q4_0` cache type: each run of 32 values is stored as an fp16 scale `d = m / −8`
/// (`m` the value of largest magnitude, sign kept) and 32 four-bit codes
/// `min(15, ⌊x / d + 8.5⌋)`, read back as `(q − 8) · d` — 18 bytes per 32 values (3.56× against
/// fp16). As in llama.cpp, byte `j` holds value `j` in its low nibble and value `j + 16` in its
/// high nibble.
public final class Q4_0: BlockQuantisation {
    public static let id = "q4_0"
    public static let summary = "llama.cpp q4_0: blocks of 32 4-bit values with an fp16 scale (18 bytes / 32 values)"
    public static let blockSize = 32, blockBytes = 18
    public var blocks: QuantisedBlocks

    public init(blocks: QuantisedBlocks) { self.blocks = blocks }

    public static func encodeBlock(_ x: ArraySlice<Float>, into bytes: inout [UInt8]) {
        let m = x.reduce(Float(0)) { abs($1) > abs($0) ? $1 : $0 }
        let d = m / -8
        let inverse = (1 / d).isFinite ? 1 / d : 0   // 0 for d = 0 or a subnormal d (all codes 0)
        let codes = x.map { UInt8(min(15, max(0, Int(($0 * inverse + 8.5).rounded(.towardZero))))) }
        Half.append(d, to: &bytes)
        for j in 0 ..< blockSize / 2 { bytes.append(codes[j] | codes[j + blockSize / 2] << 4) }
    }

    public static func decodeBlock(_ block: ArraySlice<UInt8>, into values: inout [Float]) {
        let b = block.startIndex
        let d = Half.value(of: UInt16(block[b]) | UInt16(block[b + 1]) << 8)
        for j in 0 ..< blockSize { values.append(Float(Int((block[b + 2 + j % 16] >> (j < 16 ? 0 : 4)) & 0x0F) - 8) * d) }
    }
}
