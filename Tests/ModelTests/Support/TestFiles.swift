import Foundation
import Model

/// Where tests find the model, the corpora and their own fixtures. Tests never read
/// `/work/shared`: the model and texts come from the caches that `scripts/setup.sh` fills.
enum TestFiles {
    /// SmolLM2-135M-Instruct Q4_1, as `scripts/fetch-model.sh` places it.
    static var modelPath: String { ModelLocator.defaultPath }

    /// The corpus `name` (e.g. `kjv_60k.txt`), as `scripts/build-corpora.sh` places it.
    static func textPath(_ name: String) -> String { KVBenchCache.texts + "/" + name }

    /// A file in `Tests/ModelTests/Fixtures/`.
    static func fixturePath(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures").appendingPathComponent(name).path
    }

    /// Fails with a message that says how to install the file when it is missing.
    static func requireExisting(_ path: String) throws -> String {
        guard FileManager.default.fileExists(atPath: path) else {
            throw MissingTestFile(path: path)
        }
        return path
    }

    /// Contents of the corpus `name`.
    static func text(_ name: String) throws -> String {
        let path = try requireExisting(textPath(name))
        return try String(contentsOfFile: path, encoding: .utf8)
    }
}

struct MissingTestFile: Error, CustomStringConvertible {
    let path: String
    var description: String { "\(path) is missing: run scripts/setup.sh to install the model and corpora" }
}

/// Files written by tests into a per-process temporary folder.
enum TemporaryFile {
    private static let directory: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("kvbench-model-tests-\(getpid())")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()

    /// Writes `bytes` to a new file and returns its path.
    static func write(_ bytes: [UInt8]) throws -> String {
        let url = directory.appendingPathComponent(UUID().uuidString + ".gguf")
        try Data(bytes).write(to: url)
        return url.path
    }
}
