import Foundation

/// The SHA-256 of the running executable, part of the shared-state cache key: a compressor's
/// `prepare` may change without its id or options changing, and a state cached by an older build
/// must then not be reused. Hashed once per file version (`FileDigest` remembers it).
enum BuildIdentity {
    static let sha256: String = {
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
        return (try? FileDigest.sha256(ofFileAt: executable)) ?? "unknown-build"
    }()
}
