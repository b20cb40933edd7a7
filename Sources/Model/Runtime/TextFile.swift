import Foundation

/// Reads the text a command evaluates or tokenizes.
public enum TextFile {
    /// The contents of `path`, which must exist, be valid UTF-8 and not be empty; a one-line
    /// error otherwise.
    public static func read(_ path: String) throws -> String {
        let expanded = (path as NSString).expandingTildeInPath
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: expanded, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw ModelError("text file \(expanded) does not exist")
        }
        guard let data = FileManager.default.contents(atPath: expanded) else {
            throw ModelError("text file \(expanded) cannot be read")
        }
        guard !data.isEmpty else { throw ModelError("text file \(expanded) is empty") }
        guard let text = String(validating: data, as: UTF8.self) else {
            throw ModelError("text file \(expanded) is not valid UTF-8")
        }
        return text
    }
}
