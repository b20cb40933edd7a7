import CBLAS
import Foundation
import LinearAlgebra

/// The element-wise layers of the forward pass that are not generic vector math (which is in
/// `VectorMath`), written as branch-free loops over raw pointers so that the compiler vectorises
/// them.
enum Kernels {
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
                out[i] = g / (1 + VectorMath.exp(-g)) * up[i]
            }
        }
    }
}
