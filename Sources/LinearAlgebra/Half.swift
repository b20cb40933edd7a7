/// IEEE 754 half precision (fp16) conversions. fp16 is the storage type of llama.cpp's default
/// KV cache and of most compressed representations here; values are rounded to nearest-even,
/// and the byte form is little-endian, 2 bytes per value.
///
/// The conversions work on bit patterns instead of going through `Float16`, which on x86-64
/// without F16C is a library call per value (≈ 15 ns, against ≈ 1 ns here); results are
/// identical to `Float(Float16(x))` for every non-NaN input (NaN stays NaN).
public enum Half {
    /// Bytes per fp16 value.
    public static let byteCount = 2

    /// `values` converted to `Float16` (round to nearest; beyond ±65504 becomes ±∞).
    public static func halves(_ values: [Float]) -> [Float16] {
        values.map { Float16(bitPattern: bits(of: $0)) }
    }

    /// `halves` widened back to `Float` (exact).
    public static func floats(_ halves: [Float16]) -> [Float] {
        halves.map { value(of: $0.bitPattern) }
    }

    /// Each value rounded to the nearest fp16 and widened back: what a reader of the fp16 bytes
    /// gets, so a compressor can reconstruct from exactly what it stores.
    public static func rounded(_ values: [Float]) -> [Float] {
        [Float](unsafeUninitializedCapacity: values.count) { out, initialized in
            values.withUnsafeBufferPointer { input in
                for i in 0 ..< input.count { out[i] = rounded(input[i]) }
            }
            initialized = values.count
        }
    }

    /// `x` rounded to the nearest fp16 value (ties to even), as a Float.
    @inlinable
    public static func rounded(_ x: Float) -> Float {
        let bits = x.bitPattern, sign = bits & 0x8000_0000, magnitude = bits & 0x7FFF_FFFF
        if magnitude >= 0x7F80_0000 { return x }                                   // ±∞, NaN
        if magnitude >= 0x477F_F000 { return Float(bitPattern: sign | 0x7F80_0000) } // ≥ 65520 → ±∞
        if magnitude < 0x3880_0000 {                                               // < 2⁻¹⁴: fp16 subnormal, step 2⁻²⁴
            let steps = (Float(bitPattern: magnitude) * 0x1p24).rounded(.toNearestOrEven)
            return Float(bitPattern: sign | (steps * 0x1p-24).bitPattern)
        }
        // Normal: keep 10 of the 23 mantissa bits, rounding to nearest even (a carry into the
        // exponent is the correct result).
        let lsb = (magnitude >> 13) & 1
        return Float(bitPattern: sign | ((magnitude &+ 0x0FFF &+ lsb) & ~0x1FFF))
    }

    /// The fp16 bit pattern nearest to `x`.
    @inlinable
    public static func bits(of x: Float) -> UInt16 {
        let r = rounded(x)
        let bits = r.bitPattern, sign = UInt16(truncatingIfNeeded: bits >> 16) & 0x8000
        let magnitude = bits & 0x7FFF_FFFF
        if magnitude >= 0x7F80_0000 { return sign | (magnitude > 0x7F80_0000 ? 0x7E00 : 0x7C00) }
        if magnitude < 0x3880_0000 { return sign | UInt16(Float(bitPattern: magnitude) * 0x1p24) }
        return sign | UInt16(truncatingIfNeeded: ((magnitude >> 23) - 112) << 10 | (magnitude >> 13) & 0x3FF)
    }

    /// The Float value of fp16 bit pattern `h` (exact).
    @inlinable
    public static func value(of h: UInt16) -> Float {
        let sign = UInt32(h & 0x8000) << 16, exponent = UInt32(h >> 10) & 0x1F, mantissa = UInt32(h & 0x3FF)
        if exponent == 0 { return Float(bitPattern: sign | (Float(mantissa) * 0x1p-24).bitPattern) }
        if exponent == 31 { return Float(bitPattern: sign | 0x7F80_0000 | mantissa << 13) }
        return Float(bitPattern: sign | (exponent + 112) << 23 | mantissa << 13)
    }

    /// Appends one value to `bytes` as little-endian fp16 (2 bytes), without building an array.
    public static func append(_ value: Float, to bytes: inout [UInt8]) {
        let h = bits(of: value)
        bytes.append(UInt8(truncatingIfNeeded: h))
        bytes.append(UInt8(truncatingIfNeeded: h >> 8))
    }

    /// Appends `values` to `bytes` as little-endian fp16 (`2 · values.count` bytes).
    public static func append(_ values: [Float], to bytes: inout [UInt8]) {
        let start = bytes.count
        bytes.append(contentsOf: repeatElement(0, count: byteCount * values.count))
        bytes.withUnsafeMutableBufferPointer { out in
            values.withUnsafeBufferPointer { input in
                for i in 0 ..< input.count {
                    let h = bits(of: input[i])
                    out[start + 2 * i] = UInt8(truncatingIfNeeded: h)
                    out[start + 2 * i + 1] = UInt8(truncatingIfNeeded: h >> 8)
                }
            }
        }
    }

    /// `count` little-endian fp16 values read from `bytes` starting at byte `offset`, as Float;
    /// `nil` when fewer than `2 · count` bytes remain.
    public static func read(_ count: Int, from bytes: UnsafeRawBufferPointer, at offset: Int) -> [Float]? {
        guard count >= 0, offset >= 0, offset <= bytes.count, (bytes.count - offset) / byteCount >= count else { return nil }
        return [Float](unsafeUninitializedCapacity: count) { out, initialized in
            for i in 0 ..< count {
                out[i] = value(of: UInt16(bytes[offset + 2 * i]) | UInt16(bytes[offset + 2 * i + 1]) << 8)
            }
            initialized = count
        }
    }

    /// `count` little-endian fp16 values from `bytes` at `offset`; `nil` when too short.
    public static func read(_ count: Int, from bytes: [UInt8], at offset: Int) -> [Float]? {
        bytes.withUnsafeBytes { read(count, from: $0, at: offset) }
    }
}
