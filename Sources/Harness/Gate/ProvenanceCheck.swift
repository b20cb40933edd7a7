/// Which parts of two provenances must agree before their numbers may be compared or combined.
public struct ProvenanceCheck: OptionSet, Sendable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// Model file SHA-256.
    public static let model = ProvenanceCheck(rawValue: 1 << 0)
    /// Evaluation corpora SHA-256s (in order) and the calibration corpus SHA-256.
    public static let corpora = ProvenanceCheck(rawValue: 1 << 1)
    /// Window, prefix and chunk lengths: tokens are scored the same way.
    public static let protocolShape = ProvenanceCheck(rawValue: 1 << 2)
    /// Number of windows evaluated (shards of one run differ here).
    public static let windowCount = ProvenanceCheck(rawValue: 1 << 5)
    /// Suite name and suite file SHA-256.
    public static let suite = ProvenanceCheck(rawValue: 1 << 3)
    /// Git commit of the code that ran.
    public static let commit = ProvenanceCheck(rawValue: 1 << 4)

    /// What makes two results measurements of the same thing (gate, leaderboard).
    public static let sameEvaluation: ProvenanceCheck = [.model, .corpora, .protocolShape, .windowCount]
    /// What makes documents pieces of one run (merge); shards differ only in their windows.
    public static let sameRun: ProvenanceCheck = [.model, .corpora, .protocolShape, .suite, .commit]

    /// One line per disagreement between `a` and `b` on the checked parts, e.g.
    /// `model_sha256 1a2b3c4d… vs 5e6f7a8b…`; empty when they agree.
    public func differences(_ a: Provenance, _ b: Provenance) -> [String] {
        var found: [String] = []
        func check<T: Equatable>(_ name: String, _ x: T, _ y: T, _ show: (T) -> String) {
            if x != y { found.append("\(name) \(show(x)) vs \(show(y))") }
        }
        let short = { (hash: String) in hash.count > 12 ? String(hash.prefix(12)) + "…" : hash }
        if contains(.model) { check("model_sha256", a.modelSHA256, b.modelSHA256, short) }
        if contains(.corpora) {
            check("corpora", a.corpora.map(\.sha256), b.corpora.map(\.sha256)) { hashes in
                "[" + hashes.map(short).joined(separator: ", ") + "]"
            }
            check("calibration", a.calibration?.sha256, b.calibration?.sha256) { $0.map(short) ?? "none" }
        }
        if contains(.protocolShape) {
            check("window/prefix/chunk", [a.window, a.prefix, a.chunk], [b.window, b.prefix, b.chunk]) {
                $0.map(String.init).joined(separator: "/")
            }
        }
        if contains(.windowCount) { check("windows", a.windows, b.windows) { String($0) } }
        if contains(.suite) {
            check("suite", a.suite, b.suite) { $0 }
            check("suite_sha256", a.suiteSHA256, b.suiteSHA256, short)
        }
        if contains(.commit) { check("git_commit", a.gitCommit, b.gitCommit, short) }
        return found
    }
}
