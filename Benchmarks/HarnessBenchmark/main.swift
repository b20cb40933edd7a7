// The evaluation harness's speed on the protocol kvpress was timed with (issue 4): windows of 512
// tokens of kjv_60k.txt, the first 256 compressed, the next 256 scored in one chunk, 12 windows.
// Reports seconds per configuration once the shared prefixes are computed, against the kvpress
// peer and against the sgemm-only bound measured in the same run.
//
// usage: HarnessBenchmark [--model PATH] [--text FILE] [--windows N] [--threads N] [--peers FILE]
//                         [--compressor SPEC]...
import BenchmarkSupport
import Foundation
import Harness
import LinearAlgebra
import Model

BLASRuntime.ensureOptimalCore()

do {
    let options = try BenchmarkOptions(Array(CommandLine.arguments.dropFirst()), defaultWindows: 12,
                                       repeatable: ["--compressor"])
    let compressors = options.repeated["--compressor"] ?? ["q8_0", "online-svd:ratio=4"]
    try BLASRuntime.configureThreads(requested: options.threads)
    let workers = BLASRuntime.threads
    let window = 512, prefix = 256
    let modelPath = try ModelLocator.resolve(options.model)
    let text = options.text ?? CacheFolders.texts + "/kjv_60k.txt"
    let plan = try RunPlan(texts: [text], configurations: compressors, modelPath: modelPath, window: window,
                           prefix: prefix, chunk: window - prefix, maxWindows: options.windows)
    let config = try LlamaConfig(gguf: GGUFFile(path: modelPath))
    let peer = PeerSpeeds.load(options.peers)

    let sgemmBefore = try ThroughputProbe.sgemmGFLOPS(workers: workers)
    let evaluation = Evaluation(plan: plan)
    let document = try evaluation.run(output: nil)
    let sgemm = (sgemmBefore + (try ThroughputProbe.sgemmGFLOPS(workers: workers))) / 2

    // Work per continuation token: every linear layer and the output head, plus attention of a
    // query to on average P + (C + 1)/2 keys (Q·Kᵀ and P·V, 2·headDim FLOP each per key and head).
    let linear = 2 * Double(config.linearWeightCount)
    let meanKeys = Double(prefix) + Double(window - prefix + 1) / 2
    let perToken = linear + Double(config.layers * config.heads) * 4 * Double(config.headDim) * meanKeys
    let tokens = Double(document.provenance.windows * (window - prefix))
    let boundSeconds = tokens * perToken / (sgemm * 1e9)

    print("BLAS core \(BLASRuntime.coreDescription), \(workers) threads, \(document.provenance.windows) windows of \(window) (prefix \(prefix), one chunk of \(window - prefix))")
    if peer == nil { print("(no peer file at \(options.peers): kvpress ratios left out)") }
    print("")
    print("configuration".padding(toLength: 22, withPad: " ", startingAt: 0) + "  s/config  vs kvpress  share of sgemm bound")
    for row in document.rows {
        guard let rate = row.tokensPerSecond, rate > 0 else {
            print(row.id.padding(toLength: 22, withPad: " ", startingAt: 0) + "  \(row.status)")
            continue
        }
        // Units run one window per worker at once; a row's rate is one worker's.
        let seconds = tokens / rate / Double(workers)
        let versusPeer = peer.map { String(format: "%8.2f×", $0.kvpress_seconds_per_configuration / seconds) } ?? "        -"
        print(row.id.padding(toLength: 22, withPad: " ", startingAt: 0)
              + String(format: "  %8.2f  %@  %6.0f%%", seconds, versusPeer, 100 * boundSeconds / seconds))
    }
    print("")
    print(String(format: "whole evaluation %.1f s (%.2f s per configuration with the shared prefixes)",
                 evaluation.evaluationSeconds, evaluation.evaluationSeconds / Double(document.rows.count)))
    print(String(format: "ceiling now: sgemm %.0f GFLOP/s; %.0f MFLOP per continuation token, so the products alone take %.2f s per configuration",
                 sgemm, perToken / 1e6, boundSeconds))
    if let peer {
        let target = peer.kvpress_seconds_per_configuration / 2
        print(String(format: "half of kvpress's %.1f s is %.2f s per configuration: that needs the products at %.0f%% of the sgemm rate measured now, with no time left for anything else",
                     peer.kvpress_seconds_per_configuration, target, 100 * boundSeconds / target))
    }
} catch {
    FileHandle.standardError.write("HarnessBenchmark: error: \(error)\n".data(using: .utf8)!)
    exit(1)
}
