/// A stored baseline: a results document of a real run plus, optionally, the tolerances the
/// gate applies to it. On disk it is the results document's JSON with one extra top-level key,
/// `tolerances`, so every reader of results documents can read a baseline too.
public struct Baseline: Codable, Sendable, Equatable {
    public var document: ResultsDocument
    /// Tolerances pinned in the baseline file; they win over the suite file's and the defaults.
    public var tolerances: GateTolerances?

    public init(document: ResultsDocument, tolerances: GateTolerances? = nil) {
        self.document = document
        self.tolerances = tolerances
    }

    /// A baseline made from a fresh run. Units (per-token raw data) are dropped: the gate compares
    /// rows, and the stored file stays small enough to review in a diff. Timings are kept, since
    /// the speed ratio is gated.
    public init(run: ResultsDocument, tolerances: GateTolerances?) {
        var document = run
        document.units = nil
        self.init(document: document, tolerances: tolerances)
    }

    /// Reads a baseline file.
    /// - Throws: `ResultsFileError.notFound` or `.malformed`.
    public static func load(_ path: String) throws -> Baseline {
        try ResultsFile.decode(Baseline.self, from: ResultsFile.read(path), path: path)
    }

    /// Writes the baseline atomically as canonical JSON.
    public func write(to path: String) throws {
        try ResultsFile.write(self, to: path)
    }

    enum CodingKeys: String, CodingKey { case tolerances }

    public init(from decoder: Decoder) throws {
        document = try ResultsDocument(from: decoder)
        tolerances = try decoder.container(keyedBy: CodingKeys.self).decodeIfPresent(GateTolerances.self, forKey: .tolerances)
    }

    public func encode(to encoder: Encoder) throws {
        try document.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(tolerances, forKey: .tolerances)
    }
}
