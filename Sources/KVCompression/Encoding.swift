import LinearAlgebra

/// Bytes that cannot be decoded (truncated, corrupt, or written for another configuration or
/// head); the message is one line for the user. `init(decoding:…)` throws it instead of crashing.
public struct EncodingError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Builds a compressor's encoding: little-endian integers, fp16 arrays and a compact
/// position list, appended in order. Pair it with `ByteReader`, reading the same fields back in
/// the same order.
public struct ByteWriter: Sendable {
    /// The bytes written so far.
    public private(set) var bytes: [UInt8] = []

    public init() {}

    public mutating func uint8(_ value: UInt8) { bytes.append(value) }

    public mutating func uint16(_ value: UInt16) {
        bytes.append(UInt8(truncatingIfNeeded: value))
        bytes.append(UInt8(truncatingIfNeeded: value >> 8))
    }

    public mutating func uint32(_ value: UInt32) {
        for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }

    /// `values` as fp16, 2 bytes each (see `Half`).
    public mutating func halves(_ values: [Float]) { Half.append(values, to: &bytes) }

    /// Bytes as they are (codes a compressor packed itself).
    public mutating func raw(_ values: [UInt8]) { bytes += values }

    /// Ascending token positions: 5 bytes when they are consecutive (the usual case: a flag and
    /// the first position), otherwise a flag and one LEB128 varint gap per position. The count
    /// is not written; the reader must know it.
    public mutating func positions(_ positions: [Int]) {
        let consecutive = positions.isEmpty || positions.last! - positions.first! == positions.count - 1
        if consecutive {
            uint8(0)
            uint32(UInt32(truncatingIfNeeded: positions.first ?? 0))
        } else {
            uint8(1)
            var previous = -1
            for position in positions {
                var gap = UInt(truncatingIfNeeded: position - previous)
                previous = position
                while gap >= 0x80 {
                    bytes.append(UInt8(truncatingIfNeeded: gap) | 0x80)
                    gap >>= 7
                }
                bytes.append(UInt8(gap))
            }
        }
    }
}

/// Reads what a `ByteWriter` wrote, throwing `EncodingError` on truncated or inconsistent
/// bytes — never trapping, and never allocating more than the bytes can hold.
public struct ByteReader: Sendable {
    private let bytes: [UInt8]
    private var offset = 0
    /// Names the format in error messages, e.g. the compressor id.
    private let context: String

    public init(_ bytes: [UInt8], context: String) {
        self.bytes = bytes
        self.context = context
    }

    /// Bytes not read yet.
    public var remaining: Int { bytes.count - offset }

    /// Consumes `count` items of `size` bytes and returns where they start.
    private mutating func take(_ count: Int, of size: Int = 1, _ what: String) throws -> Int {
        guard count >= 0, count <= remaining / size else {
            throw EncodingError("\(context): truncated encoding: \(what) (\(count) × \(size) bytes) at offset \(offset), \(remaining) bytes left")
        }
        defer { offset += count * size }
        return offset
    }

    public mutating func uint8(_ what: String = "a byte") throws -> UInt8 {
        bytes[try take(1, what)]
    }

    public mutating func uint16(_ what: String = "a 16-bit field") throws -> UInt16 {
        let at = try take(2, what)
        return UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8
    }

    public mutating func uint32(_ what: String = "a 32-bit field") throws -> UInt32 {
        let at = try take(4, what)
        return (0 ..< 4).reduce(UInt32(0)) { $0 | UInt32(bytes[at + $1]) << UInt32(8 * $1) }
    }

    /// `count` fp16 values as Float.
    public mutating func halves(_ count: Int, _ what: String = "fp16 values") throws -> [Float] {
        let at = try take(count, of: Half.byteCount, what)
        return Half.read(count, from: bytes, at: at)!
    }

    /// `count` bytes as they are.
    public mutating func raw(_ count: Int, _ what: String = "packed codes") throws -> [UInt8] {
        let at = try take(count, what)
        return Array(bytes[at ..< at + count])
    }

    /// `count` ascending positions as written by `ByteWriter.positions`. Read the fields that
    /// bound `count` by the bytes present first, so a corrupt count cannot allocate a huge list.
    public mutating func positions(_ count: Int) throws -> [Int] {
        switch try uint8("the position flag") {
        case 0:
            let first = Int(try uint32("the first position"))
            return Array(first ..< first + count)
        case 1:
            guard count <= remaining else {
                throw EncodingError("\(context): truncated encoding: \(count) position gaps need at least \(count) bytes, \(remaining) left")
            }
            var result: [Int] = []
            result.reserveCapacity(count)
            var previous = -1
            for _ in 0 ..< count {
                var gap = 0, shift = 0
                while true {
                    let byte = try uint8("a position gap")
                    guard shift < 35 else { throw EncodingError("\(context): corrupt position gap at offset \(offset)") }
                    gap |= Int(byte & 0x7F) << shift
                    shift += 7
                    if byte < 0x80 { break }
                }
                guard gap > 0 else { throw EncodingError("\(context): positions are not ascending") }
                previous += gap
                result.append(previous)
            }
            return result
        case let flag:
            throw EncodingError("\(context): unknown position flag \(flag)")
        }
    }

    /// A token count, checked against the bytes left given that each token needs at least
    /// `bytesPerToken` more bytes (so a corrupt count fails here rather than allocating).
    public mutating func count(bytesPerToken: Int, _ what: String = "the token count") throws -> Int {
        let n = Int(try uint32(what))
        guard n == 0 || bytesPerToken <= 0 || n <= remaining / bytesPerToken else {
            throw EncodingError("\(context): \(what) \(n) needs \(n * bytesPerToken) bytes, \(remaining) left")
        }
        return n
    }

    /// Checks that a header field read back matches what this instance expects.
    public func expect<T: Equatable>(_ value: T, equals expected: T, _ what: String) throws {
        guard value == expected else {
            throw EncodingError("\(context): \(what) is \(value) in the encoding, expected \(expected)")
        }
    }

    /// Throws unless every byte has been read.
    public func finish() throws {
        guard remaining == 0 else { throw EncodingError("\(context): \(remaining) unexpected trailing bytes") }
    }
}
