/// How far a result may move from its baseline before the gate calls it a change.
///
/// Quality metrics are compared with **absolute** tolerances: on one BLAS core the run is
/// deterministic, so only a change in the code moves them. Bytes are always compared **exactly**
/// (they are integers the encoding really weighs). Speed is compared only as `speed_ratio`
/// (tokens/s over identity's in the same run) within a **relative** tolerance, because absolute
/// timings on shared machines are noise — and only when a `speed_ratio` tolerance is stated in
/// the suite or baseline file: on a shared 2-core machine the ratio of unchanged code moved by
/// up to ×5 between two runs, so by default a speed move is reported as a note, never gated.
///
/// In JSON (a suite file's or a baseline file's `tolerances` object) every field is optional;
/// a missing field falls back to the next source: baseline file, then suite file, then `defaults`.
public struct GateTolerances: Codable, Sendable, Equatable {
    /// Absolute, nats/token, on `|nll_drift|`.
    public var nllDrift: Double?
    /// Absolute, nats, on `kl_mean`.
    public var klMean: Double?
    /// Absolute, nats, on `kl_p99` (a tail percentile jumps more than a mean).
    public var klP99: Double?
    /// Absolute, as a share of scored tokens, on `top1_agreement`.
    public var top1Agreement: Double?
    /// Absolute, probability, on `rms_dp`.
    public var rmsDp: Double?
    /// Absolute, on `attention_error` and on each entry of `attention_error_per_layer`.
    public var attentionError: Double?
    /// Relative, on `speed_ratio`: the result may lie within a factor `1 + speed_ratio` of the
    /// baseline either way (0.5 → between ×0.67 and ×1.5). `nil` after every source: not gated.
    public var speedRatio: Double?

    public init(nllDrift: Double? = nil, klMean: Double? = nil, klP99: Double? = nil, top1Agreement: Double? = nil,
                rmsDp: Double? = nil, attentionError: Double? = nil, speedRatio: Double? = nil) {
        self.nllDrift = nllDrift
        self.klMean = klMean
        self.klP99 = klP99
        self.top1Agreement = top1Agreement
        self.rmsDp = rmsDp
        self.attentionError = attentionError
        self.speedRatio = speedRatio
    }

    /// The defaults: 1e-4 on the mean quality metrics (well above float rounding of a
    /// deterministic run, well below any real change in a compressor), 1e-3 on the KL 99th
    /// percentile and on top-1 agreement; speed not gated (see above).
    public static let defaults = GateTolerances(
        nllDrift: 1e-4, klMean: 1e-4, klP99: 1e-3, top1Agreement: 1e-3,
        rmsDp: 1e-4, attentionError: 1e-4, speedRatio: nil)

    /// Ungated speed moves beyond this factor are still mentioned in the report's notes.
    public static let speedNoteFactor = 1.5

    /// Every field set here, the rest taken from `fallback`.
    public func filling(from fallback: GateTolerances) -> GateTolerances {
        GateTolerances(
            nllDrift: nllDrift ?? fallback.nllDrift, klMean: klMean ?? fallback.klMean,
            klP99: klP99 ?? fallback.klP99, top1Agreement: top1Agreement ?? fallback.top1Agreement,
            rmsDp: rmsDp ?? fallback.rmsDp, attentionError: attentionError ?? fallback.attentionError,
            speedRatio: speedRatio ?? fallback.speedRatio)
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case nllDrift = "nll_drift", klMean = "kl_mean", klP99 = "kl_p99", top1Agreement = "top1_agreement"
        case rmsDp = "rms_dp", attentionError = "attention_error", speedRatio = "speed_ratio"
    }

    /// Rejects unknown keys (a typo must not silently fall back to a default) and negative or
    /// non-finite values.
    public init(from decoder: Decoder) throws {
        let raw = try decoder.container(keyedBy: AnyKey.self)
        let known = Set(CodingKeys.allCases.map(\.rawValue))
        if let unknown = raw.allKeys.first(where: { !known.contains($0.stringValue) }) {
            throw DecodingError.dataCorruptedError(
                forKey: unknown, in: raw,
                debugDescription: "unknown tolerance (known: \(known.sorted().joined(separator: ", ")))")
        }
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func value(_ key: CodingKeys) throws -> Double? {
            guard let v = try container.decodeIfPresent(Double.self, forKey: key) else { return nil }
            guard v.isFinite, v >= 0 else {
                throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: "must be a finite number ≥ 0")
            }
            return v
        }
        self.init(nllDrift: try value(.nllDrift), klMean: try value(.klMean), klP99: try value(.klP99),
                  top1Agreement: try value(.top1Agreement), rmsDp: try value(.rmsDp),
                  attentionError: try value(.attentionError), speedRatio: try value(.speedRatio))
    }
}

/// A JSON key read without knowing it in advance.
struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

extension GateTolerances {
    /// The tolerances a suite file states in its `tolerances` object, if any.
    /// - Throws: `HarnessError` naming the suite when the object is not a valid tolerances object.
    public init?(suite: Suite, source: String) throws {
        guard let raw = suite.tolerances else { return nil }
        do {
            self = try ResultsFile.decode(GateTolerances.self, from: ResultsFile.encode(raw), path: source)
        } catch let error as ResultsFileError {
            guard case .malformed(_, let why) = error else { throw error }
            throw HarnessError("suite \(source): tolerances.\(why)")
        }
    }
}
