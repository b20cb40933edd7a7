/// `kvbench ppl`: not implemented yet.
enum PplCommand {
    static let usage = "ppl [--model PATH] --text FILE [--window 512] [--json]"
    static func run(_ arguments: inout Arguments) throws -> Int32 {
        throw UsageError("'ppl' is not implemented yet")
    }
}
