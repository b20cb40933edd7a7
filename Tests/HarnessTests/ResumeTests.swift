import Foundation
import Harness
import Testing

/// The `kvbench` executable: `KVBENCH_BIN` (set by `scripts/test.sh`), else the one built beside
/// this test bundle.
private func kvbenchBinary() throws -> String {
    if let path = ProcessInfo.processInfo.environment["KVBENCH_BIN"], !path.isEmpty { return path }
    let candidates = [
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("kvbench").path,
        Bundle.main.bundleURL.appendingPathComponent("kvbench").path,
        Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("kvbench").path,
    ]
    guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
        throw HarnessError("kvbench binary not found beside the tests (\(candidates[0])); build it or set KVBENCH_BIN")
    }
    return found
}

private func launch(_ arguments: [String], stderr: URL) throws -> Process {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: try kvbenchBinary())
    process.arguments = arguments
    FileManager.default.createFile(atPath: stderr.path, contents: nil)
    process.standardError = try FileHandle(forWritingTo: stderr)
    process.standardOutput = FileHandle.nullDevice
    try process.run()
    return process
}

@Suite(.serialized)
struct ResumeTests {
    /// A run killed with SIGKILL in the middle and resumed gives the same document as a run that
    /// was never interrupted: same units (none lost, none twice), same rows, same provenance,
    /// except timings, and except the git commit, which a shared checkout may move in between.
    @Test func sigkillHalfwayThenResumeGivesTheSameDocument() throws {
        let folder = NSTemporaryDirectory() + "kvbench-resume-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let log = URL(fileURLWithPath: folder + "/stderr.txt")
        let common = ["run", "--text", "kjv_60k.txt", "--compressor", "q8_0", "--compressor", "online-svd:ratio=4",
                      "--window", "128", "--prefix", "64", "--chunk", "32", "--max-windows", "4", "--shard", "1/1", "--quiet"]
        let total = 4 * 3

        let whole = try launch(common + ["--out", folder + "/whole.json"], stderr: log)
        whole.waitUntilExit()
        #expect(whole.terminationStatus == 0, "\((try? String(contentsOf: log, encoding: .utf8)) ?? "")")

        let out = folder + "/killed.json", checkpoint = out + ".checkpoint"
        let victim = try launch(common + ["--out", out], stderr: log)
        var linesAtKill = 0
        let deadline = Date().addingTimeInterval(120)
        while victim.isRunning, Date() < deadline {
            let lines = (FileManager.default.contents(atPath: checkpoint) ?? Data()).split(separator: UInt8(ascii: "\n")).count
            if lines - 1 >= total / 2 {
                kill(victim.processIdentifier, SIGKILL)
                linesAtKill = lines - 1
                break
            }
            usleep(5_000)
        }
        victim.waitUntilExit()
        #expect(victim.terminationReason == .uncaughtSignal && linesAtKill >= total / 2 && linesAtKill < total,
                "the run was not killed halfway (\(linesAtKill) units in the checkpoint)")
        #expect(!FileManager.default.fileExists(atPath: out))

        let resumed = try launch(common + ["--out", out, "--resume"], stderr: log)
        resumed.waitUntilExit()
        #expect(resumed.terminationStatus == 0)
        #expect((try String(contentsOf: log, encoding: .utf8)).contains("resuming: \(linesAtKill) finished units"))
        #expect(!FileManager.default.fileExists(atPath: checkpoint))

        let a = try ResultsFile.load(folder + "/whole.json"), b = try ResultsFile.load(out)
        let unitsA = try #require(a.units), unitsB = try #require(b.units)
        #expect(unitsB.count == total && Set(unitsB.map { "\($0.config)@\($0.window)" }).count == total)
        #expect(unitsA.map(ResultComparison.withoutTimings) == unitsB.map(ResultComparison.withoutTimings))
        #expect(a.rows.map(ResultComparison.qualityOnly) == b.rows.map(ResultComparison.qualityOnly))
        var pa = a.provenance, pb = b.provenance
        pa.date = ""; pb.date = ""; pa.gitCommit = ""; pb.gitCommit = ""
        #expect(pa == pb)

        // Resuming a finished run changes nothing.
        let again = try launch(common + ["--out", out, "--resume"], stderr: log)
        again.waitUntilExit()
        let unchanged = try ResultsFile.load(out)
        #expect(again.terminationStatus == 0 && unchanged == b)
        #expect((try String(contentsOf: log, encoding: .utf8)).contains("already holds this run's results"))
    }
}
