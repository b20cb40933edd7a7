import Foundation
import LinearAlgebra

/// Rotary position embedding as GGUF LLaMA weights expect it: within each head, the adjacent
/// pair `(x[2i], x[2i+1])` is rotated by the angle `position · theta^(-2i/headDim)`.
public struct RoPE: Sendable {
    /// Vector length per head.
    public let headDim: Int
    /// Base of the frequencies (`llama.rope.freq_base`; 100000 for SmolLM2).
    public let theta: Float
    private let inverseFrequencies: [Float]

    public init(headDim: Int, theta: Float) {
        precondition(headDim % 2 == 0, "RoPE needs an even head dimension")
        self.headDim = headDim
        self.theta = theta
        self.inverseFrequencies = (0 ..< headDim / 2).map { i in
            Float(pow(Double(theta), -2.0 * Double(i) / Double(headDim)))
        }
    }

    /// Rotates every head of every row of `x` (`[t × heads·headDim]`); row `r` is at
    /// `positions[r]`. `inverse` undoes the rotation.
    public func rotate(_ x: inout Matrix, positions: [Int], inverse: Bool = false) {
        precondition(positions.count == x.rows && x.cols % headDim == 0, "RoPE: shape mismatch")
        let half = headDim / 2
        let sign: Float = inverse ? -1 : 1
        var cosines = [Float](repeating: 0, count: half)
        var sines = [Float](repeating: 0, count: half)
        let cols = x.cols
        x.storage.withUnsafeMutableBufferPointer { buffer in
            for r in 0 ..< positions.count {
                let p = Float(positions[r])
                for i in 0 ..< half {
                    let angle = p * inverseFrequencies[i]
                    cosines[i] = cos(angle)
                    sines[i] = sign * sin(angle)
                }
                var base = r * cols
                while base < (r + 1) * cols {
                    for i in 0 ..< half {
                        let a = buffer[base + 2 * i], b = buffer[base + 2 * i + 1]
                        buffer[base + 2 * i] = a * cosines[i] - b * sines[i]
                        buffer[base + 2 * i + 1] = a * sines[i] + b * cosines[i]
                    }
                    base += headDim
                }
            }
        }
    }
}
