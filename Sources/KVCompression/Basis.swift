import LinearAlgebra

/// An affine subspace of head space: `r` orthonormal directions (the rows of `directions`,
/// `[r × headDim]`) through an optional `mean`. A token vector `x` is stored as its `r`
/// coordinates `(x − mean) · directionsᵀ` and read back as `mean + c · directions`: the shared
/// arithmetic of every projection strategy (fixed, calibrated, random, online).
public struct Basis: Sendable, Equatable {
    /// `[r × headDim]`, orthonormal rows.
    public let directions: Matrix
    /// `headDim` values subtracted before projecting, or `nil` for a linear subspace.
    public let mean: [Float]?

    /// Throws when `mean` does not have one value per column of `directions` (a corrupt cache).
    public init(directions: Matrix, mean: [Float]? = nil) throws {
        if let mean, mean.count != directions.cols {
            throw ConfigurationError("basis mean has \(mean.count) values for \(directions.cols) dimensions")
        }
        self.directions = directions
        self.mean = mean
    }

    /// Number of directions `r`.
    public var rank: Int { directions.rows }
    /// Head dimension `d`.
    public var dimension: Int { directions.cols }

    /// `[n × r]` coordinates `(x − mean) · directionsᵀ` of the rows of `x` (`[n × d]`), by GEMM.
    public func coefficients(of x: Matrix) -> Matrix {
        guard let mean else { return matmul(x, directions, transposeB: true) }
        var centred = x
        centred.storage.withUnsafeMutableBufferPointer { rows in
            for i in 0 ..< x.rows {
                for j in 0 ..< x.cols { rows[i * x.cols + j] -= mean[j] }
            }
        }
        return matmul(centred, directions, transposeB: true)
    }

    /// `[n × d]` vectors `mean + c · directions` for coefficients `c` (`[n × r]`). Each output
    /// row depends only on its own coefficient row, summed in a fixed order, so the result is
    /// bit-identical however the rows were batched — which is what lets a decoder reproduce an
    /// encoder's reconstruction exactly.
    public func reconstruct(_ c: Matrix) -> Matrix {
        var out = product(c, directions)
        if let mean {
            out.storage.withUnsafeMutableBufferPointer { rows in
                for i in 0 ..< c.rows {
                    for j in 0 ..< dimension { rows[i * dimension + j] += mean[j] }
                }
            }
        }
        return out
    }

    /// Coefficients `c` in this (linear) basis re-expressed in `other`: `c · (directions ·
    /// other.directionsᵀ)`, the projection of the vectors they stand for onto `other`. Means
    /// are ignored; both bases must have the same dimension.
    public func convert(_ c: Matrix, to other: Basis) -> Matrix {
        matmul(c, matmul(directions, other.directions, transposeB: true))
    }
}

/// `a · b` for row-major `[n × k]` and `[k × m]`, one output row at a time with the sum over
/// `k` in ascending order: unlike a blocked GEMM, every row's bits are independent of `n` and
/// of how rows were batched. The shapes are small (k, m ≤ headDim), so the loop vectorises well.
private func product(_ a: Matrix, _ b: Matrix) -> Matrix {
    precondition(a.cols == b.rows, "product of \(a.rows)×\(a.cols) by \(b.rows)×\(b.cols)")
    let n = a.rows, k = a.cols, m = b.cols
    var out = Matrix(rows: n, cols: m)
    out.storage.withUnsafeMutableBufferPointer { o in
        a.storage.withUnsafeBufferPointer { x in
            b.storage.withUnsafeBufferPointer { y in
                for i in 0 ..< n {
                    for p in 0 ..< k {
                        let scale = x[i * k + p]
                        for j in 0 ..< m { o[i * m + j] += scale * y[p * m + j] }
                    }
                }
            }
        }
    }
    return out
}
