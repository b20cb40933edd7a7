/// `kvbench generate`: not implemented yet.
enum GenerateCommand {
    static let usage = "generate [--model PATH] --prompt TEXT [-n 64]"
    static func run(_ arguments: inout Arguments) throws -> Int32 {
        throw UsageError("'generate' is not implemented yet")
    }
}
