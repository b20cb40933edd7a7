import Foundation
import Model

/// Builds small GGUF files byte by byte, so tests can cover layouts and corruptions the real
/// model file does not have. Fields are raw so that a test can write values a valid writer
/// never would (unknown type codes, offsets past the end, absurd dimensions).
struct GGUFWriter {
    struct Tensor {
        var name: String
        var typeCode: UInt32
        var dims: [UInt64]
        var data: [UInt8]
        /// Offset written into the tensor info; `nil` places the tensor after the previous one.
        var offset: UInt64? = nil

        init(_ name: String, _ type: GGMLType, dims: [UInt64], data: [UInt8], offset: UInt64? = nil) {
            self.name = name
            typeCode = type.rawValue
            self.dims = dims
            self.data = data
            self.offset = offset
        }
    }

    var magic: [UInt8] = Array("GGUF".utf8)
    var version: UInt32 = 3
    var metadata: [(String, GGUFValue)] = []
    var tensors: [Tensor] = []
    /// Alignment used to lay out the data section (write `general.alignment` too to change it).
    var alignment = 32

    /// The file's bytes. The last tensor ends the file (no trailing padding), so cutting the
    /// file anywhere loses something.
    func bytes() -> [UInt8] {
        var out = magic
        append(version, to: &out)
        append(UInt64(tensors.count), to: &out)
        append(UInt64(metadata.count), to: &out)
        for (key, value) in metadata {
            appendString(key, to: &out)
            append(Self.typeCode(value), to: &out)
            appendValue(value, to: &out)
        }
        var data: [UInt8] = []
        for tensor in tensors {
            appendString(tensor.name, to: &out)
            append(UInt32(tensor.dims.count), to: &out)
            for dim in tensor.dims { append(dim, to: &out) }
            append(tensor.typeCode, to: &out)
            pad(&data)
            append(tensor.offset ?? UInt64(data.count), to: &out)
            data += tensor.data
        }
        pad(&out)
        return out + data
    }

    /// Writes the file to a fresh temporary path and returns the path.
    func write() throws -> String {
        try TemporaryFile.write(bytes())
    }

    private func pad(_ bytes: inout [UInt8]) {
        while bytes.count % alignment != 0 { bytes.append(0) }
    }

    static func typeCode(_ value: GGUFValue) -> UInt32 {
        switch value {
        case .uint8: return 0
        case .int8: return 1
        case .uint16: return 2
        case .int16: return 3
        case .uint32: return 4
        case .int32: return 5
        case .float32: return 6
        case .bool: return 7
        case .string: return 8
        case .array: return 9
        case .uint64: return 10
        case .int64: return 11
        case .float64: return 12
        }
    }

    private func appendValue(_ value: GGUFValue, to out: inout [UInt8]) {
        switch value {
        case let .uint8(v): append(v, to: &out)
        case let .int8(v): append(v, to: &out)
        case let .uint16(v): append(v, to: &out)
        case let .int16(v): append(v, to: &out)
        case let .uint32(v): append(v, to: &out)
        case let .int32(v): append(v, to: &out)
        case let .uint64(v): append(v, to: &out)
        case let .int64(v): append(v, to: &out)
        case let .float32(v): append(v.bitPattern, to: &out)
        case let .float64(v): append(v.bitPattern, to: &out)
        case let .bool(v): out.append(v ? 1 : 0)
        case let .string(v): appendString(v, to: &out)
        case let .array(elements):
            append(elements.first.map(Self.typeCode) ?? 0, to: &out)
            append(UInt64(elements.count), to: &out)
            for element in elements { appendValue(element, to: &out) }
        }
    }

    private func appendString(_ string: String, to out: inout [UInt8]) {
        append(UInt64(string.utf8.count), to: &out)
        out += string.utf8
    }
}

/// Appends `value` to `bytes` in little-endian order.
func append<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
    withUnsafeBytes(of: value.littleEndian) { bytes += $0 }
}

/// Little-endian bytes of `value`.
func littleEndianBytes<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
    var bytes: [UInt8] = []
    append(value, to: &bytes)
    return bytes
}
