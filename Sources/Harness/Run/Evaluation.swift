import Foundation
import CompressorRegistry
import KVCompression
import LinearAlgebra
import Model

/// Where a run stands, for a progress display.
public struct ProgressUpdate: Sendable {
    /// Units finished in this process, and units this process has to do.
    public var done: Int
    public var total: Int
    /// The unit just finished.
    public var window: Int
    public var configuration: String
    /// Seconds since this process started evaluating.
    public var elapsed: Double
}

/// Runs the evaluation protocol (DESIGN.md, "Evaluation protocol") for a plan: windows of `W`
/// tokens, an exact prefix of `P` tokens computed once per window and shared by every
/// configuration, then the continuation in chunks of `C` tokens through each configuration's
/// compressing cache; only continuation tokens are scored, against `identity` on the same tokens.
///
/// The compressor types are given explicitly (default: the registry), so that tests can evaluate
/// compressors that live outside `Plugins/`.
public final class Evaluation {
    public let plan: RunPlan
    private let compressors: [any KVCompressor.Type]
    private let store: SharedStateStore
    /// Called after every finished unit.
    public var onProgress: ((ProgressUpdate) -> Void)?
    /// One-line notices (resuming, cached state written, …).
    public var onNotice: ((String) -> Void)?
    /// Windows evaluated at once, each on its own thread with single-threaded BLAS; by default
    /// the OpenBLAS thread count (one window per core). The figures do not depend on it, only
    /// the wall time does.
    public var workers = BLASRuntime.threads
    /// Wall time of the last `run`'s evaluation loop (shared prefixes, every unit, scoring), in
    /// seconds: divided by the configurations, the time per configuration a peer is compared on.
    public private(set) var evaluationSeconds = 0.0

    public init(plan: RunPlan, compressors: [any KVCompressor.Type] = Registry.all,
                stateStore: SharedStateStore = SharedStateStore()) {
        self.plan = plan
        self.compressors = compressors
        self.store = stateStore
    }

    /// Evaluates every unit not already in the checkpoint beside `output` (when `resume`), writes
    /// the results document to `output` atomically, removes the checkpoint and returns the
    /// document. Without `output` nothing is written (no checkpoint either). Bad inputs throw
    /// before any unit runs; a misbehaving compressor only fails its own units.
    public func run(output: String?, resume: Bool = false) throws -> ResultsDocument {
        let types = try plan.configurations.map { try Registry.resolve($0, among: compressors) }
        guard FileManager.default.fileExists(atPath: plan.modelPath) else {
            throw HarnessError("model file \(plan.modelPath) not found; run scripts/setup.sh to download it, or pass --model PATH")
        }
        let modelSHA = try FileDigest.sha256(ofFileAt: plan.modelPath)
        if let pinned = plan.modelSHA256, pinned != modelSHA {
            throw HarnessError("model \(plan.modelPath) has SHA-256 \(modelSHA.prefix(12))…, the suite pins \(pinned.prefix(12))…; run scripts/setup.sh or pass the model the suite was written for")
        }
        let corpora = try plan.corpora.map { try TextLoader.load($0) }
        let calibrationText = try TextLoader.load(plan.calibration)
        for (pin, text) in zip(plan.corpora, corpora) where text.sha256 == calibrationText.sha256 {
            try Suite.checkDisjoint(calibration: plan.calibration, corpora: [TextPin(file: pin.file, sha256: text.sha256, bytes: pin.bytes)],
                                    source: plan.suite)
        }
        let session = try ModelSession.load(path: plan.modelPath)
        let windows = try makeWindows(corpora: corpora, session: session)
        let mine = windows.filter { plan.shard?.contains(window: $0.index) ?? true }

        var corpusProvenance: [CorpusProvenance] = []
        for (text, tokens) in zip(corpora, windows.corpusTokenCounts) {
            corpusProvenance.append(CorpusProvenance(name: text.name, sha256: text.sha256, bytes: text.byteCount, tokens: tokens))
        }
        let calibrationTokens = Array(session.tokenizer.encode(calibrationText.text).prefix(calibrationTokenBudget))
        let runID = runIdentity(modelSHA: modelSHA, corpora: corpusProvenance, calibration: calibrationText, windows: mine.map(\.index))

        // Checkpoint: finished units of an interrupted run of the same plan.
        let checkpointPath = output.map(Checkpoint.path(for:))
        var finished: [UnitResult] = []
        var date = ISO8601DateFormatter().string(from: Date())
        var gitCommit = GitCommit.current()
        var fresh = true
        if resume, let checkpointPath, let previous = try Checkpoint.read(path: checkpointPath) {
            if previous.header.run == runID {
                finished = previous.units
                date = previous.header.date
                gitCommit = previous.header.gitCommit
                fresh = false
                onNotice?("resuming: \(finished.count) finished units in \(checkpointPath)")
            } else {
                onNotice?("checkpoint \(checkpointPath) belongs to a different run; starting over")
            }
        }
        if resume, fresh, let output, let existing = try? ResultsFile.load(output),
           isComplete(existing, modelSHA: modelSHA, corpora: corpusProvenance, calibrationSHA: calibrationText.sha256, windows: mine.count) {
            onNotice?("\(output) already holds this run's results; nothing to resume")
            return existing
        }
        let checkpoint = try checkpointPath.map { try Checkpoint(path: $0, header: .init(run: runID, date: date, gitCommit: gitCommit), fresh: fresh) }
        let done = Set(finished.map { UnitKey(config: $0.config, window: $0.window) })

        let provenance = Provenance(
            suite: plan.suite, suiteSHA256: plan.suiteSHA256, modelFile: URL(fileURLWithPath: plan.modelPath).lastPathComponent,
            modelSHA256: modelSHA, corpora: corpusProvenance,
            calibration: CorpusProvenance(name: calibrationText.name, sha256: calibrationText.sha256,
                                          bytes: calibrationText.byteCount, tokens: calibrationTokens.count),
            window: plan.window, prefix: plan.prefix, chunk: plan.chunk, windows: mine.count,
            gitCommit: gitCommit, blasCore: BLASRuntime.coreName, threads: max(1, min(workers, mine.count)),
            date: date, shard: plan.shard?.description)

        let calibration = CalibrationSamples(session: session, tokens: calibrationTokens, window: plan.window)
        // What is left to do: per window, the configurations without a finished unit.
        let pending: [(window: EvaluationWindow, configurations: [Int])] = mine.compactMap { window in
            let left = plan.configurations.indices.filter { !done.contains(UnitKey(config: plan.configurations[$0].description, window: window.index)) }
            return left.isEmpty ? nil : (window, left)
        }
        let total = pending.reduce(0) { $0 + $1.configurations.count }
        // Every product of a run is single-threaded, one window per worker: a threaded BLAS
        // reduces some products (sgemv, LAPACK) in a thread-count-dependent order, and results
        // must not depend on how many cores a machine has (a baseline made on one gates a run on
        // another). Shared state first, on this thread: a worker then only reads it.
        var units = finished
        try BLASRuntime.singleThreaded {
            let prepared = pending.isEmpty ? [] : plan.configurations.indices.map { c in
                prepare(plan.configurations[c], types[c], session: session, modelSHA: modelSHA,
                        calibrationSHA: calibrationText.sha256, calibration: calibration)
            }

            // Windows are independent: one per worker, each on its own model replica. Finished
            // units are recorded under a lock, in completion order.
            let workers = max(1, min(self.workers, pending.count))
            let contexts = (0 ..< workers).map { w in
                UnitContext(session: w == 0 ? session : session.replica(), plan: plan)
            }
            let lock = NSLock()
            var completed = 0
            let started = monotonicSeconds()
            func record(_ unit: UnitResult) throws {
                lock.lock()
                defer { lock.unlock() }
                try checkpoint?.append(unit)
                units.append(unit)
                completed += 1
                onProgress?(ProgressUpdate(done: completed, total: total, window: unit.window,
                                           configuration: unit.config, elapsed: monotonicSeconds() - started))
            }
            try ParallelJobs.run(jobs: pending.count, workers: workers) { worker, job in
                let (window, left) = pending[job], context = contexts[worker]
                let prefix = try context.prefix(window.tokens)
                var reference: ReferenceDistributions?
                // identity runs even when finished: the others are scored against it.
                for c in plan.configurations.indices where c == 0 || left.contains(c) {
                    let configuration = plan.configurations[c]
                    if c > 0, reference == nil {
                        try record(UnitResult(config: configuration.description, window: window.index, status: "failed",
                                              error: "identity failed on this window"))
                        continue
                    }
                    let (unit, recorded) = context.evaluate(configuration, type: types[c], shared: prepared[c], window: window,
                                                            prefix: prefix, reference: c == 0 ? nil : reference, recordReference: c == 0)
                    if c == 0 { reference = recorded }
                    if left.contains(c) { try record(unit) }
                }
            }
            evaluationSeconds = monotonicSeconds() - started
        }

        let order = Dictionary(uniqueKeysWithValues: plan.configurations.enumerated().map { ($1.description, $0) })
        units.sort { ($0.window, order[$0.config] ?? 0) < ($1.window, order[$1.config] ?? 0) }
        let document = ResultsDocument(provenance: provenance, rows: aggregate(units), units: plan.shard == nil ? nil : units)
        if let output { try ResultsFile.write(document, to: output) }
        checkpoint?.remove()
        return document
    }

    /// Whether `document` is a finished run of this plan on these inputs (then `--resume` has
    /// nothing to do).
    private func isComplete(_ document: ResultsDocument, modelSHA: String, corpora: [CorpusProvenance],
                            calibrationSHA: String, windows: Int) -> Bool {
        let p = document.provenance
        return p.suiteSHA256 == plan.suiteSHA256 && p.modelSHA256 == modelSHA && p.corpora == corpora
            && p.calibration?.sha256 == calibrationSHA && p.window == plan.window && p.prefix == plan.prefix
            && p.chunk == plan.chunk && p.windows == windows && p.shard == plan.shard?.description
            && document.rows.map(\.id) == plan.configurations.map(\.description)
    }

    /// Calibration tokens `prepare` sees: the suite's `max_tokens`, else 4096. One value for the
    /// tokens, the shared-state key and the run identity, so the three cannot disagree.
    private var calibrationTokenBudget: Int { plan.calibration.maxTokens ?? 4096 }

    /// Shared state from the disk cache, or from `prepare` (then cached). A throwing `prepare`
    /// fails every unit of the configuration.
    private func prepare(_ configuration: CompressorConfiguration, _ type: any KVCompressor.Type, session: ModelSession,
                         modelSHA: String, calibrationSHA: String, calibration: CalibrationSamples) -> Result<SharedState, CompressorFailure> {
        let range = plan.calibration.bytes.map { "\($0)" } ?? "all"
        let key = SharedStateStore.key(["v1", BuildIdentity.sha256, String(reflecting: type), configuration.description,
                                        modelSHA, calibrationSHA, range, "\(calibrationTokenBudget)",
                                        "\(plan.window)", type.keySpace.rawValue])
        if let cached = store.load(key: key) { return .success(cached) }
        do {
            let state = try type.prepare(configuration: configuration, model: session.weights,
                                         calibration: calibration.view(keySpace: type.keySpace))
            do { try store.save(state, key: key) } catch { onNotice?("could not cache shared state: \(error)") }
            return .success(state)
        } catch {
            return .failure(CompressorFailure("prepare threw: \(String(describing: error).replacingOccurrences(of: "\n", with: " "))"))
        }
    }

    /// Non-overlapping windows of `W` tokens from the start of each corpus (a trailing partial
    /// window is dropped), at most `max_windows` per corpus, numbered across corpora in order.
    private func makeWindows(corpora: [LoadedText], session: ModelSession) throws -> Windows {
        var result = Windows()
        for (pin, text) in zip(plan.corpora, corpora) {
            let tokens = session.tokenizer.encode(text.text)
            result.corpusTokenCounts.append(tokens.count)
            let available = tokens.count / plan.window
            guard available > 0 else {
                throw HarnessError("text \(text.name) has \(tokens.count) tokens, fewer than one window of \(plan.window)")
            }
            let count = min(available, plan.maxWindows ?? pin.maxWindows ?? available)
            for w in 0 ..< count {
                result.list.append(EvaluationWindow(index: result.list.count, tokens: Array(tokens[w * plan.window ..< (w + 1) * plan.window])))
            }
        }
        return result
    }

    /// A digest of everything that determines the units, the build included: a checkpoint is
    /// resumed only by the same run of the same code (units of an older build are not mixed in).
    private func runIdentity(modelSHA: String, corpora: [CorpusProvenance], calibration: LoadedText, windows: [Int]) -> String {
        var parts = ["v1", BuildIdentity.sha256, plan.suite, plan.suiteSHA256, modelSHA, calibration.sha256, "\(plan.calibration.bytes ?? [])",
                     "\(calibrationTokenBudget)", "W=\(plan.window)", "P=\(plan.prefix)", "C=\(plan.chunk)",
                     "shard=\(plan.shard?.description ?? "-")", "windows=\(windows)"]
        parts += corpora.map { "\($0.name)=\($0.sha256)" }
        parts += plan.corpora.map { "\($0.file)=\($0.bytes ?? [])" }
        parts += plan.configurations.map(\.description)
        return SharedStateStore.key(parts)
    }
}

struct UnitKey: Hashable {
    var config: String
    var window: Int
}

/// One window of tokens, numbered across the run's corpora.
struct EvaluationWindow {
    var index: Int
    var tokens: [Int32]
}

struct Windows: Sequence {
    var list: [EvaluationWindow] = []
    var corpusTokenCounts: [Int] = []
    func makeIterator() -> IndexingIterator<[EvaluationWindow]> { list.makeIterator() }
}
