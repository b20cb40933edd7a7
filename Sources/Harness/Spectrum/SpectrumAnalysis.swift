import Foundation
import KVCompression
import LinearAlgebra
import Model

/// The measurement behind `kvbench spectrum`: for every layer and unit, the spectrum of the
/// learned interaction `M` (from the weights) and of the centred logit field `Ẽ` (from forward
/// passes over windows of real text). Independent of how the model is loaded: the caller gives
/// the weights, a fresh exact cache per window and the forward pass.
public enum SpectrumAnalysis {
    /// `M` spectra of every unit, `[layer][unit]`; the text plays no part.
    public static func interactionSpectra(weights: any ModelWeights, unit: SpectrumOptions.Unit) throws -> [[SpectrumStatistics]] {
        let groupSize = try groupSize(queryHeads: weights.queryHeadCount, kvHeads: weights.kvHeadCount)
        return try (0 ..< weights.layerCount).map { layer in
            // All of a layer's query projections, then its key projections: a view that
            // dequantises one tensor at a time then reads each tensor once.
            let queries = (0 ..< weights.queryHeadCount).map { weights.queryProjection(layer: layer, head: $0) }
            let keys = (0 ..< weights.kvHeadCount).map { weights.projection(layer: layer, kvHead: $0, kind: .keys) }
            let units = unitHeads(queryHeads: weights.queryHeadCount, groupSize: groupSize, unit: unit)
            return try ParallelJobs.map(count: units.count, workers: BLASRuntime.threads) { index in
                let values = try interactionSingularValues(queryProjections: units[index].heads.map { queries[$0] },
                                                           keyProjection: keys[units[index].kv])
                return SpectrumStatistics(singularValues: values)
            }
        }
    }

    /// `Ẽ` spectra of every unit of one captured layer, in unit order.
    public static func logitSpectra(_ captured: AttentionCapture.Layer, queryHeads: Int, kvHeads: Int,
                                    options: SpectrumOptions) throws -> [SpectrumStatistics] {
        let groupSize = try groupSize(queryHeads: queryHeads, kvHeads: kvHeads)
        var queries = captured.queries
        let keys: Matrix
        switch options.keys {
        case .postRope:
            keys = captured.keys
        case .preRope:
            captured.rope.rotate(&queries, positions: captured.positions, inverse: true)
            keys = captured.preRopeKeys
        }
        let headDim = captured.rope.headDim
        guard queries.cols == queryHeads * headDim, keys.cols == kvHeads * headDim else {
            throw HarnessError("spectrum: captured queries are \(queries.cols) wide and keys \(keys.cols), expected \(queryHeads)·\(headDim) and \(kvHeads)·\(headDim)")
        }
        return try unitHeads(queryHeads: queryHeads, groupSize: groupSize, unit: options.unit).map { kv, heads in
            let stacked = heads.map { queries.columns($0 * headDim, count: headDim) }
            let unitQueries = Matrix(rows: stacked.count * queries.rows, cols: headDim, storage: stacked.flatMap(\.storage))
            let values = try centredLogitSingularValues(queries: unitQueries, keys: keys.columns(kv * headDim, count: headDim),
                                                        centering: options.centering)
            return SpectrumStatistics(singularValues: values)
        }
    }

    /// The whole analysis over `windows` (each `options.context` tokens, positions from 0).
    /// - Parameters:
    ///   - makeCache: a fresh exact cache for one window.
    ///   - forward: runs the model over a window's tokens, talking to the given cache.
    /// - Returns: one entry per unit, layer-major.
    public static func run(weights: any ModelWeights, windows: [[Int32]], options: SpectrumOptions,
                           makeCache: () throws -> any KVCache,
                           forward: ([Int32], any KVCache) throws -> Void) throws -> [HeadSpectrum] {
        try options.validate()
        let layers = weights.layerCount, queryHeads = weights.queryHeadCount, kvHeads = weights.kvHeadCount
        let groupSize = try groupSize(queryHeads: queryHeads, kvHeads: kvHeads)
        let interaction = try interactionSpectra(weights: weights, unit: options.unit)
        var logits: [[[SpectrumStatistics]]] = Array(repeating: [], count: layers)  // [layer][window][unit]
        for window in windows {
            guard window.count == options.context else {
                throw HarnessError("spectrum: a window has \(window.count) tokens, the context is \(options.context)")
            }
            let capture = AttentionCapture(base: try makeCache(), layers: layers)
            try forward(window, capture)
            let spectra = try ParallelJobs.map(count: layers, workers: BLASRuntime.threads) { layer in
                try logitSpectra(capture.layer(layer), queryHeads: queryHeads, kvHeads: kvHeads, options: options)
            }
            for layer in 0 ..< layers { logits[layer].append(spectra[layer]) }
        }
        return (0 ..< layers).flatMap { layer in
            unitHeads(queryHeads: queryHeads, groupSize: groupSize, unit: options.unit).enumerated().map { index, unit in
                HeadSpectrum(layer: layer, head: options.unit == .query ? unit.heads[0] : unit.kv, kv: unit.kv,
                             interaction: interaction[layer][index], logits: logits[layer].map { $0[index] })
            }
        }
    }

    /// The units of a layer in order: each query head with its KV head, or each KV head with
    /// its group of query heads (`kv = h / groupSize`, as grouped-query attention shares them).
    private static func unitHeads(queryHeads: Int, groupSize: Int, unit: SpectrumOptions.Unit) -> [(kv: Int, heads: [Int])] {
        switch unit {
        case .query: return (0 ..< queryHeads).map { ($0 / groupSize, [$0]) }
        case .kv: return (0 ..< queryHeads / groupSize).map { ($0, Array($0 * groupSize ..< ($0 + 1) * groupSize)) }
        }
    }

    private static func groupSize(queryHeads: Int, kvHeads: Int) throws -> Int {
        guard queryHeads > 0, kvHeads > 0, queryHeads % kvHeads == 0 else {
            throw HarnessError("spectrum: \(queryHeads) query heads do not share \(kvHeads) KV heads evenly")
        }
        return queryHeads / kvHeads
    }
}
