import Foundation

/// Reading and writing results documents on disk, with one-line errors a user can act on.
/// Shared by the gate, the leaderboard and merge so that every command reports a bad file the
/// same way.
public enum ResultsFile {
    /// Reads and decodes a results document (a run, a shard, or a baseline).
    /// - Throws: `ResultsFileError.notFound` when there is no file at `path`,
    ///   `ResultsFileError.malformed` when it is not a results document.
    public static func load(_ path: String) throws -> ResultsDocument {
        try decode(ResultsDocument.self, from: read(path), path: path)
    }

    /// The bytes of the file at `path`.
    public static func read(_ path: String) throws -> Data {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw ResultsFileError.notFound(path)
        }
        do { return try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw ResultsFileError.malformed(path, "cannot be read")
        }
    }

    /// Decodes `type` from `data`, turning a `DecodingError` into one line naming the JSON path.
    public static func decode<T: Decodable>(_ type: T.Type, from data: Data, path: String) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch let error as DecodingError {
            throw ResultsFileError.malformed(path, describe(error))
        } catch {
            throw ResultsFileError.malformed(path, String(describing: error))
        }
    }

    /// Writes `value` as canonical JSON, atomically (see `AtomicFile`), so a reader never sees
    /// half a file and an interrupted write leaves the old one.
    public static func write<T: Encodable>(_ value: T, to path: String) throws {
        try AtomicFile.write(encode(value), to: path)
    }

    /// The canonical JSON encoding: pretty-printed with sorted keys, ending in a newline, so that
    /// stored files diff cleanly.
    public static func encode<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(value)
        data.append(0x0A)
        return data
    }

    /// One line for a decoding error: what went wrong and where, e.g. `rows[2].nll_drift: expected a number`.
    static func describe(_ error: DecodingError) -> String {
        let (path, problem) = error.location
        let place = path.jsonPath.isEmpty ? "top level" : path.jsonPath
        switch problem {
        case .corrupted(let message):
            return path.isEmpty ? "not valid JSON" : "\(place): \(message)"
        case .missingKey:
            return "\(place): missing"
        case .typeMismatch(let type):
            return "\(place): expected \(type)"
        case .nullValue(let type):
            return "\(place): expected \(type), found null"
        case .unknown:
            return "not a results document"
        }
    }
}

/// A results file that cannot be used; the description is one line.
public enum ResultsFileError: Error, CustomStringConvertible, Equatable {
    case notFound(String)
    case malformed(String, String)

    public var description: String {
        switch self {
        case .notFound(let path): return "\(path): no such file"
        case .malformed(let path, let why): return "\(path) is not a valid results document: \(why)"
        }
    }
}
