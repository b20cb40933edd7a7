/// `kvbench baseline`: not implemented yet.
enum BaselineCommand {
    static let usage = "baseline update --suite FILE [--out FILE]"
    static func run(_ arguments: inout Arguments) throws -> Int32 {
        throw UsageError("'baseline' is not implemented yet")
    }
}
