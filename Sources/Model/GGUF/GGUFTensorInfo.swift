/// Where one tensor lives in a GGUF file and what shape it has.
public struct GGUFTensorInfo: Sendable, Equatable {
    /// Tensor name, e.g. `blk.0.attn_q.weight`.
    public let name: String
    /// Storage type.
    public let type: GGMLType
    /// Dimensions in GGUF order: `dims[0]` (ne0) is the contiguous one, the row length.
    public let dims: [Int]
    /// Offset of the first byte from the start of the file's data section.
    public let offset: Int
    /// Total number of elements (product of `dims`, checked for overflow when read).
    public let elementCount: Int
    /// Number of rows of the row-major matrix the tensor dequantises to: the product of
    /// `dims[1...]`.
    public let rows: Int
    /// Bytes the tensor occupies in the file.
    public let byteCount: Int

    /// Row length of the row-major matrix the tensor dequantises to (`dims[0]`).
    public var cols: Int { dims.first ?? 1 }
}
