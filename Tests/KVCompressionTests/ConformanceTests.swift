import CompressorRegistry
import KVCompression
import LinearAlgebra
import Testing

/// Every registered compressor, under its default configuration: the contract of `KVCompressor`.
/// A new folder under `Plugins/` is tested here the moment it builds.
@Suite struct ConformanceTests {
    static let ids = Registry.all.map { $0.id }
    let data = structuredData(rows: 200, cols: 64, seed: 42)

    func type(_ id: String) throws -> any KVCompressor.Type { try #require(Registry.compressor(id: id)) }

    @Test(arguments: ids)
    func metadataIsUsable(id: String) throws {
        let type = try type(id)
        #expect(!type.summary.isEmpty && !type.summary.contains("\n"))
        #expect(Set(type.options.map(\.key)).count == type.options.count)
        // The registry's own check accepts every default the compressor advertises.
        let defaults = Dictionary(uniqueKeysWithValues: type.options.compactMap { o in o.defaultValue.map { (o.key, $0) } })
        _ = try Registry.resolve(CompressorConfiguration(id: id, options: defaults))
    }

    @Test(arguments: ids)
    func shapesAcrossSeveralAppends(id: String) throws {
        let (instance, _, _) = try make(try type(id), id)
        let empty = try instance.reconstruct()
        #expect(empty.vectors.rows == 0 && empty.vectors.cols == 64 && empty.positions.isEmpty)
        try append(data, to: instance, blocks: [100, 1, 0, 37, 62])
        let block = try instance.reconstruct()
        #expect(block.vectors.cols == 64)
        #expect(block.vectors.rows == block.positions.count && block.positions.count <= 200)
        #expect(zip(block.positions, block.positions.dropFirst()).allSatisfy { $0 < $1 })
        #expect(block.positions.allSatisfy { (0 ..< 200).contains($0) })
        #expect(block.vectors.storage.allSatisfy { $0.isFinite })
    }

    @Test(arguments: ids)
    func encodeDecodeReproducesBitForBit(id: String) throws {
        let (instance, configuration, shared) = try make(try type(id), id)
        let type = try type(id)
        // Empty, one token, then several appends of uneven sizes.
        for blocks in [[], [1], [70, 3, 64, 62]] {
            let start = try instance.reconstruct().positions.last.map { $0 + 1 } ?? 0
            try append(rows(data, start ..< 200), to: instance, blocks: blocks, start: start)
            let bytes = try instance.encode()
            let decoded = try type.init(decoding: bytes, configuration: configuration, geometry: keysHead, shared: shared)
            #expect(bitwiseEqual(try decoded.reconstruct(), try instance.reconstruct()))
            #expect(try decoded.encode() == bytes)
        }
    }

    @Test(arguments: ids)
    func sameInputSameBytes(id: String) throws {
        let a = try make(try type(id), id).instance, b = try make(try type(id), id).instance
        try append(data, to: a, blocks: [120, 1, 79])
        try append(data, to: b, blocks: [120, 1, 79])
        #expect(try a.encode() == b.encode())
        #expect(bitwiseEqual(try a.reconstruct(), try b.reconstruct()))
    }

    @Test(arguments: ids)
    func bytesAccounting(id: String) throws {
        // An empty sequence costs only a header; every appended token adds bytes (none of the
        // shipped strategies evicts); the encoding is what `encode()` returns, nothing hidden.
        let (instance, _, _) = try make(try type(id), id)
        let empty = try instance.encode().count
        #expect(empty <= 64)
        try append(data, to: instance, blocks: [100])
        let hundred = try instance.encode().count
        try append(rows(data, 100 ..< 200), to: instance, blocks: [100], start: 100)
        let twoHundred = try instance.encode().count
        if try instance.reconstruct().positions.count == 200 {
            #expect(empty < hundred && hundred < twoHundred)
        }
    }

    @Test(arguments: ids)
    func oneTokenAtATime(id: String) throws {
        let (instance, _, _) = try make(try type(id), id)
        try append(data, to: instance, blocks: Array(repeating: 1, count: 80))
        let block = try instance.reconstruct()
        #expect(block.vectors.rows == block.positions.count && block.vectors.storage.allSatisfy { $0.isFinite })
    }

    @Test(arguments: ids)
    func extremeButFiniteValues(id: String) throws {
        // Zeros, subnormals, tiny and large magnitudes (within fp16 range) must not trap or
        // produce NaN/Inf.
        let (instance, _, _) = try make(try type(id), id)
        let rowsOfValues: [[Float]] = [[Float](repeating: 0, count: 64), [Float](repeating: 1e-38, count: 64),
                                       (0 ..< 64).map { $0 % 2 == 0 ? .leastNonzeroMagnitude : -1e-30 },
                                       (0 ..< 64).map { Float($0 - 32) * 1000 }]
        for (t, values) in rowsOfValues.enumerated() {
            try instance.append(Matrix(rows: 1, cols: 64, storage: values), positions: [t])
        }
        #expect(try instance.reconstruct().vectors.storage.allSatisfy { $0.isFinite })
    }

    @Test(arguments: ids)
    func malformedBytesThrow(id: String) throws {
        let type = try type(id)
        let (instance, configuration, shared) = try make(type, id)
        try append(data, to: instance, blocks: [90, 7])
        let bytes = try instance.encode()
        func decode(_ b: [UInt8]) throws { _ = try type.init(decoding: b, configuration: configuration, geometry: keysHead, shared: shared) }
        for cut in Set([0, 1, 2, 5, bytes.count / 2, bytes.count - 1]) where cut < bytes.count {
            #expect(throws: (any Error).self, "truncated to \(cut) bytes") { try decode(Array(bytes.prefix(cut))) }
        }
        #expect(throws: (any Error).self, "trailing byte") { try decode(bytes + [0]) }
        #expect(throws: (any Error).self, "huge count") { try decode([UInt8](repeating: 0xFF, count: 16)) }
        // Arbitrary corruption may decode or throw, but must not trap.
        var generator = SeededGenerator(seed: 9)
        for _ in 0 ..< 50 {
            var corrupt = bytes
            corrupt[Int(generator.next() % UInt64(min(corrupt.count, 24)))] = UInt8(truncatingIfNeeded: generator.next())
            _ = try? decode(corrupt)
        }
    }

    @Test(arguments: ids)
    func badAppendsThrow(id: String) throws {
        let (instance, _, _) = try make(try type(id), id)
        #expect(throws: (any Error).self) { try instance.append(Matrix(rows: 2, cols: 63), positions: [0, 1]) }
        #expect(throws: (any Error).self) { try instance.append(rows(data, 0 ..< 2), positions: [0]) }
        #expect(throws: (any Error).self) { try instance.append(rows(data, 0 ..< 2), positions: [1, 1]) }
        var bad = rows(data, 0 ..< 2)
        bad[1, 3] = .nan
        #expect(throws: (any Error).self) { try instance.append(bad, positions: [0, 1]) }
        try instance.append(rows(data, 0 ..< 2), positions: [0, 1])
        #expect(throws: (any Error).self) { try instance.append(rows(data, 2 ..< 3), positions: [1]) }
    }
}
