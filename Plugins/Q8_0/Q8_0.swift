import KVCompression
import LinearAlgebra

/// llama.cpp's `q8_0` cache type: each run of 32 values is stored as an fp16 scale
/// `d = max|x| / 127` and 32 signed bytes `round(x / d)`, read back as `q · d` — 34 bytes per
/// 32 values (1.88× against fp16).
public final class Q8_0: BlockQuantisation {
    public static let id = "q8_0"
    public static let summary = "llama.cpp q8_0: blocks of 32 int8 values with an fp16 scale (34 bytes / 32 values)"
    public static let blockSize = 32, blockBytes = 34
    public var blocks: QuantisedBlocks

    public init(blocks: QuantisedBlocks) { self.blocks = blocks }

    public static func encodeBlock(_ x: ArraySlice<Float>, into bytes: inout [UInt8]) {
        let d = x.reduce(0) { max($0, abs($1)) } / 127
        let inverse = (1 / d).isFinite ? 1 / d : 0   // 0 for d = 0 or a subnormal d (all codes 0)
        Half.append(d, to: &bytes)
        for v in x { bytes.append(UInt8(bitPattern: Int8(clamping: Int((v * inverse).rounded())))) }
    }

    public static func decodeBlock(_ block: ArraySlice<UInt8>, into values: inout [Float]) {
        let b = block.startIndex
        let d = Half.value(of: UInt16(block[b]) | UInt16(block[b + 1]) << 8)
        for i in 0 ..< blockSize { values.append(Float(Int8(bitPattern: block[b + 2 + i])) * d) }
    }
}
