/// `kvbench merge`: not implemented yet.
enum MergeCommand {
    static let usage = "merge PARTS... --out FILE"
    static func run(_ arguments: inout Arguments) throws -> Int32 {
        throw UsageError("'merge' is not implemented yet")
    }
}
