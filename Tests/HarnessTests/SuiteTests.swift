import Foundation
import Harness
import Testing

private let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

/// A fresh folder under the temporary directory.
private func scratchFolder() throws -> String {
    let path = NSTemporaryDirectory() + "kvbench-suite-tests-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

private let validSuite = """
{ "model": { "file": "m.gguf", "sha256": "\(String(repeating: "a", count: 64))" },
  "corpora": [ { "file": "a.txt", "sha256": "\(String(repeating: "b", count: 64))" } ],
  "window": 64, "prefix": 48, "chunk": 8, "configurations": ["identity", "q8_0"] }
"""

private func parseError(_ json: String) -> String? {
    do {
        _ = try Suite.parse(Data(json.utf8), source: "s.json", defaultName: "s")
        return nil
    } catch {
        return String(describing: error)
    }
}

struct SuiteTests {
    @Test func shippedSuitesLoadAndKeepCalibrationApart() throws {
        for name in ["default", "quick"] {
            let (suite, sha) = try Suite.load(path: packageRoot + "/Benchmarks/Suites/\(name).json")
            #expect(suite.name == name && sha.count == 64)
            #expect(suite.configurations.first == "identity")
            let calibration = try #require(suite.calibration)
            #expect(!suite.corpora.contains { $0.sha256 == calibration.sha256 })
            #expect(Set(suite.corpora.compactMap(\.domain)).isSuperset(of: ["prose", "legal", "code"]))
        }
        let (suite, _) = try Suite.load(path: packageRoot + "/Benchmarks/Suites/default.json")
        for ratio in [2, 4, 8] {
            for strategy in ["fixed-projection", "static-pca", "online-svd"] {
                #expect(suite.configurations.contains("\(strategy):ratio=\(ratio)"))
            }
        }
    }

    @Test func validSuiteParsesWithItsStemAsName() throws {
        let suite = try Suite.parse(Data(validSuite.utf8), source: "s.json", defaultName: "stem")
        #expect(suite.name == "stem" && suite.window == 64 && suite.prefix == 48 && suite.chunk == 8)
    }

    @Test func malformedSuitesGiveOneLineErrors() throws {
        #expect(parseError("{ not json") == "suite s.json is not valid JSON")
        #expect(parseError("[1]") == "suite s.json must be a JSON object")
        #expect(parseError(validSuite.replacingOccurrences(of: "\"chunk\"", with: "\"chunck\""))?.hasPrefix("suite s.json: unknown key 'chunck'") == true)
        #expect(parseError(validSuite.replacingOccurrences(of: "\"window\": 64,", with: "")) == "suite s.json: missing key 'window'")
        #expect(parseError(validSuite.replacingOccurrences(of: "\"window\": 64", with: "\"window\": \"64\"")) == "suite s.json: 'window' should be an integer")
        #expect(parseError(validSuite.replacingOccurrences(of: "\"prefix\": 48", with: "\"prefix\": 63"))?.contains("prefix must be in 0...62") == true)
        #expect(parseError(validSuite.replacingOccurrences(of: "\"q8_0\"", with: "\"identity\"")) == "suite s.json: configuration 'identity' is listed twice")
        #expect(parseError(validSuite.replacingOccurrences(of: "\"q8_0\"", with: "\"q8_0:bits\""))?.contains("expected key=value") == true)
        for error in [parseError("{ not json"), parseError(validSuite.replacingOccurrences(of: "\"window\": 64,", with: ""))] {
            #expect(error?.contains("\n") == false)
        }
    }

    @Test func calibrationMustNotOverlapEvaluationText() {
        let same = validSuite.replacingOccurrences(of: "\"window\"", with: "\"calibration\": { \"file\": \"a.txt\", \"sha256\": \"\(String(repeating: "b", count: 64))\" }, \"window\"")
        #expect(parseError(same)?.contains("calibration text a.txt overlaps evaluation corpus a.txt") == true)
        let disjoint = validSuite
            .replacingOccurrences(of: "\"sha256\": \"\(String(repeating: "b", count: 64))\" }", with: "\"sha256\": \"\(String(repeating: "b", count: 64))\", \"bytes\": [0, 100] }")
            .replacingOccurrences(of: "\"window\"", with: "\"calibration\": { \"file\": \"a.txt\", \"sha256\": \"\(String(repeating: "b", count: 64))\", \"bytes\": [100, 200] }, \"window\"")
        #expect(parseError(disjoint) == nil)
    }

    @Test func textsAreFoundHashCheckedAndDecoded() throws {
        let folder = try scratchFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let text = "In the beginning God created the heaven and the earth.\n"
        try Data(text.utf8).write(to: URL(fileURLWithPath: folder + "/gen.txt"))
        let digest = SHA256.hex(Array(text.utf8))
        let loaded = try TextLoader.load(TextPin(file: "gen.txt", sha256: digest, bytes: [7, 16]), folder: folder)
        #expect(loaded.text == "beginning" && loaded.sha256 == digest && loaded.byteCount == 9)

        func message(_ pin: TextPin) -> String {
            do { _ = try TextLoader.load(pin, folder: folder); return "" } catch { return String(describing: error) }
        }
        #expect(message(TextPin(file: "missing.txt", sha256: digest)) == "corpus missing.txt not found in \(folder); run scripts/setup.sh to build the corpora")
        #expect(message(TextPin(file: "gen.txt", sha256: String(repeating: "0", count: 64))).hasSuffix("run scripts/setup.sh to rebuild it"))
        #expect(message(TextPin(file: "gen.txt", bytes: [0, 10_000])).contains("outside gen.txt"))
        try Data([0x66, 0x6F, 0xFF, 0xFE]).write(to: URL(fileURLWithPath: folder + "/binary.txt"))
        #expect(message(TextPin(file: "binary.txt")) == "text binary.txt is not valid UTF-8")
        try Data().write(to: URL(fileURLWithPath: folder + "/empty.txt"))
        #expect(message(TextPin(file: "empty.txt")) == "text empty.txt is empty")
        try Data(" \n\t".utf8).write(to: URL(fileURLWithPath: folder + "/blank.txt"))
        #expect(message(TextPin(file: "blank.txt")).contains("only whitespace"))
    }

    @Test func shardsSplitWindowsDeterministically() throws {
        let shards = try (1 ... 3).map { try Shard(index: $0, count: 3) }
        for window in 0 ..< 10 {
            #expect(shards.filter { $0.contains(window: window) }.count == 1)
        }
        #expect(try Shard(parsing: "2/3") == shards[1])
        #expect(throws: HarnessError.self) { try Shard(parsing: "4/3") }
        #expect(throws: HarnessError.self) { try Shard(parsing: "x") }
    }
}

struct SupportTests {
    @Test func sha256MatchesTheStandardVectors() {
        #expect(SHA256.hex([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
            == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        // Fed in uneven pieces, the digest is the same.
        let bytes = (0 ..< 1000).map { UInt8(truncatingIfNeeded: $0 * 7) }
        var hasher = SHA256()
        hasher.update(Array(bytes[0 ..< 3]))
        hasher.update(Array(bytes[3 ..< 130]))
        hasher.update(Array(bytes[130...]))
        #expect(hasher.finalizeHex() == SHA256.hex(bytes))
    }

    @Test func checkpointIgnoresATornLastLine() throws {
        let folder = try scratchFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/run.json.checkpoint"
        let checkpoint = try Checkpoint(path: path, header: .init(run: "r1", date: "d", gitCommit: "c"), fresh: true)
        var unit = UnitResult(config: "identity", window: 0, status: "ok")
        unit.nll = [1, 2]
        try checkpoint.append(unit)
        let handle = try #require(FileHandle(forWritingAtPath: path))
        handle.seekToEndOfFile()
        handle.write(Data("{\"config\": \"q8".utf8))
        try handle.close()
        let read = try #require(try Checkpoint.read(path: path))
        #expect(read.header == .init(run: "r1", date: "d", gitCommit: "c") && read.units == [unit])
        // Appending after a torn line starts a new line.
        let resumed = try Checkpoint(path: path, header: read.header, fresh: false)
        try resumed.append(UnitResult(config: "q8_0", window: 0, status: "failed", error: "x"))
        #expect(try Checkpoint.read(path: path)?.units.count == 2)
    }
}

struct RunInputTests {
    private func failure(_ plan: RunPlan) -> String {
        do { _ = try Evaluation(plan: plan).run(output: nil); return "" } catch { return String(describing: error) }
    }

    /// Bad inputs are reported in one line before the model is loaded or any unit runs.
    @Test func badInputsFailFastWithOneLine() throws {
        #expect(failure(try RunPlan(texts: ["kjv_60k.txt"], configurations: ["nope:rank=2"])).hasPrefix("unknown compressor 'nope' (known: "))
        #expect(failure(try RunPlan(texts: ["kjv_60k.txt"], configurations: ["q8_0:rank=2"])) == "q8_0: unknown option 'rank' (accepted: none)")
        #expect(failure(try RunPlan(texts: ["kjv_60k.txt"], configurations: [], modelPath: "/nonexistent/model.gguf"))
            == "model file /nonexistent/model.gguf not found; run scripts/setup.sh to download it, or pass --model PATH")
        #expect(failure(try RunPlan(texts: ["/nonexistent/text.txt"], configurations: [])) == "text file /nonexistent/text.txt not found")
        #expect(throws: HarnessError.self) { try RunPlan(texts: ["a.txt"], configurations: [], window: 64, prefix: 63) }
        #expect(throws: HarnessError.self) { try RunPlan(texts: ["a.txt"], configurations: ["q8_0", "q8_0"]) }
    }
}
