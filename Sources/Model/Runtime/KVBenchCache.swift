import Foundation

/// The one definition of where KVBench caches files it can rebuild (the model, the corpora and,
/// from the Harness layer, derived state), matching `scripts/*.sh`: an empty environment
/// variable counts as unset, as `${VAR:-default}` does in the scripts.
public enum KVBenchCache {
    /// `$XDG_CACHE_HOME/kvbench`, else `~/.cache/kvbench`.
    public static var root: String {
        (variable("XDG_CACHE_HOME") ?? NSHomeDirectory() + "/.cache") + "/kvbench"
    }

    /// The model folder filled by `scripts/fetch-model.sh` (`KVBENCH_MODEL_DIR` overrides).
    public static var models: String { folder("KVBENCH_MODEL_DIR", default: "models") }

    /// The corpora folder filled by `scripts/build-corpora.sh` (`KVBENCH_TEXT_DIR` overrides).
    public static var texts: String { folder("KVBENCH_TEXT_DIR", default: "texts") }

    /// The environment variable `overriding` when set and non-empty, else `root/name`.
    public static func folder(_ overriding: String, default name: String) -> String {
        variable(overriding) ?? root + "/" + name
    }

    /// The value of environment variable `name`, `nil` when unset or empty.
    private static func variable(_ name: String) -> String? {
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else { return nil }
        return value
    }
}
