import Foundation

/// SHA-256 of files, remembered by path, size and modification time so that the model file
/// (~100 MB) is hashed once rather than at every run. The memo lives in the state cache folder.
public enum FileDigest {
    private struct Entry: Codable { var size: Int; var mtime: Double; var sha256: String }

    /// The file's SHA-256 (hex); recomputed when its size or modification time changed.
    public static func sha256(ofFileAt path: String) throws -> String {
        let attributes: [FileAttributeKey: Any]
        do { attributes = try FileManager.default.attributesOfItem(atPath: path) } catch {
            throw HarnessError("cannot read \(path): no such file")
        }
        let size = (attributes[.size] as? NSNumber)?.intValue ?? -1
        let mtime = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        let memoPath = CacheFolders.state + "/digests/" + SHA256.hex(Array(absolute.utf8)).prefix(32) + ".json"
        if let data = FileManager.default.contents(atPath: memoPath),
           let entry = try? JSONDecoder().decode(Entry.self, from: data),
           entry.size == size, entry.mtime == mtime {
            return entry.sha256
        }
        let digest = try SHA256.hex(fileAt: path)
        if let data = try? JSONEncoder().encode(Entry(size: size, mtime: mtime, sha256: digest)) {
            try? AtomicFile.write(data, to: memoPath)
        }
        return digest
    }
}
