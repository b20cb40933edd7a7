import Foundation
import Model
import Testing

/// Corrupt and malicious files must fail with one `GGUFError` line naming the file, never a
/// crash, a hang or a huge allocation.
@Suite("GGUF reader: hostile input")
struct GGUFHostileTests {
    /// Writes `bytes`, opens them, and checks the error names the file and contains `expected`.
    private func expectRejected(_ bytes: [UInt8], _ expected: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let path = try TemporaryFile.write(bytes)
        let error = try #require(throws: GGUFError.self, sourceLocation: sourceLocation) { try GGUFFile(path: path) }
        #expect(error.description.hasPrefix(path + ": "), sourceLocation: sourceLocation)
        #expect(!error.description.contains("\n"), sourceLocation: sourceLocation)
        #expect(error.reason.contains(expected), "\(error)", sourceLocation: sourceLocation)
    }

    private func rejected(_ writer: GGUFWriter, _ expected: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        try expectRejected(writer.bytes(), expected, sourceLocation: sourceLocation)
    }

    /// Magic, version 3, then the two counts, as raw bytes for hand-built corruptions.
    private func header(tensors: UInt64, keys: UInt64) -> [UInt8] {
        Array("GGUF".utf8) + littleEndianBytes(UInt32(3)) + littleEndianBytes(tensors) + littleEndianBytes(keys)
    }

    private func string(_ s: String) -> [UInt8] { littleEndianBytes(UInt64(s.utf8.count)) + Array(s.utf8) }

    /// A small valid file with metadata of several types and tensors of three types.
    private var validFile: GGUFWriter {
        var writer = GGUFWriter()
        writer.metadata = [
            ("general.architecture", .string("llama")), ("llama.block_count", .uint32(1)),
            ("tokenizer.ggml.tokens", .array([.string("a"), .string("bc")])),
            ("scores", .array([.float32(0.5), .float32(-1)])),
        ]
        writer.tensors = [
            .init("norm", .f32, dims: [4], data: [Float](repeating: 1, count: 4).flatMap { littleEndianBytes($0.bitPattern) }),
            .init("q8", .q8_0, dims: [32], data: littleEndianBytes(Float16(0.5).bitPattern) + [UInt8](repeating: 3, count: 32)),
            .init("q41", .q4_1, dims: [32, 2], data: [UInt8](repeating: 0x21, count: 40)),
        ]
        return writer
    }

    @Test func theValidFileLoads() throws {
        let file = try GGUFFile(path: try validFile.write())
        #expect(file.tensors.count == 3 && file.metadata.count == 4)
        #expect(try file.dequantize("q8").storage == [Float](repeating: 1.5, count: 32))
    }

    @Test func truncationAtEveryOffsetThrows() throws {
        let bytes = validFile.bytes()
        for cut in 0 ..< bytes.count {
            let path = try TemporaryFile.write(Array(bytes[..<cut]))
            #expect(throws: GGUFError.self, "cut at \(cut) of \(bytes.count)") { try GGUFFile(path: path) }
            try? FileManager.default.removeItem(atPath: path)
        }
    }

    @Test func wrongMagic() throws {
        var writer = validFile
        writer.magic = Array("GGML".utf8)
        try rejected(writer, "not a GGUF file")
        try expectRejected(Array("<html>".utf8), "not a GGUF file")
    }

    @Test(arguments: [UInt32(0), 1, 4, .max])
    func unsupportedVersion(version: UInt32) throws {
        var writer = validFile
        writer.version = version
        try rejected(writer, "unsupported GGUF version \(version)")
    }

    @Test func emptyMissingAndDirectoryPaths() throws {
        try expectRejected([], "empty")
        #expect(throws: GGUFError.self) { try GGUFFile(path: "/nonexistent/model.gguf") }
        #expect(throws: GGUFError.self) { try GGUFFile(path: FileManager.default.temporaryDirectory.path) }
    }

    @Test func tensorOffsetsPastTheEnd() throws {
        for offset: UInt64 in [128, 1 << 40, UInt64(Int64.max) - 31, .max - 31] {
            var writer = validFile
            writer.tensors[2].offset = offset
            try rejected(writer, offset > UInt64(Int.max) ? "too large" : "runs past the end")
        }
    }

    @Test func shapesPastTheEndOrOverflowing() throws {
        let cases: [([UInt64], String)] = [
            ([32, 3], "runs past the end"),  // one row more than stored
            ([32, 1 << 40], "runs past the end"),  // would be terabytes
            ([1 << 32, 1 << 32, 1 << 32], "too many elements"),  // product overflows Int
            ([32, 1 << 31, 1 << 31, 1 << 31], "too many"),
            ([UInt64.max], "too large"),
        ]
        for (dims, expected) in cases {
            var writer = validFile
            writer.tensors[2].dims = dims
            try rejected(writer, expected)
        }
        var writer = validFile
        writer.tensors[0].typeCode = GGMLType.f32.rawValue
        writer.tensors[0].dims = [1 << 61]  // elements fit in Int, bytes (×4) overflow
        try rejected(writer, "too many bytes")
    }

    @Test(arguments: [UInt32(0), 5])
    func dimensionCountOutOfRange(count: UInt32) throws {
        var writer = validFile
        writer.tensors[0].dims = [UInt64](repeating: 1, count: Int(count))
        try rejected(writer, "has \(count) dimensions")
    }

    @Test(arguments: [UInt32(4), 5, 31, 99, .max])
    func unknownTensorType(code: UInt32) throws {
        var writer = validFile
        writer.tensors[1].typeCode = code
        try rejected(writer, "unknown type \(code)")
    }

    @Test func rowLengthNotAMultipleOfTheBlock() throws {
        var writer = validFile
        writer.tensors[1].dims = [16, 2]
        try rejected(writer, "not a multiple of the Q8_0 block size 32")
    }

    @Test func misalignedData() throws {
        var writer = validFile
        writer.tensors[1].offset = 16 + 4  // inside the data section, but not on a 32-byte boundary
        try rejected(writer, "not a multiple of the alignment 32")
    }

    @Test func invalidAlignment() throws {
        for (value, expected) in [(GGUFValue.uint32(0), "not a power of two"), (.uint32(48), "not a power of two"),
                                  (.uint64(32), "expected uint32")] {
            var writer = validFile
            writer.metadata.append(("general.alignment", value))
            try rejected(writer, expected)
        }
    }

    @Test func stringLengthsPastTheEnd() throws {
        let huge = UInt64(1) << 62
        // a metadata key
        try expectRejected(header(tensors: 0, keys: 1) + littleEndianBytes(huge) + [UInt8](repeating: 65, count: 16), "runs past the end")
        // a string value
        try expectRejected(header(tensors: 0, keys: 1) + string("k") + littleEndianBytes(UInt32(8)) + littleEndianBytes(huge) + [1, 2, 3],
                           "runs past the end")
        // a tensor name
        try expectRejected(header(tensors: 1, keys: 0) + littleEndianBytes(UInt64.max) + [UInt8](repeating: 0, count: 40), "runs past the end")
    }

    @Test func arrayAndTableCountsPastTheEnd() throws {
        let huge = UInt64(1) << 62
        for elementType: UInt32 in [0, 8, 9, 12] {  // uint8, string, array, float64
            try expectRejected(header(tensors: 0, keys: 1) + string("k") + littleEndianBytes(UInt32(9)) + littleEndianBytes(elementType)
                + littleEndianBytes(huge) + [UInt8](repeating: 0, count: 64), "cannot fit")
        }
        // 1000 strings cannot fit in 100 bytes even when every string is empty
        try expectRejected(header(tensors: 0, keys: 1) + string("k") + littleEndianBytes(UInt32(9)) + littleEndianBytes(UInt32(8))
            + littleEndianBytes(UInt64(1000)) + [UInt8](repeating: 0, count: 100), "cannot fit")
        try expectRejected(header(tensors: huge, keys: 0) + [UInt8](repeating: 0, count: 64), "tensor count")
        try expectRejected(header(tensors: 0, keys: huge) + [UInt8](repeating: 0, count: 64), "metadata key count")
    }

    @Test func unknownValueTypesAndBadBooleans() throws {
        try expectRejected(header(tensors: 0, keys: 1) + string("k") + littleEndianBytes(UInt32(13)) + [0, 0, 0, 0], "unknown value type 13")
        try expectRejected(header(tensors: 0, keys: 1) + string("k") + littleEndianBytes(UInt32(9)) + littleEndianBytes(UInt32(99))
            + littleEndianBytes(UInt64(1)) + [0, 0, 0, 0], "unknown value type 99")
        try expectRejected(header(tensors: 0, keys: 1) + string("flag") + littleEndianBytes(UInt32(7)) + [2], "neither 0 nor 1")
    }

    @Test func deeplyNestedArrays() throws {
        var bytes = header(tensors: 0, keys: 1) + string("k") + littleEndianBytes(UInt32(9))
        for _ in 0 ..< 10_000 { bytes += littleEndianBytes(UInt32(9)) + littleEndianBytes(UInt64(1)) }
        try expectRejected(bytes + littleEndianBytes(UInt32(0)) + littleEndianBytes(UInt64(0)), "nested deeper")
    }

    @Test func duplicateKeysAndTensors() throws {
        var writer = validFile
        writer.metadata.append(("llama.block_count", .uint32(2)))
        try rejected(writer, "appears twice")
        writer = validFile
        writer.tensors[1].name = "norm"
        try rejected(writer, "appears twice")
    }
}
