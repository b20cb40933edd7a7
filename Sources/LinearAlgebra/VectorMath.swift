import CBLAS
import Foundation

/// Element-wise math over contiguous `Float` rows — exponentials, softmax, log-sum-exp — written
/// as branch-free loops over raw pointers so that the compiler vectorises them. They sit between
/// the matrix products of the forward pass and of the harness's scoring, where a scalar library
/// `expf` per element (e.g. over a 49 152-word vocabulary per token) would cost as much as a
/// product.
public enum VectorMath {
    /// `e^x` to about 2e-7 relative error for `x` in [-87, 88] (clamped outside), without a
    /// library call: `x = n·ln2 + r` with `|r| ≤ ln2/2`, `e^r` by its degree-6 Taylor polynomial
    /// (remainder below `0.35^7/7! ≈ 1.2e-7`), `2^n` built in the exponent bits.
    @inlinable @inline(__always)
    public static func exp(_ x: Float) -> Float {
        let clamped = Swift.min(Swift.max(x, -87), 88)
        // Adding 1.5·2^23 rounds to an integer held in the low mantissa bits.
        let shifted = clamped * 1.442_695_04 + 12_582_912
        let n = shifted - 12_582_912
        let r = (clamped - n * 0.693_145_75) - n * 1.428_606_8e-6
        var p: Float = 1.0 / 720
        p = p * r + 1.0 / 120
        p = p * r + 1.0 / 24
        p = p * r + 1.0 / 6
        p = p * r + 0.5
        p = p * r + 1
        p = p * r + 1
        let exponent = (shifted.bitPattern &- 0x4B40_0000 &+ 127) << 23
        return p * Float(bitPattern: exponent)
    }

    /// Largest of `x[0..<count]` (`count > 0`), over eight independent running maxima so the
    /// loop stays in vector registers.
    public static func maximum(_ x: UnsafePointer<Float>, _ count: Int) -> Float {
        var m0 = x[0], m1 = x[0], m2 = x[0], m3 = x[0], m4 = x[0], m5 = x[0], m6 = x[0], m7 = x[0]
        var i = 0
        while i + 8 <= count {
            m0 = Swift.max(m0, x[i]); m1 = Swift.max(m1, x[i + 1]); m2 = Swift.max(m2, x[i + 2]); m3 = Swift.max(m3, x[i + 3])
            m4 = Swift.max(m4, x[i + 4]); m5 = Swift.max(m5, x[i + 5]); m6 = Swift.max(m6, x[i + 6]); m7 = Swift.max(m7, x[i + 7])
            i += 8
        }
        while i < count {
            m0 = Swift.max(m0, x[i])
            i += 1
        }
        return Swift.max(Swift.max(Swift.max(m0, m1), Swift.max(m2, m3)), Swift.max(Swift.max(m4, m5), Swift.max(m6, m7)))
    }

    /// Writes `e^(x − shift)` for `x[0..<count]` into `y` (which may be `x`) and returns their
    /// sum, added in Double over blocks of 256 so that a 49 152-term sum keeps ≈ 1e-7 relative
    /// accuracy (one Float accumulation drifts by ≈ 1e-5 there).
    @discardableResult
    public static func exponentiate(_ x: UnsafePointer<Float>, _ count: Int, shift: Float,
                                    into y: UnsafeMutablePointer<Float>) -> Double {
        for i in 0 ..< count { y[i] = exp(x[i] - shift) }
        var total = 0.0, start = 0
        while start < count {
            let n = Swift.min(256, count - start)
            // Every term is positive, so the sum of absolute values is the sum.
            total += Double(cblas_sasum(Int32(n), y + start, 1))
            start += n
        }
        return total
    }

    /// In place, the softmax of `x[0..<visible]` followed by zeros up to `count`: a query row
    /// whose causal mask hides the keys from `visible` on.
    public static func maskedSoftmax(_ x: UnsafeMutablePointer<Float>, visible: Int, count: Int) {
        if visible > 0 {
            let total = exponentiate(x, visible, shift: maximum(x, visible), into: x)
            cblas_sscal(Int32(visible), Float(1 / total), x, 1)
        }
        if count > visible { (x + visible).update(repeating: 0, count: count - visible) }
    }

    /// `log Σ e^x` over `x[0..<count]` (`count > 0`), leaving `x` unchanged; `scratch[0..<count]`
    /// receives `e^(x − max x)`.
    public static func logSumExp(_ x: UnsafePointer<Float>, _ count: Int, scratch: UnsafeMutablePointer<Float>) -> Double {
        let m = maximum(x, count)
        return Double(m) + Foundation.log(exponentiate(x, count, shift: m, into: scratch))
    }
}
