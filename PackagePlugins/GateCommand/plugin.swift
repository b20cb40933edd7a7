import PackagePlugin

/// `swift package kvbench-gate [--baseline FILE] [--results FILE] [--json]`: runs `kvbench gate`
/// (default baseline: `baselines/quick.json`) and exits with its code: 0 pass, 1 could not run,
/// 2 regression, 4 improvement only, 5 baseline not found or from another model.
@main
struct GateCommandPlugin: CommandPlugin {
    func performCommand(context: PluginContext, arguments: [String]) async throws {
        let withBaseline = arguments.contains("--baseline") ? arguments : ["--baseline", "baselines/quick.json"] + arguments
        try KVBenchTool.run("gate", arguments: withBaseline, context: context, packageManager: packageManager)
    }
}
