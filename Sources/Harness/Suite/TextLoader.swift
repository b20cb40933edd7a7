import Foundation

/// A text ready to tokenize, with what provenance records about it.
public struct LoadedText: Sendable {
    /// File name as the suite names it.
    public var name: String
    public var path: String
    /// SHA-256 of the whole file.
    public var sha256: String
    /// Bytes used (after the byte range).
    public var byteCount: Int
    public var text: String
}

/// Finds, hash-checks and decodes the texts a suite pins.
public enum TextLoader {
    /// Loads `pin`: a name with a `/` is a path; a bare file name is looked up in `folder` (the
    /// corpora cache), except for an unpinned (ad-hoc) text that exists in the current folder. Missing files and changed hashes are errors that say to run setup.
    public static func load(_ pin: TextPin, folder: String = CacheFolders.texts) throws -> LoadedText {
        let path = pin.file.contains("/") || (pin.sha256 == nil && FileManager.default.fileExists(atPath: pin.file))
            ? (pin.file as NSString).expandingTildeInPath : folder + "/" + pin.file
        guard let data = FileManager.default.contents(atPath: path) else {
            if pin.sha256 != nil {
                throw HarnessError("corpus \(pin.file) not found in \(pin.file.contains("/") ? "." : folder); run scripts/setup.sh to build the corpora")
            }
            throw HarnessError("text file \(path) not found")
        }
        let bytes = [UInt8](data)
        let digest = SHA256.hex(bytes)
        if let expected = pin.sha256, expected != digest {
            throw HarnessError("corpus \(pin.file) has SHA-256 \(digest.prefix(12))…, the suite pins \(expected.prefix(12))…; run scripts/setup.sh to rebuild it")
        }
        var slice = bytes[...]
        if let range = pin.bytes {
            guard range.count == 2, range[0] >= 0, range[0] < range[1], range[1] <= bytes.count else {
                throw HarnessError("byte range \(range) is outside \(pin.file) (\(bytes.count) bytes)")
            }
            slice = bytes[range[0] ..< range[1]]
        }
        guard !slice.isEmpty else { throw HarnessError("text \(pin.file) is empty") }
        guard let text = String(validating: slice, as: UTF8.self) else {
            throw HarnessError("text \(pin.file) is not valid UTF-8")
        }
        guard text.contains(where: { !$0.isWhitespace }) else { throw HarnessError("text \(pin.file) has no content (only whitespace)") }
        return LoadedText(name: pin.file, path: path, sha256: digest, byteCount: slice.count, text: text)
    }
}
