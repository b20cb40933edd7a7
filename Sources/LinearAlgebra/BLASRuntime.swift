import CBLAS
import Foundation

/// OpenBLAS kernel selection and threading.
///
/// Debian's OpenBLAS 0.3.21 does not recognise some recent CPUs (e.g. AMD EPYC with AVX-512) and
/// silently falls back to its generic `Prescott` kernel, about 4× slower for sgemm than the
/// `SkylakeX` kernel the CPU can run. The kernel is chosen when the library loads, before `main`,
/// so the only remedy is to set `OPENBLAS_CORETYPE` and execute the program again.
public enum BLASRuntime {
    /// Environment variable OpenBLAS reads at load time to force a kernel.
    public static let coreTypeVariable = "OPENBLAS_CORETYPE"
    /// Set by `ensureOptimalCore()` before re-executing, so that the new process neither loops
    /// nor mistakes the core type kvbench chose for the user's choice.
    public static let reexecGuardVariable = "KVBENCH_BLAS_REEXEC"

    /// Kernels that use neither AVX2 nor AVX-512: what OpenBLAS falls back to on a CPU it does not
    /// know. Lower-cased, as compared.
    static let genericCores: Set<String> = [
        "prescott", "katmai", "coppermine", "northwood", "banias", "core2", "penryn", "dunnington",
        "nehalem", "atom", "opteron", "opteron_sse3", "barcelona", "bobcat", "generic", "unknown",
    ]

    /// Who chose the kernel in use.
    public enum CoreChoice: String, Sendable {
        /// OpenBLAS's own detection (no `OPENBLAS_CORETYPE`).
        case detected
        /// `OPENBLAS_CORETYPE` was set by whoever started the process.
        case user
        /// kvbench set `OPENBLAS_CORETYPE` and re-executed itself.
        case kvbench
    }

    /// The kernel OpenBLAS is running, e.g. `SkylakeX` or `Prescott` (recorded in every result).
    public static var coreName: String {
        guard let name = openblas_get_corename() else { return "unknown" }
        return String(cString: name)
    }

    /// Whether the kernel in use came from detection, the user or kvbench's re-execution.
    public static var coreChoice: CoreChoice {
        let environment = ProcessInfo.processInfo.environment
        guard let value = environment[coreTypeVariable], !value.isEmpty else { return .detected }
        return environment[reexecGuardVariable] == value ? .kvbench : .user
    }

    /// `coreName` with how it was chosen, for provenance and the CLI's output:
    /// e.g. `SkylakeX (set by kvbench)`.
    public static var coreDescription: String {
        switch coreChoice {
        case .detected: return "\(coreName) (detected)"
        case .user: return "\(coreName) (OPENBLAS_CORETYPE set by the user)"
        case .kvbench: return "\(coreName) (set by kvbench)"
        }
    }

    /// Threads a product started on the calling thread may use: 1 inside a `singleThreaded`
    /// region (on its thread or a `ParallelJobs` worker), else the configured count.
    public static var threads: Int {
        if Thread.current.threadDictionary[regionKey] != nil { return 1 }
        threading.lock()
        defer { threading.unlock() }
        return configured
    }

    // OpenBLAS's thread count is one process-wide setting. Regions are counted so that several
    // at once (two evaluations in one process, or tests running side by side) keep it at 1 until
    // the last one ends, and a count configured meanwhile takes effect only then: a product in a
    // region is never split across threads, so its result cannot depend on what else runs.
    private static let threading = NSLock()
    private static let regionKey = "kvbench.blas.singleThreaded"
    nonisolated(unsafe) private static var configured = Int(openblas_get_num_threads())
    nonisolated(unsafe) private static var activeRegions = 0

    private static func setConfigured(_ count: Int) {
        threading.lock()
        defer { threading.unlock() }
        configured = count
        if activeRegions == 0 { openblas_set_num_threads(Int32(count)) }
    }

    /// The kernel to force for a core named `coreName` on a CPU with the `/proc/cpuinfo` flags
    /// `cpuFlags`: `SkylakeX` when a generic kernel runs on a CPU with AVX-512 F/BW/VL/DQ,
    /// `Haswell` when it runs on one with AVX2 and FMA, otherwise `nil` (keep what is running).
    public static func suggestedCoreType(coreName: String, cpuFlags: Set<String>) -> String? {
        guard genericCores.contains(coreName.lowercased()) else { return nil }
        if cpuFlags.isSuperset(of: ["avx512f", "avx512bw", "avx512vl", "avx512dq"]) { return "SkylakeX" }
        if cpuFlags.isSuperset(of: ["avx2", "fma"]) { return "Haswell" }
        return nil
    }

    /// The kernel kvbench would choose for this process and CPU, or `nil`. When kvbench already
    /// re-executed itself, the core type it set. Used by `kvbench blas-core --suggest` so that a
    /// test process, which cannot re-execute itself, can be started with the same kernel.
    public static var suggestedCoreType: String? {
        switch coreChoice {
        case .user: return nil
        case .kvbench: return ProcessInfo.processInfo.environment[coreTypeVariable]
        case .detected: return suggestedCoreType(coreName: coreName, cpuFlags: cpuFlags())
        }
    }

    /// Call first thing in an executable's `main`. When OpenBLAS runs a generic kernel on a CPU
    /// with AVX-512 or AVX2 and `OPENBLAS_CORETYPE` is unset, sets it and re-executes the
    /// program with the same arguments (`/proc/self/exe`); returns normally otherwise, and when
    /// the re-execution fails or was already tried. A core type already set is never overridden.
    public static func ensureOptimalCore() {
        #if os(Linux)
        let environment = ProcessInfo.processInfo.environment
        guard environment[coreTypeVariable] == nil, environment[reexecGuardVariable] == nil,
              let core = suggestedCoreType(coreName: coreName, cpuFlags: cpuFlags()) else { return }
        setenv(coreTypeVariable, core, 1)
        setenv(reexecGuardVariable, core, 1)
        execv("/proc/self/exe", CommandLine.unsafeArgv)
        // Only reached when exec failed: run on with the kernel already loaded.
        unsetenv(coreTypeVariable)
        unsetenv(reexecGuardVariable)
        #endif
    }

    /// Sets the number of OpenBLAS threads: `requested` (e.g. `--threads`) if given, else
    /// `KVBENCH_THREADS`, else `OPENBLAS_NUM_THREADS` is left as the user set it, else 2 (the
    /// machine kind the reference speeds come from). Returns the count in use.
    @discardableResult
    public static func configureThreads(requested: Int? = nil) throws -> Int {
        let environment = ProcessInfo.processInfo.environment
        var count = requested
        if count == nil, let raw = environment["KVBENCH_THREADS"], !raw.isEmpty {
            guard let value = Int(raw), (1 ... 1024).contains(value) else {
                throw BLASRuntimeError("KVBENCH_THREADS must be an integer in 1...1024, got '\(raw)'")
            }
            count = value
        }
        if count == nil, environment["OPENBLAS_NUM_THREADS"].map({ !$0.isEmpty }) == true { return threads }
        let chosen = count ?? 2
        guard (1 ... 1024).contains(chosen) else { throw BLASRuntimeError("thread count must be in 1...1024, got \(chosen)") }
        setConfigured(chosen)
        return threads
    }

    /// Runs `body` with OpenBLAS single-threaded and restores the configured count when the last
    /// region in the process ends: for code that runs several BLAS calls at once on its own
    /// threads (one level of parallelism), and for results that must not depend on threading.
    public static func singleThreaded<T>(_ body: () throws -> T) rethrows -> T {
        let thread = Thread.current
        guard thread.threadDictionary[regionKey] == nil else { return try body() }  // already inside one
        threading.lock()
        if activeRegions == 0 { openblas_set_num_threads(1) }
        activeRegions += 1
        threading.unlock()
        thread.threadDictionary[regionKey] = true
        defer {
            thread.threadDictionary[regionKey] = nil
            threading.lock()
            activeRegions -= 1
            if activeRegions == 0 { openblas_set_num_threads(Int32(configured)) }
            threading.unlock()
        }
        return try body()
    }

    /// The CPU feature flags the kernel reports (first `flags` line of `/proc/cpuinfo`); empty
    /// where that file does not exist.
    public static func cpuFlags() -> Set<String> {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("flags") }),
              let colon = line.firstIndex(of: ":") else { return [] }
        return Set(line[line.index(after: colon)...].split(separator: " ").map(String.init))
    }
}

/// A bad thread setting, with a one-line message.
public struct BLASRuntimeError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
