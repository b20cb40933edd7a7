import Foundation

/// The SHA-256 of the running executable, part of the shared-state cache key and of a run's
/// identity: a compressor's code may change without its id or options changing, and a state
/// cached or a unit checkpointed by an older build must then not be reused. Hashed once per file
/// version (`FileDigest` remembers it).
enum BuildIdentity {
    static let sha256: String = {
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
        return (try? FileDigest.sha256(ofFileAt: executable)) ?? "unknown-build"
    }()
}
