import Foundation
import Harness
import Testing

/// Units with hand-computable figures.
private func unit(_ config: String, window: Int, nll: [Double], kl: [Double]? = nil, top1: [Bool]? = nil, dp: [Double]? = nil,
                  errorSum: [Double] = [0, 0], errorCount: [Int] = [4, 4], bytes: Int = 100, fp16: Int = 400,
                  seconds: Double = 1) -> UnitResult {
    var u = UnitResult(config: config, window: window, status: "ok")
    u.nll = nll
    u.kl = kl ?? nll.map { _ in 0 }
    u.top1Match = top1 ?? nll.map { _ in true }
    u.dp = dp ?? nll.map { _ in 0 }
    u.attentionErrorSum = errorSum
    u.attentionErrorCount = errorCount
    u.bytesEncoded = bytes
    u.bytesFP16 = fp16
    u.modelConstantBytes = 12
    u.cachedTokens = 10
    u.compressSeconds = seconds
    u.reconstructSeconds = 2 * seconds
    u.continuationTokens = nll.count
    u.wallSeconds = seconds
    return u
}

struct BootstrapTests {
    @Test func constantDifferencesGiveADegenerateInterval() throws {
        let interval = try #require(Bootstrap.interval(sums: [0.3, 0.6, 0.9], counts: [1, 2, 3]))
        #expect(abs(interval[0] - 0.3) < 1e-12 && abs(interval[1] - 0.3) < 1e-12)
    }

    /// Windows of one token each with values ±1 in equal numbers: the bootstrap distribution of
    /// the mean is close to normal with standard deviation sqrt(1/n), so the 95% interval is
    /// ±1.96/sqrt(n) around 0.
    @Test func intervalOfAMeanMatchesTheNormalApproximation() throws {
        let n = 400
        let sums = (0 ..< n).map { $0 % 2 == 0 ? 1.0 : -1.0 }
        let interval = try #require(Bootstrap.interval(sums: sums, counts: Array(repeating: 1, count: n), resamples: 4000))
        let expected = 1.96 / Double(n).squareRoot()
        #expect(abs(interval[0] + expected) < 0.1 * expected)
        #expect(abs(interval[1] - expected) < 0.1 * expected)
        #expect(Bootstrap.interval(sums: sums, counts: Array(repeating: 1, count: n), resamples: 4000) == interval)
    }

    @Test func quantileInterpolatesLikeNumPy() {
        let values = (1 ... 100).map(Double.init)
        #expect(abs(Quantile.linear(sorted: values, 0.99) - 99.01) < 1e-9)
        #expect(Quantile.linear(sorted: [5], 0.99) == 5)
    }
}

struct AggregateTests {
    @Test func rowsFromUnitsHaveTheClosedFormFigures() throws {
        let units = [
            unit("q4_0", window: 1, nll: [1.5, 2.5], kl: [0.1, 0.3], top1: [true, false], dp: [0.1, -0.3],
                 errorSum: [0.4, 0.8], seconds: 2),
            unit("identity", window: 0, nll: [1, 2]),
            unit("q4_0", window: 0, nll: [1.2, 2.2], kl: [0.2, 0.0], top1: [true, true], dp: [0.2, 0.0],
                 errorSum: [0.4, 0.0], seconds: 2),
            unit("identity", window: 1, nll: [1, 2]),
        ]
        let rows = aggregate(units)
        #expect(rows.map(\.id) == ["identity", "q4_0"])
        let identity = rows[0], q4 = rows[1]
        #expect(identity.nllDrift == 0 && identity.klMean == 0 && identity.top1Agreement == 1)
        let drift: Double = (0.2 + 0.2 + 0.5 + 0.5) / 4
        let drift2: Double = try #require(q4.nllDrift)
        #expect(abs(drift2 - drift) < 1e-12)
        let ppl: Double = try #require(q4.pplChange)
        #expect(abs(ppl - (exp(drift) - 1)) < 1e-12)
        #expect(abs(try #require(q4.klMean) - 0.15) < 1e-12)
        let p99: Double = 0.2 + 0.97 * 0.1
        #expect(abs(try #require(q4.klP99) - p99) < 1e-12)
        #expect(q4.top1Agreement == 0.75)
        let rms: Double = ((0.01 + 0.09 + 0.04) / 4).squareRoot()
        #expect(abs(try #require(q4.rmsDp) - rms) < 1e-12)
        #expect(q4.attentionErrorPerLayer == [0.1, 0.1])
        #expect(q4.attentionError == 0.1)
        #expect(q4.bytesEncoded == 200 && q4.bytesFP16 == 800 && q4.bytesSaved == 0.75 && q4.compressionRatio == 4)
        #expect(q4.modelConstantBytes == 12)
        #expect(q4.speedRatio == 0.5 && q4.compressTimeRatio == 2 && q4.reconstructTimeRatio == 2)
        let windowNLL = try #require(q4.windowNLL)
        #expect(windowNLL.count == 2 && abs(windowNLL[0] - 1.7) < 1e-12 && abs(windowNLL[1] - 2.0) < 1e-12)
        let interval = try #require(q4.nllDriftCI95)
        // Resampling the two windows (drifts 0.2 and 0.5) gives means 0.2, 0.35, 0.5 with
        // probabilities ¼, ½, ¼: the 2.5th and 97.5th percentiles are exactly the two drifts.
        #expect(abs(interval[0] - 0.2) < 1e-12 && abs(interval[1] - 0.5) < 1e-12)
        // The order of units does not matter.
        #expect(aggregate(units.reversed()) == rows)
    }

    @Test func aFailedUnitFailsOnlyItsRow() {
        var bad = UnitResult(config: "broken", window: 1, status: "failed", error: "L0.H0.keys: reconstruct returned NaN or Inf")
        bad.nll = nil
        let rows = aggregate([unit("identity", window: 0, nll: [1]), unit("identity", window: 1, nll: [1]),
                              unit("broken", window: 0, nll: [1]), bad, unit("q8_0", window: 0, nll: [1]), unit("q8_0", window: 1, nll: [1])])
        #expect(rows.map(\.status) == ["ok", "failed", "ok"])
        #expect(rows[1].error == "window 1: L0.H0.keys: reconstruct returned NaN or Inf")
        #expect(rows[1].nllDrift == nil)
    }
}
