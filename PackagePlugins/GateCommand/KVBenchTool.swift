import Foundation
import PackagePlugin

/// Builds the package's `kvbench` executable in release mode and runs one of its subcommands
/// with the arguments given to `swift package <verb>`, in the package folder, so that relative
/// paths (`baselines/quick.json`, `results/default.json`) mean what they mean on the command
/// line. Shared by the `kvbench-gate` and `leaderboard` command plugins (the file is linked into
/// both plugin folders).
enum KVBenchTool {
    static func run(_ subcommand: String, arguments: [String], context: PluginContext,
                    packageManager: PackagePlugin.PackageManager) throws {
        let build = try packageManager.build(.product("kvbench"), parameters: .init(configuration: .release, logging: .concise))
        guard build.succeeded else {
            Diagnostics.error("building kvbench failed:\n\(build.logText)")
            exit(1)
        }
        guard let tool = build.builtArtifacts.first(where: { $0.kind == .executable && $0.url.lastPathComponent == "kvbench" }) else {
            Diagnostics.error("the build produced no kvbench executable")
            exit(1)
        }
        let process = Process()
        process.executableURL = tool.url
        process.arguments = [subcommand] + arguments
        process.currentDirectoryURL = context.package.directoryURL
        try process.run()
        process.waitUntilExit()
        // kvbench's exit code (the gate's 0/1/2/4/5) is the plugin's.
        exit(process.terminationStatus)
    }
}
