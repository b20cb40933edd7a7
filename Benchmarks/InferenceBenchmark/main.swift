// Inference speed of the core on the real model: prefill (windows of 512, all logits, as for
// perplexity), greedy decoding, the harness's chunked continuation, and peak memory; each
// compared with the peers measured on this machine kind (llama.cpp, PyTorch fp32).
//
// usage: InferenceBenchmark [--model PATH] [--text FILE] [--windows N] [--threads N]
import Foundation
import LinearAlgebra
import Model

BLASRuntime.ensureOptimalCore()

/// Peer speeds in tokens/s, from ../shared/reference/smollm2-llamacpp.json (`speed`).
enum Peers {
    static let llamaCppPrefill = 222.3
    static let llamaCppDecode = 154.7
    static let pytorchPrefill = 669.4
    static let pytorchDecode = 32.0
}

struct Options {
    var model: String?
    var text: String?
    var windows = 4
    var threads = 2

    init(_ argv: [String]) throws {
        var rest = argv[...]
        while let flag = rest.popFirst() {
            guard let value = rest.popFirst() else { throw ModelError("\(flag) needs a value") }
            switch flag {
            case "--model": model = value
            case "--text": text = value
            case "--windows": windows = try Options.positive(flag, value)
            case "--threads": threads = try Options.positive(flag, value)
            default: throw ModelError("unknown option \(flag)")
            }
        }
    }

    static func positive(_ flag: String, _ value: String) throws -> Int {
        guard let n = Int(value), n > 0 else { throw ModelError("\(flag) must be a positive integer, got '\(value)'") }
        return n
    }
}

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = ContinuousClock.now
    try body()
    let d = start.duration(to: .now)
    return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
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

/// sgemm throughput right now at a prefill shape (`[512 × 576]·[576 × 1536]`), in GFLOP/s:
/// the ceiling prefill runs against, measured beside it because a shared machine's varies.
func sgemmProbe() -> Double {
    let m = 512, k = 576, n = 1536
    var generator = SeededGenerator(seed: 1)
    let a = generator.gaussianMatrix(rows: m, cols: k), b = generator.gaussianMatrix(rows: k, cols: n)
    var c = Matrix(rows: m, cols: n)
    var reps = 0
    let elapsed = seconds {
        while reps < 20 {
            matmulAccumulate(a, b, into: &c, beta: 0)
            reps += 1
        }
    }
    return 2 * Double(m * n * k * reps) / elapsed / 1e9
}

/// Read bandwidth right now, in GB/s, measured as decoding reads weights: one streaming
/// matrix–vector product over `bytes` of matrix (best of three), the ceiling decoding runs against.
func bandwidthProbe(bytes: Int, threads: Int) -> Double {
    let cols = 576, rows = bytes / 4 / cols
    let matrix = [Float](repeating: 1, count: rows * cols), x = [Float](repeating: 1, count: cols)
    var y = [Float](repeating: 0, count: rows)
    var best = Double.infinity
    for _ in 0 ..< 3 {
        best = min(best, seconds {
            matrix.withUnsafeBufferPointer { w in
                x.withUnsafeBufferPointer { x in
                    y.withUnsafeMutableBufferPointer { y in
                        BLAS.streamingGEMV(w.baseAddress!, rows: rows, cols: cols, x: x.baseAddress!,
                                           into: y.baseAddress!, threads: threads)
                    }
                }
            }
        })
    }
    return Double(rows * cols * 4) / best / 1e9
}

func row(_ name: String, _ value: Double, _ unit: String, _ peers: String) {
    print(name.padding(toLength: 34, withPad: " ", startingAt: 0)
          + String(format: "%10.1f ", value) + unit.padding(toLength: 10, withPad: " ", startingAt: 0) + peers)
}

func ratio(_ value: Double, _ peer: Double, _ name: String) -> String {
    String(format: "%.2f× ", value / peer) + name
}

do {
    let options = try Options(Array(CommandLine.arguments.dropFirst()))
    try BLASRuntime.configureThreads(requested: options.threads)
    let modelPath = try ModelLocator.resolve(options.model)
    let textFolder = ProcessInfo.processInfo.environment["KVBENCH_TEXT_DIR"] ?? NSHomeDirectory() + "/.cache/kvbench/texts"
    let textPath = options.text ?? textFolder + "/kjv_60k.txt"
    let gguf = try GGUFFile(path: modelPath)
    let tokenizer = try Tokenizer(gguf: gguf)
    let tokens = tokenizer.encode(try TextFile.read(textPath))
    var model: LlamaModel!
    let loadSeconds = try seconds { model = try LlamaModel(gguf: gguf) }
    print("model \(modelPath) loaded in \(String(format: "%.2f", loadSeconds)) s; BLAS core \(BLASRuntime.coreDescription), \(BLASRuntime.threads) threads")

    // Prefill: one warm-up window, then `windows` windows as perplexity runs them.
    _ = try Perplexity.evaluate(model: model, tokens: tokens, window: 512, maxWindows: 1)
    let sgemmBefore = sgemmProbe()
    var cpu = cpuSeconds()
    let prefill = try Perplexity.evaluate(model: model, tokens: tokens, window: 512, maxWindows: options.windows)
    let prefillShare = (cpuSeconds() - cpu) / prefill.seconds / Double(BLASRuntime.threads)
    let sgemm = (sgemmBefore + sgemmProbe()) / 2

    // Decode: 128 greedy tokens after an 11-token prompt (as the llama.cpp figure).
    let prompt = Array(tokens.prefix(11))
    cpu = cpuSeconds()
    var decodeSeconds = 0.0
    let promptSeconds = try seconds {
        _ = try model.forward(tokens: prompt, startPosition: 0, cache: ExactCache(config: model.config, capacity: 11), logits: .last)
    }
    decodeSeconds = try seconds { _ = try GreedyDecoder.generate(model: model, prompt: prompt, count: 128) } - promptSeconds
    let decodeShare = (cpuSeconds() - cpu) / (decodeSeconds + 2 * promptSeconds) / Double(BLASRuntime.threads)

    // Harness-style continuation: a 768-token prefix, then chunks of 64 up to 1024, all logits.
    let cache = ExactCache(config: model.config, capacity: 1024)
    _ = try model.forward(tokens: Array(tokens.prefix(768)), startPosition: 0, cache: cache, logits: .none)
    let chunkSeconds = try seconds {
        for start in stride(from: 768, to: 1024, by: 64) {
            _ = try model.forward(tokens: Array(tokens[start ..< start + 64]), startPosition: start, cache: cache, logits: .all)
        }
    }

    let peakMB = Double(resourceUsage().ru_maxrss) / 1024  // ru_maxrss is in KiB on Linux

    // The machine's ceilings right now, to read the figures on a shared machine: prefill is
    // sgemm-bound, decoding bandwidth-bound (every f32 weight read once per token). The
    // bandwidth probe allocates as much as the weights, so it runs after peak memory is read.
    let c = model.config
    let linearFlops = 2.0 * Double(c.layers * c.modelDim * (2 * c.queryWidth + 2 * c.kvWidth + 3 * c.ffnDim)
        + c.vocabularySize * c.modelDim)
    let weightBytes = 4.0 * Double(c.layers * c.modelDim * (2 * c.queryWidth + 2 * c.kvWidth + 3 * c.ffnDim)
        + c.vocabularySize * c.modelDim)
    let bandwidth = bandwidthProbe(bytes: Int(weightBytes), threads: BLASRuntime.threads)

    let decodeRate = 127 / decodeSeconds  // 128 tokens: the first comes from the prompt's logits
    print("")
    row("prefill (window 512, all logits)", prefill.tokensPerSecond, "tokens/s",
        ratio(prefill.tokensPerSecond, Peers.llamaCppPrefill, "llama.cpp") + ", " + ratio(prefill.tokensPerSecond, Peers.pytorchPrefill, "PyTorch fp32"))
    row("decode (greedy, 128 tokens)", decodeRate, "tokens/s",
        ratio(decodeRate, Peers.llamaCppDecode, "llama.cpp") + ", " + ratio(decodeRate, Peers.pytorchDecode, "PyTorch fp32"))
    row("continuation (chunks of 64 @768)", 256 / chunkSeconds, "tokens/s", "")
    row("peak memory (max RSS)", peakMB, "MB", "")
    print(String(format: "\nCPU share of %d threads: prefill %.0f%%, decode %.0f%% (below 100%%: the machine was busy)",
                 BLASRuntime.threads, 100 * prefillShare, 100 * decodeShare))
    let prefillShareOfSgemm = prefill.tokensPerSecond * linearFlops / 1e9 / sgemm
    let decodeShareOfBandwidth = decodeRate * weightBytes / 1e9 / bandwidth
    print(String(format: "ceilings now: sgemm %.0f GFLOP/s (around prefill), read bandwidth %.1f GB/s", sgemm, bandwidth))
    print(String(format: "prefill runs its products at %.0f%% of that sgemm rate (%.0f MFLOP/token in linear layers);"
                 + " at the idle machine's ≈280 GFLOP/s that is ≈%.0f tokens/s",
                 100 * prefillShareOfSgemm, linearFlops / 1e6, prefillShareOfSgemm * 280e9 / linearFlops))
    print(String(format: "decode reads its %.0f MB of weights at %.0f%% of that bandwidth;"
                 + " at the idle machine's ≈28 GB/s that is ≈%.0f tokens/s",
                 weightBytes / 1e6, 100 * decodeShareOfBandwidth, decodeShareOfBandwidth * 28e9 / weightBytes))
    print(String(format: "prefill perplexity check: %.4f over %d windows", prefill.perplexity, prefill.windows))
} catch {
    FileHandle.standardError.write("InferenceBenchmark: error: \(error)\n".data(using: .utf8)!)
    exit(1)
}
