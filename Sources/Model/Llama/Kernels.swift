import CBLAS
import Foundation

/// The element-wise parts of the forward pass (everything that is not a matrix product), written
/// as branch-free loops over raw pointers so that the compiler vectorises them: with OpenBLAS
/// doing the products on every core, these run on one and must not become the bottleneck.
enum Kernels {
    /// `e^x` to about 2e-7 relative error for `x` in [-87, 88] (clamped outside), without a
    /// library call: `x = n·ln2 + r` with `|r| ≤ ln2/2`, `e^r` by its degree-6 Taylor polynomial
    /// (remainder below `0.35^7/7! ≈ 1.2e-7`), `2^n` built in the exponent bits.
    @inline(__always)
    static func exp(_ x: Float) -> Float {
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
    @inline(__always)
    static func maximum(_ x: UnsafePointer<Float>, _ count: Int) -> Float {
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

    /// Replaces `x[0..<count]` by `e^(x − shift)` and returns their sum.
    @inline(__always)
    static func exponentiate(_ x: UnsafeMutablePointer<Float>, _ count: Int, shift: Float) -> Float {
        for i in 0 ..< count { x[i] = exp(x[i] - shift) }
        // Every term is positive, so the sum of absolute values is the sum.
        return cblas_sasum(Int32(count), x, 1)
    }

    /// In place, the softmax of `x[0..<visible]` followed by zeros up to `count`: a query row
    /// whose causal mask hides the keys from `visible` on.
    static func maskedSoftmax(_ x: UnsafeMutablePointer<Float>, visible: Int, count: Int) {
        if visible > 0 {
            let total = exponentiate(x, visible, shift: maximum(x, visible))
            cblas_sscal(Int32(visible), 1 / total, x, 1)
        }
        if count > visible { (x + visible).update(repeating: 0, count: count - visible) }
    }

    /// `log Σ e^x` over `x[0..<count]`, leaving `x` unchanged (uses `scratch[0..<count]`).
    static func logSumExp(_ x: UnsafePointer<Float>, _ count: Int, scratch: UnsafeMutablePointer<Float>) -> Double {
        let m = maximum(x, count)
        for i in 0 ..< count { scratch[i] = exp(x[i] - m) }
        return Double(m) + log(Double(cblas_sasum(Int32(count), scratch, 1)))
    }

    /// RMSNorm of each of `rows` rows of width `width`: `y = x / √(mean(x²) + ε) · weight`.
    /// `x` and `y` may be the same buffer.
    static func rmsNorm(_ x: UnsafePointer<Float>, rows: Int, width: Int, weight: UnsafePointer<Float>,
                        epsilon: Float, into y: UnsafeMutablePointer<Float>) {
        for r in 0 ..< rows {
            let row = x + r * width, out = y + r * width
            let meanSquare = cblas_sdot(Int32(width), row, 1, row, 1) / Float(width)
            let scale = 1 / (meanSquare + epsilon).squareRoot()
            for i in 0 ..< width { out[i] = row[i] * scale * weight[i] }
        }
    }

    /// SwiGLU: for each of `rows` rows holding `[gate (width) | up (width)]`, writes
    /// `silu(gate)·up` (`silu(g) = g / (1 + e^−g)`) into a `[rows × width]` output.
    static func swiGLU(_ gateUp: UnsafePointer<Float>, rows: Int, width: Int, into y: UnsafeMutablePointer<Float>) {
        for r in 0 ..< rows {
            let gate = gateUp + r * 2 * width, up = gate + width, out = y + r * width
            for i in 0 ..< width {
                let g = gate[i]
                out[i] = g / (1 + exp(-g)) * up[i]
            }
        }
    }
}
