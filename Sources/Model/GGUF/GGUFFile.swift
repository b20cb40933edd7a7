import LinearAlgebra

/// A GGUF (version 2 or 3) model file, memory-mapped read-only. Opening it parses and checks
/// the header, the metadata and every tensor's shape and extent; tensor data is only touched
/// when dequantised, so opening is cheap and the weights are paged in on demand.
public final class GGUFFile: @unchecked Sendable {
    /// The path the file was opened from (used in error messages).
    public let path: String
    /// GGUF format version (2 or 3).
    public let version: Int
    /// Every metadata key and its value.
    public let metadata: [String: GGUFValue]
    /// Every tensor by name.
    public let tensors: [String: GGUFTensorInfo]
    /// Tensor names in the order the file lists them.
    public let tensorNames: [String]
    /// Alignment of the data section and of each tensor in it, in bytes (`general.alignment`,
    /// default 32).
    public let alignment: Int
    /// Offset of the data section from the start of the file, in bytes.
    public let dataOffset: Int

    private let file: MappedFile

    /// Maps and parses the file at `path`; throws a `GGUFError` naming the file and the first
    /// problem found.
    public init(path: String) throws {
        self.path = path
        file = try MappedFile(path: path)
        var reader = GGUFReader(bytes: file.bytes, path: path)

        let magic = try reader.read(UInt32.self, "magic")
        guard magic == 0x4655_4747 else {  // "GGUF" read as a little-endian UInt32
            throw reader.error("not a GGUF file (magic 0x\(String(magic, radix: 16)), expected \"GGUF\")")
        }
        let version = try reader.read(UInt32.self, "version")
        guard version == 2 || version == 3 else {
            throw reader.error("unsupported GGUF version \(version) (supported: 2, 3)")
        }
        self.version = Int(version)
        // Smallest tensor info: empty name (8), n_dims (4), type (4), offset (8).
        let tensorCount = try reader.readCount(minimumSize: 24, "tensor")
        // Smallest key/value: empty key (8), type (4), one byte of value.
        let keyCount = try reader.readCount(minimumSize: 13, "metadata key")

        var metadata: [String: GGUFValue] = [:]
        metadata.reserveCapacity(keyCount)
        for index in 0 ..< keyCount {
            let key = try reader.readString("metadata key #\(index)")
            let type = try reader.readValueType("metadata '\(key)'")
            let value = try reader.readValue(type, key: key)
            guard metadata.updateValue(value, forKey: key) == nil else {
                throw reader.error("metadata key '\(key)' appears twice")
            }
        }
        self.metadata = metadata
        alignment = try Self.alignment(in: metadata, reader: reader)

        var infos: [(name: String, type: GGMLType, dims: [Int], offset: Int)] = []
        infos.reserveCapacity(tensorCount)
        for index in 0 ..< tensorCount {
            let name = try reader.readString("tensor #\(index) name")
            let dimCount = try reader.read(UInt32.self, "tensor '\(name)' dimension count")
            guard (1 ... 4).contains(dimCount) else {
                throw reader.error("tensor '\(name)' has \(dimCount) dimensions (1 to 4 allowed)")
            }
            var dims: [Int] = []
            for _ in 0 ..< dimCount {
                let dim = try reader.read(UInt64.self, "tensor '\(name)' dimension")
                guard let value = Int(exactly: dim) else {
                    throw reader.error("tensor '\(name)' dimension \(dim) is too large")
                }
                dims.append(value)
            }
            let code = try reader.read(UInt32.self, "tensor '\(name)' type")
            guard let type = GGMLType(rawValue: code) else {
                throw reader.error("tensor '\(name)' has unknown type \(code)")
            }
            let offset = try reader.read(UInt64.self, "tensor '\(name)' offset")
            guard let offsetValue = Int(exactly: offset) else {
                throw reader.error("tensor '\(name)' offset \(offset) is too large")
            }
            infos.append((name, type, dims, offsetValue))
        }

        let (paddedEnd, overflow) = reader.position.addingReportingOverflow(alignment - 1)
        guard !overflow else { throw reader.error("data section offset overflows") }
        dataOffset = paddedEnd / alignment * alignment
        let dataBytes = file.bytes.count - dataOffset  // negative when the data section is missing

        var tensors: [String: GGUFTensorInfo] = [:]
        tensors.reserveCapacity(infos.count)
        for info in infos {
            let tensor = try Self.checkedTensor(info, alignment: alignment, dataBytes: dataBytes, reader: reader)
            guard tensors.updateValue(tensor, forKey: info.name) == nil else {
                throw reader.error("tensor '\(info.name)' appears twice")
            }
        }
        self.tensors = tensors
        tensorNames = infos.map(\.name)
    }

    private static func alignment(in metadata: [String: GGUFValue], reader: GGUFReader) throws -> Int {
        guard let value = metadata["general.alignment"] else { return 32 }
        guard case let .uint32(raw) = value else {
            throw reader.error("general.alignment is \(value.typeName), expected uint32")
        }
        guard raw > 0, raw & (raw - 1) == 0 else {
            throw reader.error("general.alignment \(raw) is not a power of two")
        }
        return Int(raw)
    }

    /// Checks a tensor's shape, type and extent against the data section, with overflow-checked
    /// arithmetic throughout.
    private static func checkedTensor(
        _ info: (name: String, type: GGMLType, dims: [Int], offset: Int),
        alignment: Int, dataBytes: Int, reader: GGUFReader
    ) throws -> GGUFTensorInfo {
        let name = info.name
        var rows = 1
        for dim in info.dims.dropFirst() {
            let (product, overflow) = rows.multipliedReportingOverflow(by: dim)
            guard !overflow else { throw reader.error("tensor '\(name)' shape \(info.dims) has too many elements") }
            rows = product
        }
        let (elements, overflow) = rows.multipliedReportingOverflow(by: info.dims[0])
        guard !overflow else { throw reader.error("tensor '\(name)' shape \(info.dims) has too many elements") }
        guard info.dims[0] % info.type.blockSize == 0 else {
            throw reader.error("tensor '\(name)' row length \(info.dims[0]) is not a multiple of the \(info.type.name) block size \(info.type.blockSize)")
        }
        let (byteCount, bytesOverflow) = (elements / info.type.blockSize).multipliedReportingOverflow(by: info.type.blockBytes)
        guard !bytesOverflow else { throw reader.error("tensor '\(name)' shape \(info.dims) has too many bytes") }
        guard info.offset % alignment == 0 else {
            throw reader.error("tensor '\(name)' offset \(info.offset) is not a multiple of the alignment \(alignment)")
        }
        let (end, endOverflow) = info.offset.addingReportingOverflow(byteCount)
        guard !endOverflow, end <= dataBytes else {
            throw reader.error("tensor '\(name)' (\(byteCount) bytes at data offset \(info.offset)) runs past the end of the file (data section has \(max(dataBytes, 0)) bytes)")
        }
        return GGUFTensorInfo(
            name: name, type: info.type, dims: info.dims, offset: info.offset,
            elementCount: elements, rows: rows, byteCount: byteCount
        )
    }

    /// The raw bytes of the tensor `name` as stored in the file, for callers that read a
    /// quantised format themselves. Valid only while this object lives.
    public func data(_ name: String) throws -> UnsafeRawBufferPointer {
        data(of: try tensor(name))
    }

    /// The bytes of a tensor of this file (its extent was checked when the file was opened).
    func data(of tensor: GGUFTensorInfo) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: file.bytes[dataOffset + tensor.offset ..< dataOffset + tensor.offset + tensor.byteCount])
    }

    /// The tensor called `name`, or an error naming the file and the missing tensor.
    public func tensor(_ name: String) throws -> GGUFTensorInfo {
        guard let tensor = tensors[name] else { throw GGUFError(path: path, "no tensor named '\(name)'") }
        return tensor
    }
}
