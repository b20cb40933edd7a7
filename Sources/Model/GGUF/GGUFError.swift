/// Why a GGUF file could not be read or a tensor could not be dequantised. The description is
/// one line naming the file and the problem, so the CLI can print it as is.
public struct GGUFError: Error, CustomStringConvertible, Sendable {
    /// Path of the file the error is about.
    public let path: String
    /// What is wrong, without the path.
    public let reason: String

    public init(path: String, _ reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { "\(path): \(reason)" }
}
