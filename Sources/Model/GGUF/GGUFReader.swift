/// A bounds-checked cursor over the header of a mapped GGUF file (little-endian). Every read
/// checks the bytes are there first, and every count is checked against the bytes left before
/// anything is allocated, so hostile files fail with an error instead of a crash or a huge
/// allocation.
struct GGUFReader {
    /// Nested arrays deeper than this are rejected (llama.cpp's writers produce depth 1).
    static let maximumArrayDepth = 8

    let bytes: UnsafeRawBufferPointer
    let path: String
    private(set) var position = 0

    init(bytes: UnsafeRawBufferPointer, path: String) {
        self.bytes = bytes
        self.path = path
    }

    var remaining: Int { bytes.count - position }

    func error(_ reason: String) -> GGUFError { GGUFError(path: path, reason) }

    /// Advances past `count` bytes, which must all be in the file.
    mutating func skip(_ count: Int, reading what: @autoclosure () -> String) throws -> Int {
        guard count >= 0, count <= remaining else {
            throw error("truncated: \(what()) needs \(count) bytes at offset \(position), file has \(bytes.count)")
        }
        defer { position += count }
        return position
    }

    mutating func read<T: FixedWidthInteger>(_: T.Type, _ what: @autoclosure () -> String) throws -> T {
        let start = try skip(MemoryLayout<T>.size, reading: what())
        return T(littleEndian: bytes.loadUnaligned(fromByteOffset: start, as: T.self))
    }

    /// Reads a `UInt64` count and checks that `count` items of at least `minimumSize` bytes each
    /// fit in the rest of the file.
    mutating func readCount(minimumSize: Int, _ what: String) throws -> Int {
        let raw = try read(UInt64.self, "\(what) count")
        guard raw <= UInt64(remaining / max(minimumSize, 1)) else {
            throw error("\(what) count \(raw) at offset \(position - 8) cannot fit in the \(remaining) bytes left")
        }
        return Int(raw)
    }

    mutating func readString(_ what: @autoclosure () -> String) throws -> String {
        let length = try read(UInt64.self, "\(what()) length")
        guard length <= UInt64(remaining) else {
            throw error("\(what()) length \(length) at offset \(position - 8) runs past the end of the file (\(remaining) bytes left)")
        }
        let start = try skip(Int(length), reading: what())
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start ..< start + Int(length)]), as: UTF8.self)
    }

    mutating func readValueType(_ what: String) throws -> GGUFValueType {
        let code = try read(UInt32.self, "\(what) type")
        guard let type = GGUFValueType(rawValue: code) else {
            throw error("\(what) has unknown value type \(code) at offset \(position - 4)")
        }
        return type
    }

    mutating func readValue(_ type: GGUFValueType, key: String, depth: Int = 0) throws -> GGUFValue {
        switch type {
        case .uint8: return .uint8(try read(UInt8.self, key))
        case .int8: return .int8(try read(Int8.self, key))
        case .uint16: return .uint16(try read(UInt16.self, key))
        case .int16: return .int16(try read(Int16.self, key))
        case .uint32: return .uint32(try read(UInt32.self, key))
        case .int32: return .int32(try read(Int32.self, key))
        case .uint64: return .uint64(try read(UInt64.self, key))
        case .int64: return .int64(try read(Int64.self, key))
        case .float32: return .float32(Float(bitPattern: try read(UInt32.self, key)))
        case .float64: return .float64(Double(bitPattern: try read(UInt64.self, key)))
        case .bool:
            let raw = try read(UInt8.self, key)
            guard raw <= 1 else { throw error("\(key): bool value \(raw) at offset \(position - 1) is neither 0 nor 1") }
            return .bool(raw == 1)
        case .string: return .string(try readString(key))
        case .array:
            guard depth < Self.maximumArrayDepth else {
                throw error("\(key): arrays nested deeper than \(Self.maximumArrayDepth) levels")
            }
            let elementType = try readValueType("\(key) array element")
            let count = try readCount(minimumSize: elementType.minimumSize, "\(key) array")
            var elements: [GGUFValue] = []
            elements.reserveCapacity(count)
            for _ in 0 ..< count {
                elements.append(try readValue(elementType, key: key, depth: depth + 1))
            }
            return .array(elements)
        }
    }
}
