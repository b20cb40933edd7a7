import Foundation

/// Where KVBench keeps files it can rebuild: the corpora and derived compressor state (the model
/// folder is `ModelLocator.defaultFolder`, in the Model layer).
/// Each folder can be overridden by an environment variable, as `scripts/setup.sh` does.
public enum CacheFolders {
    /// `$XDG_CACHE_HOME/kvbench` or `~/.cache/kvbench`.
    public static var root: String {
        let environment = ProcessInfo.processInfo.environment
        let base = environment["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (NSHomeDirectory() + "/.cache")
        return base + "/kvbench"
    }

    /// The corpora folder filled by `scripts/build-corpora.sh` (`KVBENCH_TEXT_DIR` overrides).
    public static var texts: String { folder("KVBENCH_TEXT_DIR", default: "texts") }

    /// Cached compressor shared state and file digests (`KVBENCH_STATE_DIR` overrides).
    public static var state: String { folder("KVBENCH_STATE_DIR", default: "state") }

    private static func folder(_ variable: String, default name: String) -> String {
        if let value = ProcessInfo.processInfo.environment[variable], !value.isEmpty { return value }
        return root + "/" + name
    }
}
