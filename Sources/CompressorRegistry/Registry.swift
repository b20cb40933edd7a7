import KVCompression

/// Every compressor found under `Plugins/`, in id order. The list itself is generated at build
/// time by `PackagePlugins/RegistryGenerator`; adding a folder adds an entry.
public enum Registry {
    /// All compressor types, sorted by id.
    public static let all: [any KVCompressor.Type] = generatedCompressors.sorted { $0.id < $1.id }

    /// The compressor type with registry id `id` among `types`, if any.
    public static func compressor(id: String, among types: [any KVCompressor.Type] = all) -> (any KVCompressor.Type)? {
        types.first { $0.id == id }
    }

    /// Looks up `configuration.id` among `types` (by default every plugin; tests add their own)
    /// and checks its options against what the compressor accepts.
    public static func resolve(_ configuration: CompressorConfiguration,
                               among types: [any KVCompressor.Type] = all) throws -> any KVCompressor.Type {
        guard let type = compressor(id: configuration.id, among: types) else {
            let known = types.map { $0.id }.sorted().joined(separator: ", ")
            throw ConfigurationError("unknown compressor '\(configuration.id)' (known: \(known))")
        }
        try configuration.validate(against: type.options)
        return type
    }
}
