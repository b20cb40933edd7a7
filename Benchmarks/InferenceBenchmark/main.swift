// Inference speed of the core on the real model: prefill (windows of 512, all logits, as for
// perplexity), greedy decoding, the harness's chunked continuation, and peak memory. Each figure
// is read against what this machine can do right now (an sgemm and a bandwidth probe in the
// same run) and, when the peer file is there, against the peers measured on this machine kind.
//
// usage: InferenceBenchmark [--model PATH] [--text FILE] [--windows N] [--threads N] [--peers FILE]
import BenchmarkSupport
import Foundation
import LinearAlgebra
import Model

BLASRuntime.ensureOptimalCore()

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = ContinuousClock.now
    try body()
    return start.secondsElapsed
}

func resourceUsage() -> rusage {
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    return usage
}

/// CPU seconds (user + system) this process has used: against wall time, shows how much of the
/// machine the benchmark really had.
func cpuSeconds() -> Double {
    let usage = resourceUsage()
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) * 1e-6
}

func row(_ name: String, _ value: Double, _ unit: String, _ peers: String) {
    print(name.padding(toLength: 34, withPad: " ", startingAt: 0)
          + String(format: "%10.1f ", value) + unit.padding(toLength: 10, withPad: " ", startingAt: 0) + peers)
}

func ratios(_ value: Double, _ peers: [(String, Double)]) -> String {
    peers.map { String(format: "%.2f× %@", value / $0.1, $0.0) }.joined(separator: ", ")
}

do {
    let options = try BenchmarkOptions(Array(CommandLine.arguments.dropFirst()), defaultWindows: 6)
    try BLASRuntime.configureThreads(requested: options.threads)
    let workers = BLASRuntime.threads
    let peers = PeerSpeeds.load(options.peers)?.speed
    let modelPath = try ModelLocator.resolve(options.model)
    let textPath = options.text ?? KVBenchCache.texts + "/kjv_60k.txt"
    let gguf = try GGUFFile(path: modelPath)
    let tokenizer = try Tokenizer(gguf: gguf)
    let tokens = tokenizer.encode(try TextFile.read(textPath))
    var model: LlamaModel!
    let loadSeconds = try seconds { model = try LlamaModel(gguf: gguf) }
    print("model \(modelPath) loaded in \(String(format: "%.2f", loadSeconds)) s; BLAS core \(BLASRuntime.coreDescription), \(workers) threads")
    if peers == nil { print("(no peer file at \(options.peers): peer ratios left out)") }

    // Prefill: a warm-up, then `windows` windows as perplexity runs them (one per worker at once).
    _ = try Perplexity.evaluate(model: model, tokens: tokens, window: 512, maxWindows: workers)
    let sgemmBefore = try ThroughputProbe.sgemmGFLOPS(workers: workers)
    var cpu = cpuSeconds()
    let prefill = try Perplexity.evaluate(model: model, tokens: tokens, window: 512, maxWindows: options.windows)
    let prefillShare = (cpuSeconds() - cpu) / prefill.seconds / Double(workers)
    let sgemm = (sgemmBefore + (try ThroughputProbe.sgemmGFLOPS(workers: workers))) / 2

    // Decode: 128 greedy tokens after an 11-token prompt (as the llama.cpp figure).
    let prompt = Array(tokens.prefix(11))
    cpu = cpuSeconds()
    var decodeSeconds = 0.0
    let promptSeconds = try seconds {
        _ = try model.forward(tokens: prompt, startPosition: 0, cache: ExactCache(config: model.config, capacity: 11), logits: .last)
    }
    decodeSeconds = try seconds { _ = try GreedyDecoder.generate(model: model, prompt: prompt, count: 128) } - promptSeconds
    let decodeShare = (cpuSeconds() - cpu) / (decodeSeconds + 2 * promptSeconds) / Double(workers)

    // Harness-style continuation of one window: a 768-token prefix, then chunks of 64 up to 1024,
    // all logits (one sequence, so the products use every BLAS thread).
    let cache = ExactCache(config: model.config, capacity: 1024)
    _ = try model.forward(tokens: Array(tokens.prefix(768)), startPosition: 0, cache: cache, logits: .none)
    let chunkSeconds = try seconds {
        for start in stride(from: 768, to: 1024, by: 64) {
            _ = try model.forward(tokens: Array(tokens[start ..< start + 64]), startPosition: start, cache: cache, logits: .all)
        }
    }

    let peakMB = Double(resourceUsage().ru_maxrss) / 1024  // ru_maxrss is in KiB on Linux

    // Work per token: prefill is sgemm-bound, decoding bandwidth-bound (every f32 weight read
    // once per token). The bandwidth probe allocates as much as the weights, so it runs after
    // peak memory is read.
    let c = model.config
    let linearWeights = Double(c.linearWeightCount)
    // Causal attention over a 512 window: Q·Kᵀ and P·V, each 2·headDim FLOP per (query head, key), ≈ 256.5 keys on average.
    let attentionFlops = Double(c.layers * c.heads) * 4 * Double(c.headDim) * 513 / 2
    let prefillFlops = 2 * linearWeights + attentionFlops
    let weightBytes = 4 * linearWeights
    let bandwidth = ThroughputProbe.readBandwidthGBps(bytes: Int(weightBytes), threads: workers)

    let decodeRate = 127 / decodeSeconds  // 128 tokens: the first comes from the prompt's logits
    print("")
    row("prefill (window 512, all logits)", prefill.tokensPerSecond, "tokens/s",
        peers.map { ratios(prefill.tokensPerSecond, [("llama.cpp", $0.prefill_tokens_per_second), ("PyTorch fp32", $0.pytorch_fp32_prefill_tokens_per_second)]) } ?? "")
    row("decode (greedy, 128 tokens)", decodeRate, "tokens/s",
        peers.map { ratios(decodeRate, [("llama.cpp", $0.decode_tokens_per_second), ("PyTorch fp32", $0.pytorch_fp32_decode_tokens_per_second)]) } ?? "")
    row("continuation (chunks of 64 @768)", 256 / chunkSeconds, "tokens/s", "")
    row("peak memory (max RSS)", peakMB, "MB", "")
    print(String(format: "\nCPU share of %d threads: prefill %.0f%%, decode %.0f%% (below 100%%: the machine was busy)",
                 workers, 100 * prefillShare, 100 * decodeShare))
    let sgemmBound = sgemm * 1e9 / prefillFlops
    print(String(format: "ceilings now: sgemm %.0f GFLOP/s (%d single-threaded products at once), read bandwidth %.1f GB/s",
                 sgemm, workers, bandwidth))
    print(String(format: "prefill does %.0f MFLOP/token (%.0f in linear layers): at the sgemm rate alone that is %.0f tokens/s;"
                 + " prefill reaches %.0f%% of it", prefillFlops / 1e6, 2 * linearWeights / 1e6, sgemmBound,
                 100 * prefill.tokensPerSecond / sgemmBound))
    if let peers {
        print(String(format: "PyTorch fp32's %.0f tokens/s would be %.0f%% of that bound on this machine now",
                     peers.pytorch_fp32_prefill_tokens_per_second, 100 * peers.pytorch_fp32_prefill_tokens_per_second / sgemmBound))
    }
    print(String(format: "decode reads its %.0f MB of weights at %.0f%% of that bandwidth",
                 weightBytes / 1e6, 100 * decodeRate * weightBytes / 1e9 / bandwidth))
    print(String(format: "prefill perplexity check: %.4f over %d windows", prefill.perplexity, prefill.windows))
} catch {
    FileHandle.standardError.write("InferenceBenchmark: error: \(error)\n".data(using: .utf8)!)
    exit(1)
}
