/// Typed metadata look-ups that fail with a one-line error naming the file and key.
extension GGUFFile {
    private func value(_ key: String) throws -> GGUFValue {
        guard let value = metadata[key] else { throw GGUFError(path: path, "missing metadata key '\(key)'") }
        return value
    }

    private func mismatch(_ key: String, _ value: GGUFValue, expected: String) -> GGUFError {
        GGUFError(path: path, "metadata '\(key)' is \(value.typeName), expected \(expected)")
    }

    /// The string stored under `key`; `fallback` when the key is absent, if given.
    public func string(_ key: String, default fallback: String? = nil) throws -> String {
        if metadata[key] == nil, let fallback { return fallback }
        let value = try value(key)
        guard let string = value.stringValue else { throw mismatch(key, value, expected: "string") }
        return string
    }

    /// The integer (of any stored width) under `key`; `fallback` when the key is absent, if given.
    public func int(_ key: String, default fallback: Int? = nil) throws -> Int {
        if metadata[key] == nil, let fallback { return fallback }
        let value = try value(key)
        guard let int = value.intValue else { throw mismatch(key, value, expected: "an integer") }
        return int
    }

    /// The floating-point number under `key`; `fallback` when the key is absent, if given.
    public func float(_ key: String, default fallback: Float? = nil) throws -> Float {
        if metadata[key] == nil, let fallback { return fallback }
        let value = try value(key)
        guard let float = value.floatValue else { throw mismatch(key, value, expected: "a float") }
        return float
    }

    /// The array of strings under `key`.
    public func stringArray(_ key: String) throws -> [String] {
        try array(key, expected: "array of strings") { $0.stringValue }
    }

    /// The array of integers (of any stored width) under `key`.
    public func intArray(_ key: String) throws -> [Int] {
        try array(key, expected: "array of integers") { $0.intValue }
    }

    private func array<T>(_ key: String, expected: String, _ convert: (GGUFValue) -> T?) throws -> [T] {
        let value = try value(key)
        guard case let .array(elements) = value else { throw mismatch(key, value, expected: expected) }
        var result: [T] = []
        result.reserveCapacity(elements.count)
        for element in elements {
            guard let converted = convert(element) else {
                throw GGUFError(path: path, "metadata '\(key)' has a \(element.typeName) element, expected \(expected)")
            }
            result.append(converted)
        }
        return result
    }
}
