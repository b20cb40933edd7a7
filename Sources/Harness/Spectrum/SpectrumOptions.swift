/// The choices the paper leaves open, each with the default `kvbench spectrum` uses; every
/// report prints them, so that two measurements can be compared knowingly.
public struct SpectrumOptions: Codable, Sendable, Equatable {
    /// What one "head" is.
    public enum Unit: String, Codable, Sendable, CaseIterable {
        /// Each query head against its KV head (default).
        case query
        /// Each KV head, with the queries of its whole group stacked (rows of `Ẽ`, blocks of `M`).
        case kv
    }

    /// Which keys (and queries) the logits use.
    public enum Keys: String, Codable, Sendable, CaseIterable {
        /// After the rotary embedding: the logits the model really computes (default).
        case postRope = "post-rope"
        /// Before it, for queries and keys alike: the content-only interaction, as `M` sees it.
        case preRope = "pre-rope"
    }

    /// Context lengths the analysis accepts, in tokens.
    public static let contextRange = 64 ... 1024
    /// Windows at most (each is a full forward pass).
    public static let windowRange = 1 ... 64

    public var unit: Unit
    public var keys: Keys
    public var centering: LogitCentering
    /// Tokens per window `n` (the logit field is `n × n`).
    public var context: Int
    /// Consecutive windows averaged, each `context` tokens, starting at the text's first token.
    public var windows: Int

    public init(unit: Unit = .query, keys: Keys = .postRope, centering: LogitCentering = .full,
                context: Int = 512, windows: Int = 1) {
        self.unit = unit
        self.keys = keys
        self.centering = centering
        self.context = context
        self.windows = windows
    }

    /// Throws a one-line error for values outside the supported ranges.
    public func validate() throws {
        guard Self.contextRange.contains(context) else {
            throw HarnessError("context must be in \(Self.contextRange.lowerBound)...\(Self.contextRange.upperBound) tokens, got \(context)")
        }
        guard Self.windowRange.contains(windows) else {
            throw HarnessError("windows must be in \(Self.windowRange.lowerBound)...\(Self.windowRange.upperBound), got \(windows)")
        }
    }

    /// `name value` pairs with `(default)` marks, for the report header.
    public var described: [(name: String, value: String)] {
        let defaults = SpectrumOptions()
        func mark(_ isDefault: Bool) -> String { isDefault ? " (default)" : "" }
        return [
            ("unit", unit.rawValue + (unit == .query ? " head" : " head, query group stacked") + mark(unit == defaults.unit)),
            ("keys", keys.rawValue + (keys == .preRope ? ", queries too" : "") + mark(keys == defaults.keys)),
            ("centering", centering.rawValue + (centering == .full ? ", n × n" : ", masked entries 0") + mark(centering == defaults.centering)),
            ("context", "\(context) tokens" + mark(context == defaults.context)),
            ("windows", "\(windows)" + mark(windows == defaults.windows)),
        ]
    }
}
