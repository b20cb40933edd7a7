import CompressorRegistry
import KVCompression
import LinearAlgebra
import Testing

/// The helpers plugins build on: byte encoding, rank rules, configuration errors.
@Suite struct APITests {
    @Test func positionsRoundTripBothForms() throws {
        for positions in [[], [7], Array(100 ..< 164), [0, 1, 5, 200, 201, 70_000, 70_001]] {
            var writer = ByteWriter()
            writer.positions(positions)
            // Consecutive positions cost 5 bytes whatever their number.
            if positions.isEmpty || positions.last! - positions.first! == positions.count - 1 { #expect(writer.bytes.count == 5) }
            var reader = ByteReader(writer.bytes, context: "test")
            #expect(try reader.positions(positions.count) == positions)
            try reader.finish()
        }
    }

    /// An option's default is read from the option itself, so what `kvbench list` shows is what runs.
    @Test func optionValuesFallBackToTheirDocumentedDefault() throws {
        let buffer = CompressorOption("buffer", default: "64", "tokens")
        let share = CompressorOption("share", default: "0.5", "fraction")
        let required = CompressorOption("rank", default: nil, "components")
        #expect(try CompressorConfiguration(parsing: "x").int(buffer) == 64)
        #expect(try CompressorConfiguration(parsing: "x:buffer=8").int(buffer) == 8)
        #expect(try CompressorConfiguration(parsing: "x").double(share) == 0.5)
        #expect(try CompressorConfiguration(parsing: "x:share=0.25").double(share) == 0.25)
        #expect(throws: ConfigurationError.self) { try CompressorConfiguration(parsing: "x").int(required) }
        #expect(throws: ConfigurationError.self) { try CompressorConfiguration(parsing: "x:buffer=many").int(buffer) }
        // The rank rule's default ratio is the one its option advertises.
        let advertised = try #require(RankRule.options.first { $0.key == "ratio" }?.defaultValue.flatMap(Double.init))
        #expect(try RankRule(CompressorConfiguration(parsing: "x"), headDim: 64) == .ratio(advertised))
    }

    @Test func gappedPositionsSurviveACompressorRoundTrip() throws {
        let type = try #require(Registry.compressor(id: "identity"))
        let instance = try type.init(configuration: CompressorConfiguration(id: "identity"), geometry: keysHead, shared: SharedState())
        try instance.append(rows(structuredData(rows: 3, cols: 64, seed: 1), 0 ..< 3), positions: [2, 9, 4000])
        let decoded = try type.init(decoding: try instance.encode(), configuration: CompressorConfiguration(id: "identity"),
                                    geometry: keysHead, shared: SharedState())
        #expect(try decoded.reconstruct().positions == [2, 9, 4000])
    }

    @Test func readerRejectsWhatItCannotHold() throws {
        var writer = ByteWriter()
        writer.uint32(1_000_000)
        var reader = ByteReader(writer.bytes + [0, 0], context: "test")
        #expect(throws: EncodingError.self) { try reader.count(bytesPerToken: 128) }
        var short = ByteReader([1, 2, 3], context: "test")
        #expect(throws: EncodingError.self) { try short.uint32() }
        var gaps = ByteReader([1, 0x80, 0x80], context: "test")
        #expect(throws: EncodingError.self) { try gaps.positions(1) }
        var zeroGap = ByteReader([1, 1, 0], context: "test")
        #expect(throws: EncodingError.self) { try zeroGap.positions(2) }
    }

    @Test func largestRankIsTheLastThatFits() {
        // bytes(r) = 10 + 3r against a budget of 100 / 2 = 50 → r = 13 (49 bytes), 14 needs 52.
        #expect(RankRule.largestRank(meeting: 2, fp16Bytes: 100, maxRank: 64) { 10 + 3 * $0 } == 13)
        #expect(RankRule.largestRank(meeting: 100, fp16Bytes: 100, maxRank: 64) { 10 + 3 * $0 } == 1)
        #expect(RankRule.rank(holding: 0.9, of: [3, 1, 1], maxRank: 8) == 2)   // 9/11 < 0.9 ≤ 10/11
        #expect(RankRule.rank(holding: 0.5, of: [0, 0], maxRank: 8) == 1)
        #expect(RankRule.rank(holding: 1, of: [4, 3, 2, 1], maxRank: 2) == 2)
    }

    @Test(arguments: [
        "online-svd:rank=0", "online-svd:rank=65", "online-svd:ratio=0.5", "online-svd:rank=4,ratio=2",
        "online-svd:energy=1.5", "online-svd:energy=0.9,rank=3", "online-svd:buffer=0", "online-svd:max-rank=0,energy=0.9",
        "online-svd:rank=x", "static-pca:energy=0.9", "random-projection:seed=-1", "q4_0:rank=2",
    ])
    func badConfigurationsThrowOneLine(spec: String) throws {
        let configuration = try CompressorConfiguration(parsing: spec)
        let error = #expect(throws: (any Error).self) {
            let type = try Registry.resolve(configuration)
            _ = try make(type, spec)
        }
        #expect(error.map { !String(describing: $0).contains("\n") } ?? false)
    }

    @Test func randomProjectionSeedsDifferAndBasesAreOrthonormal() throws {
        let type = try #require(Registry.compressor(id: "random-projection"))
        func basis(_ spec: String) throws -> Basis {
            try make(type, spec).shared.basis(for: keysHead, context: "test")
        }
        let a = try basis("random-projection:rank=8,seed=1"), b = try basis("random-projection:rank=8,seed=2")
        #expect(a == (try basis("random-projection:rank=8,seed=1")))
        #expect(a.directions != b.directions)
        for i in 0 ..< 8 {
            for k in 0 ..< 8 {
                let dot = (0 ..< 64).reduce(Float(0)) { $0 + a.directions[i, $1] * a.directions[k, $1] }
                #expect(abs(dot - (i == k ? 1 : 0)) < 1e-5)
            }
        }
    }
}
