import LinearAlgebra

extension HeadGeometry {
    /// Every (layer, KV head, kind) of `model`, in layer, head, kind order: what `prepare`
    /// iterates over to derive one basis per head.
    public static func all(in model: any ModelWeights) -> [HeadGeometry] {
        (0 ..< model.layerCount).flatMap { layer in
            (0 ..< model.kvHeadCount).flatMap { head in
                KVKind.allCases.map { HeadGeometry(layer: layer, kvHead: head, kind: $0, headDim: model.headDim) }
            }
        }
    }
}

extension SharedState {
    /// Stores `basis` for one head under `geometry.stateKey` (directions) and
    /// `geometry.stateKey + ".mean"` (the mean, if any).
    public mutating func store(_ basis: Basis, for geometry: HeadGeometry) {
        matrices[geometry.stateKey] = basis.directions
        if let mean = basis.mean { matrices[geometry.stateKey + ".mean"] = Matrix(rows: 1, cols: mean.count, storage: mean) }
    }

    /// The basis `store` saved for `geometry`; throws when it is missing or has the wrong
    /// dimension (state prepared for another model, or `prepare` never ran).
    public func basis(for geometry: HeadGeometry, context: String) throws -> Basis {
        guard let directions = matrices[geometry.stateKey] else {
            throw ConfigurationError("\(context): no prepared basis for \(geometry.stateKey) (was prepare run for this model?)")
        }
        guard directions.cols == geometry.headDim, directions.rows >= 1 else {
            throw ConfigurationError("\(context): prepared basis for \(geometry.stateKey) is \(directions.rows)×\(directions.cols), expected r×\(geometry.headDim)")
        }
        return try Basis(directions: directions, mean: matrices[geometry.stateKey + ".mean"]?.storage)
    }
}
