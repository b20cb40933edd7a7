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

/// Turns logits into the per-token figures a unit records. Scratch is reused across rows.
struct TokenScorer {
    let vocabulary: Int
    private var row: [Float]

    init(vocabulary: Int) {
        self.vocabulary = vocabulary
        row = [Float](repeating: 0, count: vocabulary)
    }

    /// Scores logits row `r` (`logits` is `[t × vocabulary]`) whose actual next token is
    /// `target`. With `reference == nil` the row is recorded into `record` (this is the
    /// reference run); otherwise it is compared with reference row `index`.
    mutating func score(logits: Matrix, row r: Int, target: Int, index: Int,
                        reference: ReferenceDistributions?, record: inout ReferenceDistributions,
                        into scores: inout TokenScores) {
        let v = vocabulary
        var best = 0
        logits.storage.withUnsafeBufferPointer { source in
            row.withUnsafeMutableBufferPointer { out in
                let x = source.baseAddress! + r * v
                var maximum = -Float.infinity
                for j in 0 ..< v where x[j] > maximum {
                    maximum = x[j]
                    best = j
                }
                var total = 0.0
                for j in 0 ..< v { total += Double(expf(x[j] - maximum)) }
                let logZ = Float(log(total)) + maximum
                for j in 0 ..< v { out[j] = x[j] - logZ }
            }
        }
        let logTarget = Double(row[target])
        scores.nll.append(-logTarget)
        if let reference {
            let kl = reference.logProbabilities.withUnsafeBufferPointer { base in
                reference.probabilities.withUnsafeBufferPointer { probabilities in
                    row.withUnsafeBufferPointer { mine in
                        Self.divergence(p: probabilities.baseAddress! + index * v, logP: base.baseAddress! + index * v,
                                        logQ: mine.baseAddress!, count: v)
                    }
                }
            }
            scores.kl.append(max(kl, 0))
            scores.top1Match.append(reference.top1[index] == best)
            scores.dp.append(exp(logTarget) - reference.targetProbability[index])
        } else {
            record.logProbabilities.append(contentsOf: row)
            record.probabilities.append(contentsOf: row.lazy.map { expf($0) })
            record.top1.append(best)
            record.targetProbability.append(exp(logTarget))
            scores.kl.append(0)
            scores.top1Match.append(true)
            scores.dp.append(0)
        }
    }

    /// `Σ p (log p − log q)`: Float products in blocks of 256, each block's sum added in Double.
    private static func divergence(p: UnsafePointer<Float>, logP: UnsafePointer<Float>, logQ: UnsafePointer<Float>,
                                   count: Int) -> Double {
        var total = 0.0, start = 0
        while start < count {
            let end = min(start + 256, count)
            var block: Float = 0
            for j in start ..< end { block += p[j] * (logP[j] - logQ[j]) }
            total += Double(block)
            start = end
        }
        return total
    }
}
