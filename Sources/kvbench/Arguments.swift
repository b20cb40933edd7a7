/// The command line after the subcommand name: `--flag`, `--key value` (repeatable) and
/// positional arguments. Every lookup consumes what it reads, so that `finish()` can reject
/// anything left over with a one-line error instead of ignoring a typo.
struct Arguments {
    private var tokens: [String]

    init(_ tokens: [String]) { self.tokens = tokens }

    /// Whether `--name` is present (consumed).
    mutating func flag(_ name: String) -> Bool {
        guard let i = tokens.firstIndex(of: name) else { return false }
        tokens.remove(at: i)
        return true
    }

    /// Every value given as `--name VALUE`, in order (consumed).
    mutating func values(_ name: String) throws -> [String] {
        var found: [String] = []
        while let i = tokens.firstIndex(of: name) {
            guard i + 1 < tokens.count, !tokens[i + 1].hasPrefix("--") else { throw UsageError("\(name) needs a value") }
            found.append(tokens[i + 1])
            tokens.removeSubrange(i ... i + 1)
        }
        return found
    }

    /// The value of `--name VALUE`, if given once; an error if given twice.
    mutating func value(_ name: String) throws -> String? {
        let all = try values(name)
        guard all.count <= 1 else { throw UsageError("\(name) given more than once") }
        return all.first
    }

    /// `--name N` as an integer within `range`, or `default`.
    mutating func int(_ name: String, default value: Int, in range: ClosedRange<Int> = 0 ... Int.max) throws -> Int {
        guard let raw = try self.value(name) else { return value }
        guard let n = Int(raw), range.contains(n) else { throw UsageError("\(name) must be an integer in \(range.lowerBound)...\(range.upperBound), got '\(raw)'") }
        return n
    }

    /// The remaining arguments that are not options (consumed). Call after all option lookups.
    mutating func positionals() throws -> [String] {
        if let unknown = tokens.first(where: { $0.hasPrefix("--") }) { throw UsageError("unknown option \(unknown)") }
        defer { tokens = [] }
        return tokens
    }

    /// Fails on anything not consumed.
    func finish() throws {
        if let first = tokens.first { throw UsageError(first.hasPrefix("--") ? "unknown option \(first)" : "unexpected argument '\(first)'") }
    }
}

/// A mistake on the command line, printed as one line by `main.swift`.
struct UsageError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
