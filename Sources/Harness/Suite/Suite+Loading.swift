import Foundation
import KVCompression

extension Suite {
    /// Reads and validates a suite file. Every problem is a `HarnessError` naming the file and
    /// the offending key, in one line.
    public static func load(path: String) throws -> (suite: Suite, sha256: String) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw HarnessError("suite file \(path) not found")
        }
        let stem = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        return (try parse(data, source: path, defaultName: stem), SHA256.hex([UInt8](data)))
    }

    /// Parses suite JSON; `source` names it in errors, `defaultName` is used when `name` is absent.
    public static func parse(_ data: Data, source: String, defaultName: String) throws -> Suite {
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: data) } catch {
            throw HarnessError("suite \(source) is not valid JSON")
        }
        guard var top = object as? [String: Any] else { throw HarnessError("suite \(source) must be a JSON object") }
        try rejectUnknownKeys(top, allowed: CodingKeys.allCases.map(\.rawValue), at: "", source: source)
        if let model = top["model"] as? [String: Any] {
            try rejectUnknownKeys(model, allowed: ModelPin.CodingKeys.allCases.map(\.rawValue), at: "model.", source: source)
        }
        for (index, corpus) in ((top["corpora"] as? [Any]) ?? []).enumerated() {
            guard let corpus = corpus as? [String: Any] else { continue }
            try rejectUnknownKeys(corpus, allowed: TextPin.CodingKeys.allCases.map(\.rawValue), at: "corpora[\(index)].", source: source)
        }
        if let calibration = top["calibration"] as? [String: Any] {
            try rejectUnknownKeys(calibration, allowed: TextPin.CodingKeys.allCases.map(\.rawValue), at: "calibration.", source: source)
        }
        if top["name"] == nil { top["name"] = defaultName }
        let suite: Suite
        do {
            suite = try JSONDecoder().decode(Suite.self, from: JSONSerialization.data(withJSONObject: top))
        } catch let error as DecodingError {
            throw HarnessError("suite \(source): \(describe(error))")
        }
        try suite.validate(source: source)
        return suite
    }

    /// Checks geometry, configurations, pins and that calibration never overlaps evaluation text.
    public func validate(source: String) throws {
        func fail(_ message: String) -> HarnessError { HarnessError("suite \(source): \(message)") }
        guard window >= 2 else { throw fail("window must be at least 2 tokens, got \(window)") }
        guard prefix >= 0, prefix < window - 1 else {
            throw fail("prefix must be in 0...\(window - 2) so that some continuation token is scored, got \(prefix)")
        }
        guard chunk >= 1 else { throw fail("chunk must be at least 1 token, got \(chunk)") }
        if let maxWindows, maxWindows < 1 { throw fail("max_windows must be at least 1, got \(maxWindows)") }
        guard !corpora.isEmpty else { throw fail("corpora is empty") }
        guard !configurations.isEmpty else { throw fail("configurations is empty") }
        guard Self.isSHA256(model.sha256) else { throw fail("model.sha256 must be 64 hex digits") }
        for (index, corpus) in corpora.enumerated() {
            try corpus.validate(at: "corpora[\(index)]", source: source)
        }
        if let calibration {
            try calibration.validate(at: "calibration", source: source)
            try Self.checkDisjoint(calibration: calibration, corpora: corpora, source: source)
        }
        var seen = Set<String>()
        for spec in configurations {
            let configuration: CompressorConfiguration
            do { configuration = try CompressorConfiguration(parsing: spec) } catch { throw fail("\(error)") }
            guard seen.insert(configuration.description).inserted else {
                throw fail("configuration '\(configuration.description)' is listed twice")
            }
        }
    }

    /// Calibration text must not be evaluation text: a different file (by hash), or, within the
    /// same file, byte ranges that do not intersect.
    static func checkDisjoint(calibration: TextPin, corpora: [TextPin], source: String) throws {
        for corpus in corpora where corpus.sha256 == calibration.sha256 || corpus.file == calibration.file {
            guard let a = calibration.bytes, let b = corpus.bytes, a[1] <= b[0] || b[1] <= a[0] else {
                throw HarnessError("suite \(source): calibration text \(calibration.file) overlaps evaluation corpus \(corpus.file); use another file or disjoint byte ranges")
            }
        }
    }

    static func isSHA256(_ text: String) -> Bool {
        text.count == 64 && text.allSatisfy { $0.isHexDigit && !$0.isUppercase }
    }

    private static func rejectUnknownKeys(_ object: [String: Any], allowed: [String], at prefix: String, source: String) throws {
        for key in object.keys.sorted() where !allowed.contains(key) {
            throw HarnessError("suite \(source): unknown key '\(prefix)\(key)' (accepted: \(allowed.joined(separator: ", ")))")
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        let (keys, problem) = error.location
        // Trimming the dots keeps this rendering as it always was, even for key names that start
        // or end with a dot; for ordinary keys it changes nothing.
        let path = keys.jsonPath.trimmingCharacters(in: CharacterSet(charactersIn: "."))
        switch problem {
        case .missingKey: return "missing key '\(path)'"
        case .typeMismatch(let type): return "'\(path)' should be \(describe(type))"
        case .nullValue(let type): return "'\(path)' should be \(describe(type)), got null"
        case .corrupted: return "invalid value at '\(path)'"
        case .unknown: return "invalid suite"
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is Int.Type: return "an integer"
        case is String.Type: return "a string"
        case is Double.Type: return "a number"
        case is [Any].Type: return "an array"
        default: return type == Array<String>.self || type == Array<Int>.self || type == Array<TextPin>.self ? "an array" : "an object"
        }
    }
}

extension TextPin {
    func validate(at key: String, source: String) throws {
        func fail(_ message: String) -> HarnessError { HarnessError("suite \(source): \(key).\(message)") }
        guard !file.isEmpty else { throw fail("file is empty") }
        guard let sha256, Suite.isSHA256(sha256) else { throw fail("sha256 must be 64 lowercase hex digits") }
        if let bytes {
            guard bytes.count == 2, bytes[0] >= 0, bytes[0] < bytes[1] else {
                throw fail("bytes must be [start, end) with 0 <= start < end, got \(bytes)")
            }
        }
        if let maxWindows, maxWindows < 1 { throw fail("max_windows must be at least 1") }
        if let maxTokens, maxTokens < 2 { throw fail("max_tokens must be at least 2") }
    }
}
