import LinearAlgebra

/// Conversion of tensors to `Float`.
extension GGUFFile {
    /// The tensor `name` as a row-major matrix of `rows = product(dims[1...])` and
    /// `cols = dims[0]`: a linear weight with `ne0 = in`, `ne1 = out` becomes `[out × in]`, so
    /// `y = W·x` row by row. Throws if the tensor is missing or its type cannot be dequantised.
    public func dequantize(_ name: String) throws -> Matrix {
        let tensor = try dequantizable(name)
        let storage = [Float](unsafeUninitializedCapacity: tensor.elementCount) { buffer, count in
            fill(tensor, buffer.baseAddress)
            count = tensor.elementCount
        }
        return Matrix(rows: tensor.rows, cols: tensor.cols, storage: storage)
    }

    /// Dequantises the tensor `name` into `destination`, which must hold exactly its
    /// `elementCount` floats (row-major, as `dequantize(_:)` lays them out). Lets callers fill
    /// storage they already own without an intermediate copy.
    public func dequantize(_ name: String, into destination: UnsafeMutableBufferPointer<Float>) throws {
        let tensor = try dequantizable(name)
        guard destination.count == tensor.elementCount else {
            throw GGUFError(path: path, "tensor '\(name)' has \(tensor.elementCount) elements, destination holds \(destination.count)")
        }
        fill(tensor, destination.baseAddress)
    }

    private func dequantizable(_ name: String) throws -> GGUFTensorInfo {
        let tensor = try tensor(name)
        guard tensor.type.isDequantizable else {
            throw GGUFError(path: path, "tensor '\(name)' has type \(tensor.type.name), which cannot be dequantised (supported: F32, F16, Q4_0, Q4_1, Q8_0)")
        }
        return tensor
    }

    private func fill(_ tensor: GGUFTensorInfo, _ destination: UnsafeMutablePointer<Float>?) {
        guard tensor.elementCount > 0, let destination, let source = data(of: tensor).baseAddress else { return }
        Dequantization.run(tensor.type, source: source, rows: tensor.rows, cols: tensor.cols, destination: destination)
    }
}
