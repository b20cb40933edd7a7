import CBLAS
import Foundation
import LinearAlgebra

/// Next-token distributions of `identity` on one window's scored tokens: what every other
/// configuration's KL, top-1 agreement and Δp are measured against.
struct ReferenceDistributions {
    let vocabulary: Int
    /// `[scored × vocabulary]` log-probabilities and probabilities.
    var logProbabilities: [Float] = []
    var probabilities: [Float] = []
    var top1: [Int] = []
    /// Probability of each scored token's actual next token.
    var targetProbability: [Double] = []

    init(vocabulary: Int, capacity: Int = 0) {
        self.vocabulary = vocabulary
        logProbabilities.reserveCapacity(capacity * vocabulary)
        probabilities.reserveCapacity(capacity * vocabulary)
    }
}

/// Per-token scores of one configuration on one window, in scoring order.
struct TokenScores {
    var nll: [Double] = []
    var kl: [Double] = []
    var top1Match: [Bool] = []
    var dp: [Double] = []
}

/// Turns logits into the per-token figures a unit records. Scratch is reused across rows; the
/// vocabulary-wide loops are vectorised (`VectorMath`, BLAS), since they run for every scored
/// token of every configuration.
struct TokenScorer {
    let vocabulary: Int
    /// Log-probabilities of the row being scored.
    private var row: [Float]
    /// `e^(x − max x)` of the row, then (for a KL) `log p − log q`.
    private var scratch: [Float]

    init(vocabulary: Int) {
        self.vocabulary = vocabulary
        row = [Float](repeating: 0, count: vocabulary)
        scratch = row
    }

    /// Scores logits row `r` (`logits` is `[t × vocabulary]`) whose actual next token is
    /// `target`. With `reference == nil` the row is recorded into `record` (this is the
    /// reference run); otherwise it is compared with reference row `index`.
    mutating func score(logits: Matrix, row r: Int, target: Int, index: Int,
                        reference: ReferenceDistributions?, record: inout ReferenceDistributions,
                        into scores: inout TokenScores) {
        let v = vocabulary
        var best = 0, sum = 0.0
        logits.storage.withUnsafeBufferPointer { source in
            row.withUnsafeMutableBufferPointer { out in
                scratch.withUnsafeMutableBufferPointer { exps in
                    let x = source.baseAddress! + r * v
                    let maximum = VectorMath.maximum(x, v)
                    while best < v - 1, x[best] != maximum { best += 1 }
                    sum = VectorMath.exponentiate(x, v, shift: maximum, into: exps.baseAddress!)
                    let logZ = Float(log(sum)) + maximum
                    for j in 0 ..< v { out[j] = x[j] - logZ }
                }
            }
        }
        let logTarget = Double(row[target])
        scores.nll.append(-logTarget)
        if let reference {
            let kl = reference.logProbabilities.withUnsafeBufferPointer { logP in
                reference.probabilities.withUnsafeBufferPointer { p in
                    row.withUnsafeBufferPointer { logQ in
                        scratch.withUnsafeMutableBufferPointer { difference in
                            let base = index * v
                            for j in 0 ..< v { difference[j] = logP[base + j] - logQ[j] }
                            return Self.dot(p.baseAddress! + base, difference.baseAddress!, count: v)
                        }
                    }
                }
            }
            scores.kl.append(max(kl, 0))
            scores.top1Match.append(reference.top1[index] == best)
            scores.dp.append(exp(logTarget) - reference.targetProbability[index])
        } else {
            record.logProbabilities.append(contentsOf: row)
            let inverse = Float(1 / sum)
            record.probabilities.append(contentsOf: scratch.lazy.map { $0 * inverse })
            record.top1.append(best)
            record.targetProbability.append(exp(logTarget))
            scores.kl.append(0)
            scores.top1Match.append(true)
            scores.dp.append(0)
        }
    }

    /// `Σ a·b` over `count` floats: Float dot products of 256 terms, summed in Double, so that a
    /// KL of ≈ 8 nats over 49 152 terms keeps about 1e-7 relative accuracy.
    private static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Double {
        var total = 0.0, start = 0
        while start < count {
            let n = min(256, count - start)
            total += Double(cblas_sdot(Int32(n), a + start, 1, b + start, 1))
            start += n
        }
        return total
    }
}
