import PackagePlugin

/// `swift package leaderboard [RESULTS...] [--format md|csv|json|html] [--out FILE]`: runs
/// `kvbench leaderboard`; without arguments it ranks `results/default.json`, what
/// `scripts/main.sh` writes.
@main
struct LeaderboardCommandPlugin: CommandPlugin {
    func performCommand(context: PluginContext, arguments: [String]) async throws {
        try KVBenchTool.run("leaderboard", arguments: arguments.isEmpty ? ["results/default.json"] : arguments,
                            context: context, packageManager: packageManager)
    }
}
