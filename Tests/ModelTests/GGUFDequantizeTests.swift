import Foundation
import LinearAlgebra
import Model
import Testing

/// Each quantisation type is written from known integer codes and scales chosen to be exact in
/// fp16, so the expected floats follow from the format's definition without rounding.
@Suite("GGUF dequantisation of synthetic tensors")
struct GGUFDequantizeTests {
    private func half(_ value: Float) -> [UInt8] { littleEndianBytes(Float16(value).bitPattern) }

    /// Codes 0…15 for a block, varied per block so a wrong block order shows.
    private func nibbles(block: Int) -> [Int] { (0 ..< 32).map { ($0 * 7 + block * 3) % 16 } }

    /// Byte j holds element j in its low nibble and element j+16 in its high nibble.
    private func packed(_ q: [Int]) -> [UInt8] { (0 ..< 16).map { UInt8(q[$0] | q[$0 + 16] << 4) } }

    private func load(_ tensor: GGUFWriter.Tensor) throws -> Matrix {
        var writer = GGUFWriter()
        writer.tensors = [tensor]
        return try GGUFFile(path: try writer.write()).dequantize(tensor.name)
    }

    @Test func f32() throws {
        let values: [Float] = [0, -0.0, 1, -2.5, 1e-30, 3.4e38, .pi, -7]
        let m = try load(.init("w", .f32, dims: [4, 2], data: values.flatMap { littleEndianBytes($0.bitPattern) }))
        #expect((m.rows, m.cols) == (2, 4))
        #expect(m.storage.map(\.bitPattern) == values.map(\.bitPattern))
    }

    @Test func f16() throws {
        let values: [Float] = [1.5, -0.0009765625, 65504, 0x1p-24, -3, 0.333251953125]
        let m = try load(.init("w", .f16, dims: [3, 2], data: values.flatMap(half)))
        #expect((m.rows, m.cols) == (2, 3))
        #expect(m.storage == values)
        #expect(m[1, 1] == -3)
    }

    @Test func q4_0() throws {
        let scales: [Float] = [0.25, -1.5, 0.375, 2]  // 2 rows × 2 blocks
        var data: [UInt8] = [], expected: [Float] = []
        for (block, d) in scales.enumerated() {
            let q = nibbles(block: block)
            data += half(d) + packed(q)
            expected += q.map { Float($0 - 8) * d }
        }
        let m = try load(.init("w", .q4_0, dims: [64, 2], data: data))
        #expect((m.rows, m.cols) == (2, 64))
        #expect(m.storage == expected)
        #expect(m[0, 0] == -8 * 0.25 && m[0, 16] == Float(nibbles(block: 0)[16] - 8) * 0.25)
    }

    @Test func q4_1() throws {
        let params: [(d: Float, m: Float)] = [(0.5, -2.25), (0.125, 1), (-0.75, 0.5)]  // 3-D: [32, 1, 3]
        var data: [UInt8] = [], expected: [Float] = []
        for (block, p) in params.enumerated() {
            let q = nibbles(block: block)
            data += half(p.d) + half(p.m) + packed(q)
            expected += q.map { Float($0) * p.d + p.m }
        }
        let m = try load(.init("w", .q4_1, dims: [32, 1, 3], data: data))
        #expect((m.rows, m.cols) == (3, 32))
        #expect(m.storage == expected)
    }

    @Test func q8_0() throws {
        let scales: [Float] = [0.125, -0.5]
        var data: [UInt8] = [], expected: [Float] = []
        for (block, d) in scales.enumerated() {
            let q = (0 ..< 32).map { Int8(truncatingIfNeeded: $0 * 37 + block * 11 - 128) }
            data += half(d) + q.map { UInt8(bitPattern: $0) }
            expected += q.map { Float($0) * d }
        }
        let m = try load(.init("w", .q8_0, dims: [32, 2], data: data))
        #expect((m.rows, m.cols) == (2, 32))
        #expect(m.storage == expected)
        #expect(expected.contains(-128 * 0.125))
    }

    /// Large enough to take the multi-threaded path: every row must still land in its place.
    @Test func largeTensorsAreSplitAcrossThreadsWithoutMixingRows() throws {
        let rows = 700, cols = 128
        var data: [UInt8] = []
        for row in 0 ..< rows {
            for block in 0 ..< cols / 32 {
                data += half(Float(row % 64) * 0.25) + packed([Int](repeating: block + 1, count: 32))
            }
        }
        let m = try load(.init("w", .q4_0, dims: [UInt64(cols), UInt64(rows)], data: data))
        for row in [0, 1, 63, 64, 350, 699] {
            for c in [0, 31, 32, 127] {
                #expect(m[row, c] == Float(c / 32 + 1 - 8) * Float(row % 64) * 0.25)
            }
        }
    }

    @Test func intoBufferMatchesTheMatrixAndChecksItsSize() throws {
        var writer = GGUFWriter()
        let values: [Float] = [1, 2, 3, 4]
        writer.tensors = [.init("w", .f32, dims: [2, 2], data: values.flatMap { littleEndianBytes($0.bitPattern) })]
        let file = try GGUFFile(path: try writer.write())
        var out = [Float](repeating: .nan, count: 4)
        try out.withUnsafeMutableBufferPointer { try file.dequantize("w", into: $0) }
        #expect(out == values)
        var short = [Float](repeating: 0, count: 3)
        #expect(throws: GGUFError.self) { try short.withUnsafeMutableBufferPointer { try file.dequantize("w", into: $0) } }
    }

    @Test func knownButUnsupportedTypesAndMissingTensorsThrow() throws {
        var writer = GGUFWriter()
        writer.tensors = [.init("k", .q4_K, dims: [256], data: [UInt8](repeating: 0, count: 144))]
        let path = try writer.write()
        let file = try GGUFFile(path: path)
        #expect(file.tensors["k"]?.byteCount == 144)
        let error = try #require(throws: GGUFError.self) { try file.dequantize("k") }
        #expect(error.description.contains("Q4_K") && error.description.hasPrefix(path))
        #expect(throws: GGUFError.self) { try file.dequantize("absent") }
    }
}
