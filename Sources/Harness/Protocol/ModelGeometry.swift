import Model

/// The attention layout of a model as the harness needs it: how many layers hold a KV cache, and
/// each layer's heads.
struct ModelGeometry: Sendable, Equatable {
    let layers: Int
    let attention: AttentionShape
}
