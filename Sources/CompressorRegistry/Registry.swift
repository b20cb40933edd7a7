import KVCompression

/// Every compressor found under `Plugins/`, in id order. The list itself is generated at build
/// time by `PackagePlugins/RegistryGenerator`; adding a folder adds an entry.
public enum Registry {
    /// All compressor types, sorted by id.
    public static let all: [any KVCompressor.Type] = generatedCompressors.sorted { $0.id < $1.id }

    /// The compressor type with registry id `id`, if any.
    public static func compressor(id: String) -> (any KVCompressor.Type)? {
        all.first { $0.id == id }
    }

    /// Looks up `configuration.id`, checks its options against what the compressor accepts.
    public static func resolve(_ configuration: CompressorConfiguration) throws -> any KVCompressor.Type {
        guard let type = compressor(id: configuration.id) else {
            let known = all.map { $0.id }.joined(separator: ", ")
            throw ConfigurationError("unknown compressor '\(configuration.id)' (known: \(known))")
        }
        try configuration.validate(against: type.options)
        return type
    }
}
