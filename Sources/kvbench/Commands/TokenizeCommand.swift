/// `kvbench tokenize`: not implemented yet.
enum TokenizeCommand {
    static let usage = "tokenize [--model PATH] --text FILE [--json]"
    static func run(_ arguments: inout Arguments) throws -> Int32 {
        throw UsageError("'tokenize' is not implemented yet")
    }
}
