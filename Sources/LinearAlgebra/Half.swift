/// IEEE 754 half precision (fp16) conversions. fp16 is the storage type of llama.cpp's default
/// KV cache and of most compressed representations here; values are rounded to nearest-even,
/// and the byte form is little-endian, 2 bytes per value.
public enum Half {
    /// Bytes per fp16 value.
    public static let byteCount = 2

    /// `values` converted to `Float16` (round to nearest; beyond ±65504 becomes ±∞).
    public static func halves(_ values: [Float]) -> [Float16] {
        values.map { Float16($0) }
    }

    /// `halves` widened back to `Float` (exact).
    public static func floats(_ halves: [Float16]) -> [Float] {
        halves.map { Float($0) }
    }

    /// Each value rounded to the nearest fp16 and widened back: what a reader of the fp16 bytes
    /// gets, so a compressor can reconstruct from exactly what it stores.
    public static func rounded(_ values: [Float]) -> [Float] {
        values.map { Float(Float16($0)) }
    }

    /// Appends `values` to `bytes` as little-endian fp16 (`2 · values.count` bytes).
    public static func append(_ values: [Float], to bytes: inout [UInt8]) {
        bytes.reserveCapacity(bytes.count + byteCount * values.count)
        for value in values {
            let bits = Float16(value).bitPattern
            bytes.append(UInt8(truncatingIfNeeded: bits))
            bytes.append(UInt8(truncatingIfNeeded: bits >> 8))
        }
    }

    /// `count` little-endian fp16 values read from `bytes` starting at byte `offset`, as Float;
    /// `nil` when fewer than `2 · count` bytes remain.
    public static func read(_ count: Int, from bytes: UnsafeRawBufferPointer, at offset: Int) -> [Float]? {
        guard count >= 0, offset >= 0, offset <= bytes.count, (bytes.count - offset) / byteCount >= count else { return nil }
        return [Float](unsafeUninitializedCapacity: count) { out, initialized in
            for i in 0 ..< count {
                let lo = UInt16(bytes[offset + 2 * i]), hi = UInt16(bytes[offset + 2 * i + 1])
                out[i] = Float(Float16(bitPattern: lo | hi << 8))
            }
            initialized = count
        }
    }

    /// `count` little-endian fp16 values from `bytes` at `offset`; `nil` when too short.
    public static func read(_ count: Int, from bytes: [UInt8], at offset: Int) -> [Float]? {
        bytes.withUnsafeBytes { read(count, from: $0, at: offset) }
    }
}
