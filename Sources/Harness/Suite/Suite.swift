import Foundation

/// What a run evaluates, as written in `Benchmarks/Suites/*.json`: the model and texts pinned by
/// SHA-256, the window geometry, the calibration text and the configurations.
///
/// ```json
/// { "name": "quick", "model": { "file": "SmolLM2-135M-Instruct.Q4_1.gguf", "sha256": "b179…" },
///   "corpora": [ { "file": "kjv_60k.txt", "domain": "prose", "sha256": "096d…", "max_windows": 2 } ],
///   "calibration": { "file": "calib_exodus.txt", "sha256": "1aa4…", "max_tokens": 2048 },
///   "window": 512, "prefix": 384, "chunk": 64, "max_windows": 2,
///   "configurations": ["identity", "q8_0", "online-svd:ratio=4"], "tolerances": { … } }
/// ```
public struct Suite: Codable, Sendable, Equatable {
    /// Short name, recorded in results (defaults to the file stem).
    public var name: String
    public var description: String?
    public var model: ModelPin
    /// Evaluation texts, in order; windows are numbered across them in this order.
    public var corpora: [TextPin]
    /// Text that calibrated strategies (`static-pca`) learn from; never overlaps the corpora.
    public var calibration: TextPin?
    /// Window length W, prefix length P and continuation chunk C, in tokens.
    public var window: Int
    public var prefix: Int
    public var chunk: Int
    /// Windows per corpus when a corpus does not say (nil: every full window).
    public var maxWindows: Int?
    /// Configuration specs such as `online-svd:ratio=4`; `identity` is always evaluated too.
    public var configurations: [String]
    /// Regression tolerances for `kvbench gate`, interpreted there.
    public var tolerances: JSONValue?

    public init(name: String, description: String? = nil, model: ModelPin, corpora: [TextPin],
                calibration: TextPin? = nil, window: Int, prefix: Int, chunk: Int, maxWindows: Int? = nil,
                configurations: [String], tolerances: JSONValue? = nil) {
        self.name = name
        self.description = description
        self.model = model
        self.corpora = corpora
        self.calibration = calibration
        self.window = window
        self.prefix = prefix
        self.chunk = chunk
        self.maxWindows = maxWindows
        self.configurations = configurations
        self.tolerances = tolerances
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, description, model, corpora, calibration, window, prefix, chunk
        case maxWindows = "max_windows", configurations, tolerances
    }
}

/// The model a suite was written for.
public struct ModelPin: Codable, Sendable, Equatable {
    /// File name inside the model cache folder (`KVBENCH_MODEL_DIR`).
    public var file: String?
    /// Explicit path (`~` expanded); takes precedence over `file`.
    public var path: String?
    /// SHA-256 the model file must have.
    public var sha256: String

    public init(file: String? = nil, path: String? = nil, sha256: String) {
        self.file = file
        self.path = path
        self.sha256 = sha256
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case file, path, sha256 }
}

/// One text file pinned by SHA-256 (of the whole file), optionally cut to a byte range.
public struct TextPin: Codable, Sendable, Equatable {
    /// File name inside the corpora folder (`KVBENCH_TEXT_DIR`), or a path.
    public var file: String
    /// `prose`, `legal`, `code`…: recorded for the reader.
    public var domain: String?
    /// SHA-256 of the whole file; `nil` only for ad-hoc texts named on the command line.
    public var sha256: String?
    /// `[start, end)` byte offsets of the part used; `nil` for the whole file.
    public var bytes: [Int]?
    /// Windows of this corpus at most (overrides the suite's `max_windows`).
    public var maxWindows: Int?
    /// Calibration only: tokens at most taken from the text.
    public var maxTokens: Int?

    public init(file: String, domain: String? = nil, sha256: String? = nil, bytes: [Int]? = nil,
                maxWindows: Int? = nil, maxTokens: Int? = nil) {
        self.file = file
        self.domain = domain
        self.sha256 = sha256
        self.bytes = bytes
        self.maxWindows = maxWindows
        self.maxTokens = maxTokens
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case file, domain, sha256, bytes, maxWindows = "max_windows", maxTokens = "max_tokens"
    }
}
