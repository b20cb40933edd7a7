import Foundation
import LinearAlgebra

/// A subcommand: parses its own arguments and returns the process exit code.
struct Command {
    var name: String
    var usage: String
    var run: (inout Arguments) throws -> Int32
}

let commands: [Command] = [
    Command(name: "ppl", usage: PplCommand.usage, run: PplCommand.run),
    Command(name: "tokenize", usage: TokenizeCommand.usage, run: TokenizeCommand.run),
    Command(name: "generate", usage: GenerateCommand.usage, run: GenerateCommand.run),
    Command(name: "list", usage: ListCommand.usage, run: ListCommand.run),
    Command(name: "run", usage: RunCommand.usage, run: RunCommand.run),
    Command(name: "spectrum", usage: SpectrumCommand.usage, run: SpectrumCommand.run),
    Command(name: "baseline", usage: BaselineCommand.usage, run: BaselineCommand.run),
    Command(name: "gate", usage: GateCommand.usage, run: GateCommand.run),
    Command(name: "leaderboard", usage: LeaderboardCommand.usage, run: LeaderboardCommand.run),
    Command(name: "merge", usage: MergeCommand.usage, run: MergeCommand.run),
    Command(name: "blas-core", usage: BlasCoreCommand.usage, run: BlasCoreCommand.run),
]

func printUsage() {
    var text = "usage: kvbench <command> [options]\n\ncommands:\n"
    for command in commands { text += "  \(command.usage)\n" }
    FileHandle.standardError.write(text.data(using: .utf8)!)
}

/// Prints `kvbench: error: <message>` as one line on stderr.
func reportError(_ error: Error) {
    let message = String(describing: error).replacingOccurrences(of: "\n", with: " ")
    FileHandle.standardError.write("kvbench: error: \(message)\n".data(using: .utf8)!)
}

BLASRuntime.ensureOptimalCore()

let argv = Array(CommandLine.arguments.dropFirst())
guard let name = argv.first, name != "--help", name != "-h", name != "help" else {
    printUsage()
    exit(argv.isEmpty ? 1 : 0)
}
guard let command = commands.first(where: { $0.name == name }) else {
    reportError(UsageError("unknown command '\(name)'"))
    printUsage()
    exit(1)
}
var arguments = Arguments(Array(argv.dropFirst()))
do {
    exit(try command.run(&arguments))
} catch {
    reportError(error)
    exit(1)
}
