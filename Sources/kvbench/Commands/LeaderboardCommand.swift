/// `kvbench leaderboard`: not implemented yet.
enum LeaderboardCommand {
    static let usage = "leaderboard RESULTS... [--format md|csv|json|html] [--out FILE]"
    static func run(_ arguments: inout Arguments) throws -> Int32 {
        throw UsageError("'leaderboard' is not implemented yet")
    }
}
