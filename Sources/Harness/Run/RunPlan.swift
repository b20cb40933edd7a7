import Foundation
import KVCompression
import Model

/// Everything a run needs to know, from a suite file and command-line overrides, before any
/// file is read: which model, texts, geometry and configurations, and which shard.
public struct RunPlan: Sendable {
    /// Suite name (`ad-hoc` without a suite) and SHA-256 of the suite file (or of the ad-hoc
    /// arguments).
    public var suite: String
    public var suiteSHA256: String
    /// The model file and, from a suite, the SHA-256 it must have.
    public var modelPath: String
    public var modelSHA256: String?
    public var corpora: [TextPin]
    /// Calibration text for strategies whose `prepare` asks for samples.
    public var calibration: TextPin
    public var window: Int
    public var prefix: Int
    public var chunk: Int
    /// Windows per corpus at most, overriding every corpus's own `max_windows` (`--max-windows`).
    public var maxWindows: Int?
    /// `identity` first, then the others in suite order, without duplicates.
    public var configurations: [CompressorConfiguration]
    public var shard: Shard?

    /// The calibration text used when a suite names none: Exodus (KJV), built by setup, which
    /// no shipped suite evaluates.
    public static let defaultCalibration = TextPin(
        file: "calib_exodus.txt", domain: "prose",
        sha256: "1aa4129a4f7520c85fa881252e5066ba727afd37a4a659632a4886c512e0a07e", maxTokens: 4096)

    /// A plan from a loaded suite; `nil` overrides keep the suite's values.
    public init(suite: Suite, sha256: String, modelPath: String? = nil, texts: [String] = [],
                configurations: [String] = [], window: Int? = nil, prefix: Int? = nil, chunk: Int? = nil,
                maxWindows: Int? = nil, shard: Shard? = nil) throws {
        self.suite = suite.name
        self.suiteSHA256 = sha256
        self.modelPath = modelPath ?? suite.model.resolvedPath
        self.modelSHA256 = suite.model.sha256
        let pins = texts.isEmpty ? suite.corpora : texts.map { TextPin(file: $0) }
        self.corpora = pins.map { pin in
            var pin = pin
            pin.maxWindows = pin.maxWindows ?? suite.maxWindows
            return pin
        }
        self.calibration = suite.calibration ?? Self.defaultCalibration
        self.window = window ?? suite.window
        self.prefix = prefix ?? window.map(Self.defaultPrefix) ?? suite.prefix
        self.chunk = chunk ?? suite.chunk
        self.maxWindows = maxWindows
        self.configurations = try Self.parse(configurations.isEmpty ? suite.configurations : configurations)
        self.shard = shard
        try validate()
    }

    /// An ad-hoc plan: the given texts and configurations (identity added), default model.
    public init(texts: [String], configurations: [String], modelPath: String? = nil, window: Int = 1024,
                prefix: Int? = nil, chunk: Int = 64, maxWindows: Int? = nil, shard: Shard? = nil) throws {
        guard !texts.isEmpty else { throw HarnessError("an ad-hoc run needs at least one --text FILE (or use --suite FILE)") }
        suite = "ad-hoc"
        let canonical = try Self.parse(configurations)
        let arguments = ["texts=" + texts.joined(separator: ","), "configurations=" + canonical.map(\.description).joined(separator: ","),
                         "window=\(window)", "prefix=\(prefix ?? Self.defaultPrefix(window: window))", "chunk=\(chunk)", "max-windows=\(maxWindows ?? 0)"]
        suiteSHA256 = SharedStateStore.key(arguments)
        self.modelPath = modelPath ?? ModelLocator.defaultPath
        modelSHA256 = nil
        corpora = texts.map { TextPin(file: $0) }
        calibration = Self.defaultCalibration
        self.window = window
        self.prefix = prefix ?? Self.defaultPrefix(window: window)
        self.chunk = chunk
        self.maxWindows = maxWindows
        self.configurations = canonical
        self.shard = shard
        try validate()
    }

    /// The prefix used when none is given for `window`: its first three quarters.
    public static func defaultPrefix(window: Int) -> Int { (window * 3) / 4 }

    /// Parses specs, puts `identity` first and rejects duplicates.
    static func parse(_ specs: [String]) throws -> [CompressorConfiguration] {
        var result = [CompressorConfiguration(id: referenceConfiguration)]
        for spec in specs {
            let configuration = try CompressorConfiguration(parsing: spec)
            if configuration.description == referenceConfiguration { continue }
            guard !result.contains(configuration) else {
                throw HarnessError("configuration '\(configuration.description)' is given twice")
            }
            result.append(configuration)
        }
        return result
    }

    func validate() throws {
        guard window >= 2 else { throw HarnessError("window must be at least 2 tokens, got \(window)") }
        guard prefix >= 0, prefix <= window - 2 else {
            throw HarnessError("prefix must be in 0...\(window - 2) for window \(window) so that some continuation token is scored, got \(prefix)")
        }
        guard chunk >= 1 else { throw HarnessError("chunk must be at least 1 token, got \(chunk)") }
        if let maxWindows, maxWindows < 1 { throw HarnessError("max-windows must be at least 1, got \(maxWindows)") }
    }
}

extension ModelPin {
    /// The pinned model file: `path` (`~` expanded), else `file` (else the default model's file
    /// name) in the model folder.
    public var resolvedPath: String {
        path.map { ($0 as NSString).expandingTildeInPath }
            ?? ModelLocator.defaultFolder + "/" + (file ?? ModelLocator.defaultFileName)
    }
}

/// One of `count` deterministic pieces of a run (`--shard i/N`, 1-based). A shard takes every
/// `count`-th window starting at window `index − 1` and evaluates every configuration,
/// `identity` included, on those windows, so that each shard can score against its own
/// reference and no window's shared prefix is computed twice.
public struct Shard: Sendable, Equatable, CustomStringConvertible {
    public var index: Int
    public var count: Int

    public init(index: Int, count: Int) throws {
        guard count >= 1, (1 ... count).contains(index) else {
            throw HarnessError("shard must be i/N with 1 <= i <= N, got \(index)/\(count)")
        }
        self.index = index
        self.count = count
    }

    /// Parses `i/N`.
    public init(parsing text: String) throws {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]) else {
            throw HarnessError("shard must be i/N, got '\(text)'")
        }
        try self.init(index: i, count: n)
    }

    /// Whether global window `window` belongs to this shard.
    public func contains(window: Int) -> Bool { window % count == index - 1 }

    public var description: String { "\(index)/\(count)" }
}
