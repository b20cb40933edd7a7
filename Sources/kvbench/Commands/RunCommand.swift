/// `kvbench run`: not implemented yet.
enum RunCommand {
    static let usage = "run [--suite FILE] [--compressor SPEC]... [--text FILE]... [--window W] [--prefix P] [--chunk C] [--max-windows N] [--out FILE] [--resume] [--shard i/N] [--json] [--quiet]"
    static func run(_ arguments: inout Arguments) throws -> Int32 {
        throw UsageError("'run' is not implemented yet")
    }
}
