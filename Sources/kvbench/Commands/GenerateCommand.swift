import Foundation
import LinearAlgebra
import Model

/// `kvbench generate`: greedy continuation of a prompt (no chat template), printed as it is
/// decoded, to see the model is alive; the speed goes to stderr.
enum GenerateCommand {
    static let usage = "generate [--model PATH] --prompt TEXT [-n 64] [--threads N]"

    static func run(_ arguments: inout Arguments) throws -> Int32 {
        let modelPath = try ModelLocator.resolve(try arguments.value("--model"))
        guard let prompt = try arguments.value("--prompt") else { throw UsageError("generate needs --prompt TEXT") }
        let count = try arguments.int("-n", default: 64, in: 1 ... 100_000)
        let threads = try arguments.value("--threads").map(PplCommand.parseThreads)
        try arguments.finish()

        try BLASRuntime.configureThreads(requested: threads)
        let gguf = try GGUFFile(path: modelPath)
        let tokenizer = try Tokenizer(gguf: gguf)
        let promptTokens = tokenizer.encode(prompt, parseSpecial: true, addBOS: false)
        guard !promptTokens.isEmpty else { throw UsageError("--prompt is empty") }
        let model = try LlamaModel(gguf: gguf)

        FileHandle.standardOutput.write(prompt.data(using: .utf8)!)
        // Decode the growing suffix so that multi-byte characters split over tokens print whole.
        var pending: [Int32] = []
        let start = ContinuousClock.now
        let generated = try GreedyDecoder.generate(model: model, prompt: promptTokens, count: count,
                                                   stop: tokenizer.eosTokenID) { token in
            pending.append(token)
            let piece = tokenizer.decode(pending)
            if !piece.hasSuffix("\u{FFFD}") {
                FileHandle.standardOutput.write(piece.data(using: .utf8)!)
                pending.removeAll()
            }
        }
        let seconds = start.secondsElapsed
        if !pending.isEmpty { FileHandle.standardOutput.write(tokenizer.decode(pending).data(using: .utf8)!) }
        print("")
        FileHandle.standardError.write(String(
            format: "%d tokens in %.2f s (%.1f tokens/s with the prompt), %d threads, ", generated.count, seconds,
            Double(generated.count) / seconds, BLASRuntime.threads
        ).appending("BLAS core \(BLASRuntime.coreDescription)\n").data(using: .utf8)!)
        return 0
    }
}
