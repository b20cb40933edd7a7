/// `kvbench list`: not implemented yet.
enum ListCommand {
    static let usage = "list [--json]"
    static func run(_ arguments: inout Arguments) throws -> Int32 {
        throw UsageError("'list' is not implemented yet")
    }
}
