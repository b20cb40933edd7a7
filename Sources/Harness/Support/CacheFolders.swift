import Foundation
import Model

/// Where KVBench keeps files it can rebuild: the corpora and derived compressor state (the model
/// folder is `ModelLocator.defaultFolder`). Built on `KVBenchCache`, in the Model layer.
/// Each folder can be overridden by a non-empty environment variable, as `scripts/setup.sh` does.
public enum CacheFolders {
    /// `$XDG_CACHE_HOME/kvbench` or `~/.cache/kvbench`.
    public static var root: String { KVBenchCache.root }

    /// The corpora folder filled by `scripts/build-corpora.sh` (`KVBENCH_TEXT_DIR` overrides).
    public static var texts: String { KVBenchCache.texts }

    /// Cached compressor shared state and file digests (`KVBENCH_STATE_DIR` overrides).
    public static var state: String { KVBenchCache.folder("KVBENCH_STATE_DIR", default: "state") }
}
