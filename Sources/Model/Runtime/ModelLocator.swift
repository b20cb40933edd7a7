import Foundation

/// Finds the model file a command runs: the path given with `--model`, or the model that
/// `scripts/setup.sh` caches (SmolLM2-135M-Instruct, Q4_1).
public enum ModelLocator {
    /// File name of the default model in the model folder.
    public static let defaultFileName = "SmolLM2-135M-Instruct.Q4_1.gguf"

    /// The model folder: `KVBENCH_MODEL_DIR`, else `$XDG_CACHE_HOME/kvbench/models`, else
    /// `~/.cache/kvbench/models` (where `scripts/fetch-model.sh` puts the model).
    public static var defaultFolder: String { KVBenchCache.models }

    /// The default model's path: `defaultFileName` in `defaultFolder`.
    public static var defaultPath: String { defaultFolder + "/" + defaultFileName }

    /// The path of the model to load: `explicit` (tilde expanded) when given, else the default
    /// model. Throws a one-line error when the file does not exist, saying how to get it.
    public static func resolve(_ explicit: String?) throws -> String {
        if let explicit {
            let path = (explicit as NSString).expandingTildeInPath
            guard FileManager.default.fileExists(atPath: path) else { throw ModelError("model file \(path) does not exist") }
            return path
        }
        let path = defaultPath
        guard FileManager.default.fileExists(atPath: path) else {
            throw ModelError("the default model is not at \(path); run scripts/setup.sh to download it, or pass --model PATH")
        }
        return path
    }
}
