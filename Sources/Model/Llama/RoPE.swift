import Foundation
import LinearAlgebra

/// Rotary position embedding as GGUF LLaMA weights expect it: within each head, the adjacent
/// pair `(x[2i], x[2i+1])` is rotated by the angle `position · theta^(-2i/headDim)`.
///
/// Angles are computed in `Double` and rounded once, so every caller (the forward pass for
/// queries, caches for keys, the harness after reconstruction) rotates identically.
public struct RoPE: Sendable {
    /// Vector length per head.
    public let headDim: Int
    /// Base of the frequencies (`llama.rope.freq_base`; 100000 for SmolLM2).
    public let theta: Float
    private let inverseFrequencies: [Double]

    public init(headDim: Int, theta: Float) {
        precondition(headDim % 2 == 0, "RoPE needs an even head dimension")
        self.headDim = headDim
        self.theta = theta
        self.inverseFrequencies = (0 ..< headDim / 2).map { i in
            pow(Double(theta), -2.0 * Double(i) / Double(headDim))
        }
    }

    /// Writes the rotation table of `positions`: `headDim/2` cosines and sines per position,
    /// row after row, into `cosines` and `sines` (each `positions.count · headDim/2` floats).
    /// A chunk's table is computed once and used at every layer (the model's for the queries,
    /// the exact cache's for the keys).
    public func table<Positions: Collection<Int>>(
        positions: Positions, cosines: UnsafeMutablePointer<Float>, sines: UnsafeMutablePointer<Float>
    ) {
        let half = headDim / 2
        for (row, position) in positions.enumerated() {
            for i in 0 ..< half {
                let angle = Double(position) * inverseFrequencies[i]
                cosines[row * half + i] = Float(cos(angle))
                sines[row * half + i] = Float(sin(angle))
            }
        }
    }

    /// Rotates in place `rows` rows of `heads` consecutive heads each, row `r` starting at
    /// `x + r·stride` and using row `r` of a table from `table(positions:cosines:sines:)`.
    /// `inverse` undoes the rotation.
    public func rotate(
        _ x: UnsafeMutablePointer<Float>, rows: Int, stride: Int, heads: Int,
        cosines: UnsafePointer<Float>, sines: UnsafePointer<Float>, inverse: Bool = false
    ) {
        let half = headDim / 2
        let sign: Float = inverse ? -1 : 1
        for r in 0 ..< rows {
            let c = cosines + r * half, s = sines + r * half
            for h in 0 ..< heads {
                let v = x + r * stride + h * headDim
                for i in 0 ..< half {
                    let a = v[2 * i], b = v[2 * i + 1], sine = sign * s[i]
                    v[2 * i] = a * c[i] - b * sine
                    v[2 * i + 1] = a * sine + b * c[i]
                }
            }
        }
    }

    /// Rotates every head of every row of `x` (`[t × heads·headDim]`); row `r` is at
    /// `positions[r]`. `inverse` undoes the rotation.
    public func rotate(_ x: inout Matrix, positions: [Int], inverse: Bool = false) {
        precondition(positions.count == x.rows && x.cols % headDim == 0, "RoPE: shape mismatch")
        guard !positions.isEmpty, x.cols > 0 else { return }
        let count = positions.count * headDim / 2
        var cosines = [Float](repeating: 0, count: count), sines = cosines
        cosines.withUnsafeMutableBufferPointer { c in
            sines.withUnsafeMutableBufferPointer { s in
                table(positions: positions, cosines: c.baseAddress!, sines: s.baseAddress!)
                let cols = x.cols
                x.storage.withUnsafeMutableBufferPointer { buffer in
                    rotate(buffer.baseAddress!, rows: positions.count, stride: cols, heads: cols / headDim,
                           cosines: c.baseAddress!, sines: s.baseAddress!, inverse: inverse)
                }
            }
        }
    }
}
