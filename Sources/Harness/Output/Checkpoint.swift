import Foundation

/// Finished units of an interrupted run, kept beside the output file as `<out>.checkpoint`:
/// JSON Lines, a header naming the run, then one unit per line, each appended and flushed to disk
/// as it finishes. A run killed at any instant loses at most the unit in progress; a torn last
/// line is ignored on resume.
public final class Checkpoint {
    /// What must match for a checkpoint to be resumed: the same inputs and the same units.
    public struct Header: Codable, Sendable, Equatable {
        public var run: String
        /// Start date and code commit of the original run, kept by a resumed run.
        public var date: String
        public var gitCommit: String

        public init(run: String, date: String, gitCommit: String) {
            self.run = run
            self.date = date
            self.gitCommit = gitCommit
        }
    }

    public let path: String
    private let fd: Int32

    /// The checkpoint path for an output file.
    public static func path(for output: String) -> String { output + ".checkpoint" }

    /// Reads the checkpoint at `path`: its header and every complete unit line. `nil` if absent.
    public static func read(path: String) throws -> (header: Header, units: [UnitResult])? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true)
        guard let first = lines.first, let header = try? JSONDecoder().decode(Header.self, from: Data(first)) else {
            throw HarnessError("checkpoint \(path) is unreadable; delete it to start over")
        }
        var units: [UnitResult] = []
        for line in lines.dropFirst() {
            guard let unit = try? JSONDecoder().decode(UnitResult.self, from: Data(line)) else { continue }
            units.append(unit)
        }
        return (header, units)
    }

    /// Opens the checkpoint for appending. `fresh` starts a new file with `header` (atomically
    /// replacing any old one); otherwise lines are appended after what is there.
    public init(path: String, header: Header, fresh: Bool) throws {
        self.path = path
        if fresh {
            var data = try JSONEncoder().encode(header)
            data.append(UInt8(ascii: "\n"))
            try AtomicFile.write(data, to: path)
        } else if let existing = FileManager.default.contents(atPath: path), existing.last != UInt8(ascii: "\n") {
            // Drop a torn last line so that the next unit starts on a line of its own.
            let keep = existing.lastIndex(of: UInt8(ascii: "\n")).map { existing.startIndex ..< $0 + 1 } ?? existing.startIndex ..< existing.startIndex
            try AtomicFile.write(existing.subdata(in: keep), to: path)
        }
        fd = open(path, O_WRONLY | O_APPEND)
        guard fd >= 0 else { throw HarnessError("cannot open checkpoint \(path): \(String(cString: strerror(errno)))") }
    }

    deinit { close(fd) }

    /// Appends a finished unit and flushes it to disk.
    public func append(_ unit: UnitResult) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var data = try encoder.encode(unit)
        data.append(UInt8(ascii: "\n"))
        let written = data.withUnsafeBytes { Foundation.write(fd, $0.baseAddress!, $0.count) }
        guard written == data.count, fsync(fd) == 0 else {
            throw HarnessError("cannot append to checkpoint \(path): \(String(cString: strerror(errno)))")
        }
    }

    /// Removes the checkpoint once the output document is written.
    public func remove() {
        unlink(path)
    }
}
