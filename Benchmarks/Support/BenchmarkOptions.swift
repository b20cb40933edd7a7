import Foundation

/// The command line the benchmarks share: `--model PATH`, `--text FILE`, `--windows N`,
/// `--threads N`, `--peers FILE`, and any repeatable flag a benchmark names (e.g.
/// `--compressor SPEC`). Unknown flags and bad numbers are one-line errors.
public struct BenchmarkOptions {
    public var model: String?
    public var text: String?
    /// Windows to evaluate.
    public var windows: Int
    /// OpenBLAS threads, and so workers (default 2: the machine kind the peers were timed on).
    public var threads = 2
    /// The peer speeds file, relative to the repository root the benchmarks run from.
    public var peers = "Benchmarks/Reference/peer-speeds.json"
    /// Every value of each repeatable flag, in order.
    public var repeated: [String: [String]] = [:]

    public init(_ argv: [String], defaultWindows: Int, repeatable: Set<String> = []) throws {
        windows = defaultWindows
        var rest = argv[...]
        while let flag = rest.popFirst() {
            guard let value = rest.popFirst() else { throw BenchmarkError("\(flag) needs a value") }
            switch flag {
            case "--model": model = value
            case "--text": text = value
            case "--windows": windows = try Self.positive(flag, value)
            case "--threads": threads = try Self.positive(flag, value)
            case "--peers": peers = value
            case _ where repeatable.contains(flag): repeated[flag, default: []].append(value)
            default: throw BenchmarkError("unknown option \(flag)")
            }
        }
    }

    private static func positive(_ flag: String, _ value: String) throws -> Int {
        guard let n = Int(value), n > 0 else { throw BenchmarkError("\(flag) must be a positive integer, got '\(value)'") }
        return n
    }
}

/// A benchmark's bad command line, with a one-line message.
public struct BenchmarkError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
