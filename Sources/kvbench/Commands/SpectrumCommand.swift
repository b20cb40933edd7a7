/// `kvbench spectrum`: not implemented yet.
enum SpectrumCommand {
    static let usage = "spectrum [--model PATH] [--text FILE | --suite FILE] [--context 512] [--unit query|kv] [--keys post-rope|pre-rope] [--centering full|causal] [--windows K] [--json] [--out DIR]"
    static func run(_ arguments: inout Arguments) throws -> Int32 {
        throw UsageError("'spectrum' is not implemented yet")
    }
}
