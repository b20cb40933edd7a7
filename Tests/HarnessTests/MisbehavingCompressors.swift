import KVCompression
import LinearAlgebra

/// Compressors that break the contract on purpose, each in one way, to check that the harness
/// fails their row alone with a clear reason. They keep every vector exactly (fp32) otherwise.
class ExactStore {
    var vectors: [Float] = []
    var positions: [Int] = []
    let headDim: Int
    init(headDim: Int) { self.headDim = headDim }
    func add(_ block: Matrix, _ newPositions: [Int]) {
        vectors += block.storage
        positions += newPositions
    }
    var block: KVBlock { KVBlock(vectors: Matrix(rows: positions.count, cols: headDim, storage: vectors), positions: positions) }
}

/// Throws on the third `append` of the values of layer 2.
final class ThrowingCompressor: KVCompressor {
    static let id = "test-throws"
    static let summary = "throws from append"
    let store: ExactStore
    let geometry: HeadGeometry
    var appends = 0
    init(configuration: CompressorConfiguration, geometry: HeadGeometry, shared: SharedState) throws {
        store = ExactStore(headDim: geometry.headDim)
        self.geometry = geometry
    }
    struct Boom: Error, CustomStringConvertible { var description: String { "disk on fire" } }
    func append(_ block: Matrix, positions: [Int]) throws {
        appends += 1
        if geometry.layer == 2 && geometry.kind == .values && appends == 3 { throw Boom() }
        store.add(block, positions)
    }
    func reconstruct() throws -> KVBlock { store.block }
    func encode() throws -> [UInt8] { [] }
    init(decoding bytes: [UInt8], configuration: CompressorConfiguration, geometry: HeadGeometry, shared: SharedState) throws {
        store = ExactStore(headDim: geometry.headDim)
        self.geometry = geometry
    }
}

/// Returns a NaN in layer 5's keys once the continuation has started.
final class NaNCompressor: KVCompressor {
    static let id = "test-nan"
    static let summary = "returns NaN"
    let store: ExactStore
    let geometry: HeadGeometry
    init(configuration: CompressorConfiguration, geometry: HeadGeometry, shared: SharedState) throws {
        store = ExactStore(headDim: geometry.headDim)
        self.geometry = geometry
    }
    func append(_ block: Matrix, positions: [Int]) throws { store.add(block, positions) }
    func reconstruct() throws -> KVBlock {
        var block = store.block
        if geometry.layer == 5 && geometry.kind == .keys { block.vectors.storage[block.vectors.storage.count - 1] = .nan }
        return block
    }
    func encode() throws -> [UInt8] { [] }
    init(decoding bytes: [UInt8], configuration: CompressorConfiguration, geometry: HeadGeometry, shared: SharedState) throws {
        store = ExactStore(headDim: geometry.headDim)
        self.geometry = geometry
    }
}

/// Returns one column too few.
final class WrongShapeCompressor: KVCompressor {
    static let id = "test-shape"
    static let summary = "returns a wrong shape"
    let store: ExactStore
    init(configuration: CompressorConfiguration, geometry: HeadGeometry, shared: SharedState) throws {
        store = ExactStore(headDim: geometry.headDim)
    }
    func append(_ block: Matrix, positions: [Int]) throws { store.add(block, positions) }
    func reconstruct() throws -> KVBlock {
        let n = store.positions.count, d = store.headDim
        var narrow = Matrix(rows: n, cols: d - 1)
        for r in 0 ..< n { for c in 0 ..< d - 1 { narrow[r, c] = store.vectors[r * d + c] } }
        return KVBlock(vectors: narrow, positions: store.positions)
    }
    func encode() throws -> [UInt8] { [] }
    init(decoding bytes: [UInt8], configuration: CompressorConfiguration, geometry: HeadGeometry, shared: SharedState) throws {
        store = ExactStore(headDim: geometry.headDim)
    }
}

/// Encodes nothing, so a decoded instance reconstructs nothing: the round trip check must fail.
final class ForgetfulEncoder: KVCompressor {
    static let id = "test-decode"
    static let summary = "encoding loses the vectors"
    let store: ExactStore
    init(configuration: CompressorConfiguration, geometry: HeadGeometry, shared: SharedState) throws {
        store = ExactStore(headDim: geometry.headDim)
    }
    func append(_ block: Matrix, positions: [Int]) throws { store.add(block, positions) }
    func reconstruct() throws -> KVBlock { store.block }
    func encode() throws -> [UInt8] { [1, 2, 3] }
    init(decoding bytes: [UInt8], configuration: CompressorConfiguration, geometry: HeadGeometry, shared: SharedState) throws {
        store = ExactStore(headDim: geometry.headDim)
    }
}

/// `prepare` throws: every unit of the configuration fails.
final class FailingPrepare: KVCompressor {
    static let id = "test-prepare"
    static let summary = "prepare throws"
    struct Refused: Error, CustomStringConvertible { var description: String { "no calibration for me" } }
    static func prepare(configuration: CompressorConfiguration, model: any ModelWeights,
                        calibration: any CalibrationData) throws -> SharedState { throw Refused() }
    init(configuration: CompressorConfiguration, geometry: HeadGeometry, shared: SharedState) throws {}
    func append(_ block: Matrix, positions: [Int]) throws {}
    func reconstruct() throws -> KVBlock { KVBlock(vectors: Matrix(rows: 0, cols: 64), positions: []) }
    func encode() throws -> [UInt8] { [] }
    init(decoding bytes: [UInt8], configuration: CompressorConfiguration, geometry: HeadGeometry, shared: SharedState) throws {}
}
