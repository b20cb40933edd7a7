import Foundation

/// A strategy id plus its options, written the same way in a run, a suite file and a
/// leaderboard row: `online-svd:rank=8`, `online-svd:energy=0.95,max-rank=32`, `q4_0`.
public struct CompressorConfiguration: Sendable, Hashable, CustomStringConvertible {
    public var id: String
    public var options: [String: String]

    public init(id: String, options: [String: String] = [:]) {
        self.id = id
        self.options = options
    }

    /// Parses `id[:key=value[,key=value]…]`.
    public init(parsing spec: String) throws {
        let trimmed = spec.trimmingCharacters(in: .whitespaces)
        let parts = trimmed.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        let id = String(parts[0])
        guard !id.isEmpty, id.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
            throw ConfigurationError("invalid compressor spec '\(spec)': expected id[:key=value,...]")
        }
        var options: [String: String] = [:]
        if parts.count == 2 {
            for pair in parts[1].split(separator: ",", omittingEmptySubsequences: false) {
                let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                guard kv.count == 2, !kv[0].isEmpty, !kv[1].isEmpty else {
                    throw ConfigurationError("invalid option '\(pair)' in '\(spec)': expected key=value")
                }
                guard options[String(kv[0])] == nil else {
                    throw ConfigurationError("option '\(kv[0])' given twice in '\(spec)'")
                }
                options[String(kv[0])] = String(kv[1])
            }
        }
        self.init(id: id, options: options)
    }

    /// The canonical spec: id, then options sorted by key.
    public var description: String {
        options.isEmpty ? id : id + ":" + options.keys.sorted().map { "\($0)=\(options[$0]!)" }.joined(separator: ",")
    }

    /// `key` as an integer, or `nil` when absent; throws when present but not an integer.
    public func int(_ key: String) throws -> Int? {
        guard let raw = options[key] else { return nil }
        guard let value = Int(raw) else { throw ConfigurationError("\(id): option \(key)=\(raw) is not an integer") }
        return value
    }

    /// `key` as a finite number, or `nil` when absent; throws when present but not a number.
    public func double(_ key: String) throws -> Double? {
        guard let raw = options[key] else { return nil }
        guard let value = Double(raw), value.isFinite else { throw ConfigurationError("\(id): option \(key)=\(raw) is not a number") }
        return value
    }

    /// `option` as an integer: the value given, else the option's documented default. Reading a
    /// default from the option itself keeps `kvbench list` and the code from disagreeing.
    /// Throws when the value is not an integer or the option has neither value nor default.
    public func int(_ option: CompressorOption) throws -> Int {
        if let given = try int(option.key) { return given }
        guard let fallback = option.defaultValue.flatMap({ Int($0) }) else {
            throw ConfigurationError("\(id): option \(option.key) has no value and no integer default")
        }
        return fallback
    }

    /// `option` as a finite number: the value given, else the option's documented default.
    public func double(_ option: CompressorOption) throws -> Double {
        if let given = try double(option.key) { return given }
        guard let fallback = option.defaultValue.flatMap({ Double($0) }) else {
            throw ConfigurationError("\(id): option \(option.key) has no value and no numeric default")
        }
        return fallback
    }

    /// Throws when an option is not among `known` keys, so that typos are not silently ignored.
    public func validate(against known: [CompressorOption]) throws {
        let allowed = Set(known.map(\.key))
        for key in options.keys.sorted() where !allowed.contains(key) {
            let list = allowed.isEmpty ? "none" : allowed.sorted().joined(separator: ", ")
            throw ConfigurationError("\(id): unknown option '\(key)' (accepted: \(list))")
        }
    }
}

/// A configuration that cannot be parsed or used; its message is one line for the user.
public struct ConfigurationError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
