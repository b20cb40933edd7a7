import KVCompression
import LinearAlgebra

/// A small random model (seeded): 2 layers, 2 KV heads, headDim 64, modelDim 96.
struct SyntheticModel: ModelWeights {
    var layerCount = 2
    var queryHeadCount = 4
    var kvHeadCount = 2
    var headDim = 64
    var modelDim = 96

    func projection(layer: Int, kvHead: Int, kind: KVKind) -> Matrix {
        var generator = SeededGenerator(seed: UInt64(1000 + layer * 10 + kvHead * 2 + (kind == .keys ? 0 : 1)))
        return generator.gaussianMatrix(rows: modelDim, cols: headDim)
    }

    func queryProjection(layer: Int, head: Int) -> Matrix {
        var generator = SeededGenerator(seed: UInt64(2000 + layer * 10 + head))
        return generator.gaussianMatrix(rows: modelDim, cols: headDim)
    }
}

/// Seeded calibration samples with the structure of real keys: a mean offset and a few strong,
/// well-separated directions over weak isotropic noise.
struct SyntheticCalibration: CalibrationData {
    var tokens = 512
    func samples(layer: Int, kvHead: Int, kind: KVKind) throws -> Matrix {
        structuredData(rows: tokens, cols: 64, seed: UInt64(300 + layer * 10 + kvHead * 2 + (kind == .keys ? 0 : 1)))
    }
}

/// `rows × cols` data: mean 0.5·(1, −1, …) plus components of scales 8, 4, 2, 1 along seeded
/// directions plus noise of scale 0.05.
func structuredData(rows: Int, cols: Int, seed: UInt64) -> Matrix {
    var generator = SeededGenerator(seed: seed)
    let directions = generator.gaussianMatrix(rows: 4, cols: cols)
    let scales: [Float] = [8, 4, 2, 1]
    var x = Matrix(rows: rows, cols: cols)
    for i in 0 ..< rows {
        let weights = scales.map { $0 * generator.gaussian() / Float(cols).squareRoot() }
        for j in 0 ..< cols {
            var value = (j % 2 == 0 ? 0.5 : -0.5) + 0.05 * generator.gaussian()
            for k in 0 ..< 4 { value += weights[k] * directions[k, j] }
            x[i, j] = value
        }
    }
    return x
}

/// Rows `range` of `m`.
func rows(_ m: Matrix, _ range: Range<Int>) -> Matrix {
    Matrix(rows: range.count, cols: m.cols, storage: Array(m.storage[range.lowerBound * m.cols ..< range.upperBound * m.cols]))
}

let keysHead = HeadGeometry(layer: 1, kvHead: 0, kind: .keys, headDim: 64)

/// A compressor of `type` under `spec`, prepared on the synthetic model and calibration.
func make(_ type: any KVCompressor.Type, _ spec: String, geometry: HeadGeometry = keysHead) throws
    -> (instance: any KVCompressor, configuration: CompressorConfiguration, shared: SharedState) {
    let configuration = try CompressorConfiguration(parsing: spec)
    let shared = try type.prepare(configuration: configuration, model: SyntheticModel(), calibration: SyntheticCalibration())
    return (try type.init(configuration: configuration, geometry: geometry, shared: shared), configuration, shared)
}

/// Appends `data` in blocks of the given sizes, with consecutive positions from `start`.
func append(_ data: Matrix, to instance: any KVCompressor, blocks: [Int], start: Int = 0) throws {
    var at = 0
    for size in blocks {
        try instance.append(rows(data, at ..< at + size), positions: Array(start + at ..< start + at + size))
        at += size
    }
}

func bitwiseEqual(_ a: KVBlock, _ b: KVBlock) -> Bool {
    a.positions == b.positions && a.vectors.rows == b.vectors.rows && a.vectors.cols == b.vectors.cols
        && a.vectors.storage.elementsEqual(b.vectors.storage) { $0.bitPattern == $1.bitPattern }
}
