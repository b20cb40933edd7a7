import Foundation
import LinearAlgebra

/// Converts rows of ggml blocks to `Float`. Each row is `cols` elements (a multiple of the type's
/// block size) stored in `cols / blockSize * blockBytes` bytes; rows are independent, so large
/// tensors are split across cores.
enum Dequantization {
    /// Tensors smaller than this many elements are converted on the calling thread.
    private static let parallelThreshold = 1 << 16

    /// Writes `rows × cols` floats to `destination` from `source`. `type` must be dequantisable.
    static func run(
        _ type: GGMLType, source: UnsafeRawPointer, rows: Int, cols: Int,
        destination: UnsafeMutablePointer<Float>
    ) {
        let rowBytes = cols / type.blockSize * type.blockBytes
        let convert: (UnsafeRawPointer, UnsafeMutablePointer<Float>, Int) -> Void
        switch type {
        case .f32: convert = f32
        case .f16: convert = f16
        case .q4_0: convert = q4_0
        case .q4_1: convert = q4_1
        case .q8_0: convert = q8_0
        default: preconditionFailure("\(type.name) is not dequantisable; callers check isDequantizable")
        }
        let total = rows * cols
        let chunks = total < parallelThreshold ? 1 : min(rows, 8 * ProcessInfo.processInfo.activeProcessorCount)
        let source = UncheckedSendable(source), destination = UncheckedSendable(destination)
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            let start = rows * chunk / chunks, end = rows * (chunk + 1) / chunks
            for row in start ..< end {
                convert(source.value + row * rowBytes, destination.value + row * cols, cols)
            }
        }
    }

    private static func half(_ p: UnsafeRawPointer, _ offset: Int) -> Float {
        Half.value(of: UInt16(littleEndian: p.loadUnaligned(fromByteOffset: offset, as: UInt16.self)))
    }

    private static func f32(_ src: UnsafeRawPointer, _ dst: UnsafeMutablePointer<Float>, _ count: Int) {
        UnsafeMutableRawPointer(dst).copyMemory(from: src, byteCount: count * 4)
    }

    private static func f16(_ src: UnsafeRawPointer, _ dst: UnsafeMutablePointer<Float>, _ count: Int) {
        for i in 0 ..< count { dst[i] = half(src, 2 * i) }
    }

    /// Q4_0 block (18 bytes): f16 scale `d`, 16 bytes of nibbles; element `j` is the low nibble
    /// of byte `j`, element `j + 16` its high nibble; value = (q − 8)·d.
    private static func q4_0(_ src: UnsafeRawPointer, _ dst: UnsafeMutablePointer<Float>, _ count: Int) {
        for block in 0 ..< count / 32 {
            let p = src + block * 18, out = dst + block * 32
            let d = half(p, 0)
            let q = (p + 2).assumingMemoryBound(to: UInt8.self)
            for j in 0 ..< 16 {
                out[j] = Float(Int32(q[j] & 0x0F) - 8) * d
                out[j + 16] = Float(Int32(q[j] >> 4) - 8) * d
            }
        }
    }

    /// Q4_1 block (20 bytes): f16 scale `d`, f16 minimum `m`, 16 bytes of nibbles laid out as in
    /// Q4_0; value = q·d + m.
    private static func q4_1(_ src: UnsafeRawPointer, _ dst: UnsafeMutablePointer<Float>, _ count: Int) {
        for block in 0 ..< count / 32 {
            let p = src + block * 20, out = dst + block * 32
            let d = half(p, 0), m = half(p, 2)
            let q = (p + 4).assumingMemoryBound(to: UInt8.self)
            for j in 0 ..< 16 {
                out[j] = Float(q[j] & 0x0F) * d + m
                out[j + 16] = Float(q[j] >> 4) * d + m
            }
        }
    }

    /// Q8_0 block (34 bytes): f16 scale `d`, 32 signed bytes; value = q·d.
    private static func q8_0(_ src: UnsafeRawPointer, _ dst: UnsafeMutablePointer<Float>, _ count: Int) {
        for block in 0 ..< count / 32 {
            let p = src + block * 34, out = dst + block * 32
            let d = half(p, 0)
            let q = (p + 2).assumingMemoryBound(to: Int8.self)
            for j in 0 ..< 32 { out[j] = Float(q[j]) * d }
        }
    }
}

/// Carries a pointer into a concurrent loop whose iterations touch disjoint memory.
private struct UncheckedSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
