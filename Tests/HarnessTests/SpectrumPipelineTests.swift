import Harness
import KVCompression
import LinearAlgebra
import Model
import Testing

/// A tiny grouped-query model: random per-head projections, as `ModelWeights` describes them.
struct SpectrumToyWeights: ModelWeights {
    let layerCount = 2, queryHeadCount = 4, kvHeadCount = 2, headDim = 8, modelDim = 20
    let queries: [[Matrix]], keys: [[Matrix]]

    init(seed: UInt64) {
        var rng = SeededGenerator(seed: seed)
        let (layers, heads, kvHeads, d, model) = (2, 4, 2, 8, 20)
        queries = (0 ..< layers).map { _ in (0 ..< heads).map { _ in rng.gaussianMatrix(rows: model, cols: d) } }
        keys = (0 ..< layers).map { _ in (0 ..< kvHeads).map { _ in rng.gaussianMatrix(rows: model, cols: d) } }
    }

    func projection(layer: Int, kvHead: Int, kind: KVKind) -> Matrix { keys[layer][kvHead] }
    func queryProjection(layer: Int, head: Int) -> Matrix { queries[layer][head] }
}

/// Stores pre-RoPE keys, rotates them and returns all of them: the exact cache's contract.
final class SpectrumToyExactCache: KVCache {
    var keys: [[Float]] = [[], []], positions: [[Int]] = [[], []]
    func update(layer: Int, keys new: Matrix, values: Matrix, positions range: Range<Int>, rope: RoPE) throws -> AttentionContext {
        keys[layer] += new.storage
        positions[layer] += range
        var rotated = Matrix(rows: positions[layer].count, cols: new.cols, storage: keys[layer])
        rope.rotate(&rotated, positions: positions[layer])
        return AttentionContext(keys: rotated, values: rotated, positions: positions[layer])
    }
}

/// Concatenates the per-head projections of one layer side by side: `[d_model × heads·d_h]`.
private func sideBySide(_ blocks: [Matrix]) -> Matrix {
    let rows = blocks[0].rows, d = blocks[0].cols
    var out = Matrix(rows: rows, cols: blocks.count * d)
    for (h, block) in blocks.enumerated() { for r in 0 ..< rows { for c in 0 ..< d { out[r, h * d + c] = block[r, c] } } }
    return out
}

private func product(_ a: Matrix, _ b: Matrix) -> Matrix {
    var c = Matrix(rows: a.rows, cols: b.cols)
    for i in 0 ..< a.rows { for j in 0 ..< b.cols {
        var sum = 0.0
        for k in 0 ..< a.cols { sum += Double(a[i, k]) * Double(b[k, j]) }
        c[i, j] = Float(sum)
    } }
    return c
}

@Suite struct SpectrumPipelineTests {
    let weights = SpectrumToyWeights(seed: 7)
    let rope = RoPE(headDim: 8, theta: 10000)
    let n = 64

    /// Hidden states of a window: one seeded row per token.
    func hidden(_ tokens: [Int32]) -> Matrix {
        var out = Matrix(rows: tokens.count, cols: weights.modelDim)
        for (r, token) in tokens.enumerated() {
            var rng = SeededGenerator(seed: UInt64(token) &* 977)
            for c in 0 ..< weights.modelDim { out[r, c] = rng.gaussian() }
        }
        return out
    }

    /// A forward pass in two chunks: queries and keys are `x·P`, keys go through the cache
    /// pre-RoPE, queries are rotated and reported with the context attention read.
    func forward(_ tokens: [Int32], _ cache: any KVCache) throws {
        let x = hidden(tokens)
        for layer in 0 ..< weights.layerCount {
            let q = product(x, sideBySide(weights.queries[layer])), k = product(x, sideBySide(weights.keys[layer]))
            for chunk in [0 ..< 40, 40 ..< tokens.count] {
                let rows = { (m: Matrix) in Matrix(rows: chunk.count, cols: m.cols, storage: Array(m.storage[chunk.lowerBound * m.cols ..< chunk.upperBound * m.cols])) }
                let context = try cache.update(layer: layer, keys: rows(k), values: rows(k), positions: chunk, rope: rope)
                var queries = rows(q)
                rope.rotate(&queries, positions: Array(chunk))
                cache.didAttend(layer: layer, queries: queries, context: context, output: queries)
            }
        }
    }

    func run(_ options: SpectrumOptions, windows: Int = 1) throws -> [HeadSpectrum] {
        let tokens = (0 ..< windows).map { w in (0 ..< n).map { Int32(w * 1000 + $0 * 7 % 50) } }
        return try SpectrumAnalysis.run(weights: weights, windows: tokens, options: options,
                                        makeCache: { SpectrumToyExactCache() }, forward: forward)
    }

    @Test func queryUnitsMatchTheDirectComputationPerHead() throws {
        let heads = try run(SpectrumOptions(context: n))
        #expect(heads.count == 2 * 4)
        let x = hidden((0 ..< n).map { Int32($0 * 7 % 50) })
        for head in heads {
            #expect(head.kv == head.head / 2)
            var q = product(x, weights.queries[head.layer][head.head])
            var k = product(x, weights.keys[head.layer][head.kv])
            rope.rotate(&q, positions: Array(0 ..< n))
            rope.rotate(&k, positions: Array(0 ..< n))
            let expected = SpectrumStatistics(singularValues: try singularValues(centredLogitField(queries: q, keys: k, centering: .full)))
            #expect(head.logits[0].counts == expected.counts)
            #expect(abs(head.logits[0].effectiveRank - expected.effectiveRank) < 1e-3)
            let m = try interactionSingularValues(queryProjections: [weights.queries[head.layer][head.head]],
                                                  keyProjection: weights.keys[head.layer][head.kv])
            #expect(head.interaction == SpectrumStatistics(singularValues: m))
        }
    }

    @Test func preRopeLogitsUseUnrotatedQueriesAndKeys() throws {
        let heads = try run(SpectrumOptions(keys: .preRope, centering: .causal, context: n))
        let x = hidden((0 ..< n).map { Int32($0 * 7 % 50) })
        for head in heads {
            let q = product(x, weights.queries[head.layer][head.head]), k = product(x, weights.keys[head.layer][head.kv])
            let expected = SpectrumStatistics(singularValues: try singularValues(centredLogitField(queries: q, keys: k, centering: .causal)))
            #expect(head.logits[0].counts == expected.counts)
            for (got, want) in zip(head.logits[0].top, expected.top) { #expect(abs(got - want) <= 1e-3 * expected.top[0]) }
        }
    }

    @Test func kvUnitsStackTheirQueryGroup() throws {
        let heads = try run(SpectrumOptions(unit: .kv, context: n), windows: 2)
        #expect(heads.map(\.head) == [0, 1, 0, 1] && heads.map(\.kv) == [0, 1, 0, 1])
        #expect(heads.allSatisfy { $0.logits.count == 2 })
        let head = heads[3]   // layer 1, KV head 1: query heads 2 and 3
        let m = try interactionSingularValues(queryProjections: [weights.queries[1][2], weights.queries[1][3]],
                                              keyProjection: weights.keys[1][1])
        #expect(head.interaction == SpectrumStatistics(singularValues: m))
        // Ẽ of the unit: the rotated queries of heads 2 and 3 stacked (2n rows) against the KV
        // head's rotated keys, centred as one field.
        let x = hidden((0 ..< n).map { Int32($0 * 7 % 50) })
        var q2 = product(x, weights.queries[1][2]), q3 = product(x, weights.queries[1][3])
        var k = product(x, weights.keys[1][1])
        rope.rotate(&q2, positions: Array(0 ..< n))
        rope.rotate(&q3, positions: Array(0 ..< n))
        rope.rotate(&k, positions: Array(0 ..< n))
        let stacked = Matrix(rows: 2 * n, cols: q2.cols, storage: q2.storage + q3.storage)
        let expected = SpectrumStatistics(singularValues: try singularValues(centredLogitField(queries: stacked, keys: k, centering: .full)))
        #expect(head.logits[0].counts == expected.counts)
        for (got, want) in zip(head.logits[0].top, expected.top) { #expect(abs(got - want) <= 1e-3 * expected.top[0]) }
    }

    @Test func aForwardPassThatSkipsALayerIsAnError() throws {
        #expect(throws: HarnessError.self) {
            try SpectrumAnalysis.run(weights: weights, windows: [(0 ..< Int32(n)).map { $0 }], options: SpectrumOptions(context: n),
                                     makeCache: { SpectrumToyExactCache() }, forward: { _, _ in })
        }
        #expect(throws: HarnessError.self) {
            try SpectrumAnalysis.run(weights: weights, windows: [[1, 2, 3]], options: SpectrumOptions(context: n),
                                     makeCache: { SpectrumToyExactCache() }, forward: forward)
        }
    }
}
