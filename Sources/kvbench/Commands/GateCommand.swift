/// `kvbench gate`: not implemented yet.
enum GateCommand {
    static let usage = "gate --baseline FILE [--results FILE] [--json]"
    static func run(_ arguments: inout Arguments) throws -> Int32 {
        throw UsageError("'gate' is not implemented yet")
    }
}
