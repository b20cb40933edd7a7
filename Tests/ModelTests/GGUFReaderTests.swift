import Foundation
import Model
import Testing

@Suite("GGUF reader: metadata and layout")
struct GGUFReaderTests {
    @Test func everyMetadataTypeRoundTrips() throws {
        let values: [(String, GGUFValue)] = [
            ("u8", .uint8(250)), ("i8", .int8(-120)), ("u16", .uint16(65000)), ("i16", .int16(-32000)),
            ("u32", .uint32(4_000_000_000)), ("i32", .int32(-2_000_000_000)),
            ("u64", .uint64(18_000_000_000_000_000_000)), ("i64", .int64(-9_000_000_000_000_000_000)),
            ("f32", .float32(3.25)), ("f64", .float64(-1e300)), ("yes", .bool(true)), ("no", .bool(false)),
            ("s", .string("héllo ✓ 🙂")), ("empty", .string("")),
            ("ints", .array([.int32(1), .int32(-2), .int32(3)])),
            ("strings", .array([.string("a"), .string(""), .string("ĠHello")])),
            ("nested", .array([.array([.uint8(1), .uint8(2)]), .array([.uint8(3)])])),
            ("floats", .array([.float64(0.5), .float64(-2)])),
        ]
        var writer = GGUFWriter()
        writer.metadata = values
        let file = try GGUFFile(path: try writer.write())
        #expect(file.version == 3)
        #expect(file.metadata.count == values.count)
        for (key, value) in values {
            #expect(file.metadata[key] == value, "\(key)")
        }
        #expect(throws: GGUFError.self) { try file.int("u64") }  // above Int.max
        #expect(try file.int("i64") == -9_000_000_000_000_000_000)
        #expect(try file.int("i16") == -32000)
        #expect(try file.int("u32") == 4_000_000_000)
        #expect(try file.float("f32") == 3.25)
        #expect(try file.string("s") == "héllo ✓ 🙂")
        #expect(try file.stringArray("strings") == ["a", "", "ĠHello"])
        #expect(try file.intArray("ints") == [1, -2, 3])
        #expect(try file.int("absent", default: 7) == 7)
        #expect(try file.float("absent", default: 0.5) == 0.5)
    }

    @Test func typedLookupsFailWithTheKeyAndFileInTheMessage() throws {
        var writer = GGUFWriter()
        writer.metadata = [("name", .string("x")), ("count", .uint32(3)), ("mixed", .array([.string("a")]))]
        let path = try writer.write()
        let file = try GGUFFile(path: path)
        for lookup in [{ _ = try file.int("name") }, { _ = try file.string("count") }, { _ = try file.string("absent") },
                       { _ = try file.intArray("mixed") }, { _ = try file.float("count") }] {
            let error = try #require(throws: GGUFError.self, performing: lookup)
            #expect(error.description.hasPrefix(path + ": "))
        }
    }

    @Test func version2IsReadLikeVersion3() throws {
        var writer = GGUFWriter()
        writer.version = 2
        writer.metadata = [("general.name", .string("v2"))]
        let file = try GGUFFile(path: try writer.write())
        #expect(file.version == 2)
        #expect(try file.string("general.name") == "v2")
    }

    @Test(arguments: [1, 8, 32, 64, 256])
    func dataSectionFollowsTheDeclaredAlignment(alignment: Int) throws {
        var writer = GGUFWriter()
        writer.alignment = alignment
        writer.metadata = [("general.alignment", .uint32(UInt32(alignment)))]
        let first: [Float] = [1, 2, 3], second: [Float] = [-4, 5]
        writer.tensors = [
            .init("a", .f32, dims: [3], data: first.flatMap { littleEndianBytes($0.bitPattern) }),
            .init("b", .f32, dims: [2], data: second.flatMap { littleEndianBytes($0.bitPattern) }),
        ]
        let file = try GGUFFile(path: try writer.write())
        #expect(file.alignment == alignment)
        #expect(file.dataOffset % alignment == 0)
        #expect(file.tensorNames == ["a", "b"])
        #expect(try file.dequantize("a").storage == first)
        #expect(try file.dequantize("b").storage == second)
    }

    @Test func alignmentDefaultsTo32() throws {
        var writer = GGUFWriter()
        writer.metadata = [("k", .uint8(1))]
        writer.tensors = [.init("t", .f32, dims: [1], data: littleEndianBytes(Float(2).bitPattern))]
        let file = try GGUFFile(path: try writer.write())
        #expect(file.alignment == 32)
        #expect(file.dataOffset == 96)  // header 24 + key/value 14 + tensor info 33 = 71, padded to 32
    }
}
