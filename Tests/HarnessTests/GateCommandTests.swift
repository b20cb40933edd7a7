import Foundation
import Harness
import Testing

/// The gate, leaderboard and merge commands as CI calls them: exit codes and one-line errors of
/// the real `kvbench` executable (`KVBENCH_BIN`, or the one built beside the test bundle).
@Suite("Gate command", .enabled(if: KVBenchExecutable.path != nil, "kvbench executable not built"))
struct GateCommandTests {
    /// Runs kvbench with `arguments`; returns its exit code, stdout and stderr.
    static func kvbench(_ arguments: [String]) throws -> (code: Int32, out: String, err: String) {
        try KVBenchExecutable.run(arguments)
    }

    @Test func exitCodes() throws {
        let folder = try GateFixtures.temporaryFolder()
        let base = GateFixtures.document()
        try Baseline(document: base).write(to: folder + "/baseline.json")
        try ResultsFile.write(base, to: folder + "/same.json")
        var worse = base
        worse.rows[3].nllDrift! += 0.01
        try ResultsFile.write(worse, to: folder + "/worse.json")
        var better = base
        better.rows[3].klMean! -= 0.01
        try ResultsFile.write(better, to: folder + "/better.json")
        try ResultsFile.write(GateFixtures.document(model: String(repeating: "f", count: 64)), to: folder + "/other.json")

        func gate(_ results: String, baseline: String = "baseline.json") throws -> (code: Int32, out: String, err: String) {
            try Self.kvbench(["gate", "--baseline", folder + "/" + baseline, "--results", folder + "/" + results])
        }
        #expect(try gate("same.json").code == 0)
        let regression = try gate("worse.json")
        #expect(regression.code == 2)
        #expect(regression.out.contains("online-svd:ratio=8  nll_drift"))
        #expect(try gate("better.json").code == 4)
        #expect(try gate("other.json").code == 5)
        #expect(try gate("same.json", baseline: "missing.json").code == 5)

        let json = try Self.kvbench(["gate", "--baseline", folder + "/baseline.json", "--results", folder + "/worse.json", "--json"])
        let object = try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any]
        #expect(object?["exit_code"] as? Int == 2)

        try Data("{ not json".utf8).write(to: URL(fileURLWithPath: folder + "/broken.json"))
        let broken = try gate("same.json", baseline: "broken.json")
        #expect(broken.code == 1)
        #expect(broken.err.hasPrefix("kvbench: error: "))
        #expect(broken.err.filter { $0 == "\n" }.count == 1)
    }

    @Test func leaderboardAndMergeWriteFiles() throws {
        let folder = try GateFixtures.temporaryFolder()
        try ResultsFile.write(GateFixtures.document(), to: folder + "/run.json")
        let html = try Self.kvbench(["leaderboard", folder + "/run.json", "--out", folder + "/board.html"])
        #expect(html.code == 0)
        #expect(try String(contentsOfFile: folder + "/board.html", encoding: .utf8).hasPrefix("<!DOCTYPE html>"))
        let bad = try Self.kvbench(["leaderboard", folder + "/run.json", "--format", "pdf"])
        #expect(bad.code == 1 && bad.err.contains("--format"))

        let parts = MergeTests.shards(2)
        for part in parts { try ResultsFile.write(part.document, to: folder + "/" + part.file) }
        let merged = try Self.kvbench(["merge", folder + "/part1.json", folder + "/part2.json", "--out", folder + "/merged.json"])
        #expect(merged.code == 0)
        #expect(try ResultsFile.load(folder + "/merged.json") == MergeTests.document(windows: Array(0 ..< MergeTests.windows), shard: nil))
        let refused = try Self.kvbench(["merge", folder + "/part1.json", "--out", folder + "/half.json"])
        #expect(refused.code == 1 && refused.err.contains("missing shard(s) 2/2"))
        #expect(!FileManager.default.fileExists(atPath: folder + "/half.json"))
    }
}

/// The `kvbench` executable under test and a way to run it.
enum KVBenchExecutable {
    static let path: String? = {
        if let path = ProcessInfo.processInfo.environment["KVBENCH_BIN"], FileManager.default.isExecutableFile(atPath: path) {
            return path
        }
        let sibling = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("kvbench").path
        return FileManager.default.isExecutableFile(atPath: sibling) ? sibling : nil
    }()

    static func run(_ arguments: [String]) throws -> (code: Int32, out: String, err: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path!)
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
    }
}
