import Foundation

/// A small, fast, seeded random number generator (SplitMix64), identical on every platform, so
/// that a seeded basis or a synthetic test set is the same on every machine and every run.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform draw in the open interval (0, 1), from the top 53 bits.
    public mutating func uniform() -> Double {
        (Double(next() >> 11) + 0.5) / 9_007_199_254_740_992
    }

    /// A standard normal draw (Box–Muller; one of the pair is used, for simplicity of state).
    public mutating func gaussian() -> Float {
        let u1 = uniform(), u2 = uniform()
        return Float((-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2))
    }

    /// A `[rows × cols]` matrix of independent standard normal entries, row after row.
    public mutating func gaussianMatrix(rows: Int, cols: Int) -> Matrix {
        var m = Matrix(rows: rows, cols: cols)
        for i in 0 ..< m.storage.count { m.storage[i] = gaussian() }
        return m
    }
}
