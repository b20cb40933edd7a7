import Foundation

/// The commit the running code was built from, for provenance.
enum GitCommit {
    /// `git rev-parse HEAD` in the current directory, with `-dirty` when tracked files changed;
    /// `unknown` outside a repository or without git.
    static func current() -> String {
        guard let head = run(["rev-parse", "HEAD"]), !head.isEmpty else { return "unknown" }
        let status = run(["status", "--porcelain", "--untracked-files=no"]) ?? ""
        return status.isEmpty ? head : head + "-dirty"
    }

    private static func run(_ arguments: [String]) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git"] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
