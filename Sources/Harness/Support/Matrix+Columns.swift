import LinearAlgebra

extension Matrix {
    /// Columns `start ..< start + count` of every row, as a contiguous `[rows × count]` matrix:
    /// one head's vectors out of a layer's side-by-side heads.
    func columns(_ start: Int, count: Int) -> Matrix {
        precondition(start >= 0 && count >= 0 && start + count <= cols, "column range outside the matrix")
        var block = Matrix(rows: rows, cols: count)
        let width = cols
        storage.withUnsafeBufferPointer { from in
            block.storage.withUnsafeMutableBufferPointer { to in
                for r in 0 ..< rows {
                    (to.baseAddress! + r * count).update(from: from.baseAddress! + r * width + start, count: count)
                }
            }
        }
        return block
    }
}
