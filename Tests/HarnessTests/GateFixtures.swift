import Foundation
import Harness

/// Synthetic results documents for the gate, leaderboard and merge tests: small, with every
/// number chosen so that expected outcomes follow by hand.
enum GateFixtures {
    /// Provenance has no public memberwise initialiser (it is written by the harness), so the
    /// fixtures decode it from its JSON form, as any reader of results files does.
    static func provenance(model: String = String(repeating: "a", count: 64), commit: String = "0123456789abcdef",
                           shard: String? = nil, windows: Int = 4) -> Provenance {
        var object: [String: Any] = [
            "suite": "quick", "suite_sha256": String(repeating: "5", count: 64),
            "model_file": "SmolLM2-135M-Instruct.Q4_1.gguf", "model_sha256": model,
            "corpora": [["name": "kjv_60k.txt", "sha256": String(repeating: "c", count: 64), "bytes": 60000, "tokens": 15000]],
            "window": 512, "prefix": 384, "chunk": 64, "windows": windows, "git_commit": commit,
            "blas_core": "SkylakeX", "threads": 1, "date": "2026-12-04T20:00:00Z",
        ]
        if let shard { object["shard"] = shard }
        return try! JSONDecoder().decode(Provenance.self, from: JSONSerialization.data(withJSONObject: object))
    }

    /// An ok row with the given drift and ratio; the other metrics derived from them.
    static func row(_ id: String, drift: Double, ratio: Double, speed: Double = 0.8) -> ResultRow {
        var row = ResultRow(id: id, status: "ok")
        row.nllDrift = drift
        row.nllDriftCI95 = [drift * 0.8, drift * 1.2]
        row.pplChange = exp(drift) - 1
        row.klMean = abs(drift) * 0.9
        row.klP99 = abs(drift) * 5
        row.top1Agreement = 1 - abs(drift)
        row.rmsDp = abs(drift) / 10
        row.attentionError = abs(drift) / 2
        row.attentionErrorPerLayer = [abs(drift) / 4, abs(drift) / 2, abs(drift) * 3 / 4]
        row.bytesFP16 = 196_608
        row.bytesEncoded = Int((196_608 / ratio).rounded())
        row.compressionRatio = ratio
        row.bytesSaved = 1 - 1 / ratio
        row.modelConstantBytes = 0
        row.speedRatio = speed
        return row
    }

    static func failed(_ id: String, _ reason: String) -> ResultRow {
        ResultRow(id: id, status: "failed", error: reason)
    }

    /// identity, q8_0, two online-svd ratios and a failed configuration.
    static func document(model: String = String(repeating: "a", count: 64)) -> ResultsDocument {
        ResultsDocument(provenance: provenance(model: model), rows: [
            row("identity", drift: 0, ratio: 1, speed: 1),
            row("q8_0", drift: 0.0004, ratio: 16.0 / 8.5),
            row("online-svd:ratio=4", drift: 0.02, ratio: 3.9),
            row("online-svd:ratio=8", drift: 0.09, ratio: 7.8),
            failed("broken:rank=0", "rank must be at least 1"),
        ])
    }

    /// A fresh temporary folder for files a test writes.
    static func temporaryFolder() throws -> String {
        let path = NSTemporaryDirectory() + "kvbench-gate-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
