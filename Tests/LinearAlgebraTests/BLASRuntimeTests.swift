import CBLAS
import Foundation
import LinearAlgebra
import Testing

/// Serialized, and the only tests that configure the thread count: it is process-wide.
@Suite("OpenBLAS runtime", .serialized)
struct BLASRuntimeTests {
    static let avx512: Set<String> = ["sse2", "avx", "avx2", "fma", "avx512f", "avx512bw", "avx512vl", "avx512dq"]

    @Test("a generic kernel on an AVX-512 CPU is replaced by SkylakeX")
    func genericOnAVX512() {
        #expect(BLASRuntime.suggestedCoreType(coreName: "Prescott", cpuFlags: Self.avx512) == "SkylakeX")
        #expect(BLASRuntime.suggestedCoreType(coreName: "prescott", cpuFlags: Self.avx512) == "SkylakeX")
    }

    @Test("AVX-512 without all of F/BW/VL/DQ, or AVX2 alone, gives Haswell")
    func genericOnAVX2() {
        #expect(BLASRuntime.suggestedCoreType(coreName: "Prescott", cpuFlags: ["avx2", "fma", "avx512f"]) == "Haswell")
        #expect(BLASRuntime.suggestedCoreType(coreName: "Nehalem", cpuFlags: ["avx2", "fma"]) == "Haswell")
    }

    @Test("a specific kernel, or a CPU without AVX2, is left alone")
    func leftAlone() {
        for core in ["SkylakeX", "Cooperlake", "Haswell", "Zen", "SapphireRapids"] {
            #expect(BLASRuntime.suggestedCoreType(coreName: core, cpuFlags: Self.avx512) == nil)
        }
        #expect(BLASRuntime.suggestedCoreType(coreName: "Prescott", cpuFlags: ["sse2", "sse3", "avx"]) == nil)
    }

    @Test("the kernel in use is reported and threads can be set")
    func reportsCoreAndThreads() throws {
        #expect(!BLASRuntime.coreName.isEmpty)
        #expect(BLASRuntime.coreDescription.hasPrefix(BLASRuntime.coreName))
        #expect(try BLASRuntime.configureThreads(requested: 1) == 1)
        #expect(try BLASRuntime.configureThreads(requested: 2) == 2)
        #expect(throws: BLASRuntimeError.self) { try BLASRuntime.configureThreads(requested: 0) }
        #expect(BLASRuntime.singleThreaded { BLASRuntime.threads } == 1)
        #expect(BLASRuntime.threads == 2)
    }

    /// OpenBLAS's thread count is process-wide: while any region is open (on any thread) it stays
    /// at 1, and a count configured meanwhile applies when the last region closes.
    @Test("regions on several threads compose, and a count set meanwhile waits for them")
    func regionsCompose() throws {
        try BLASRuntime.configureThreads(requested: 2)
        let entered = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0), done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            BLASRuntime.singleThreaded {
                entered.signal()
                release.wait()
            }
            done.signal()
        }
        entered.wait()
        #expect(openblas_get_num_threads() == 1)
        #expect(BLASRuntime.threads == 2)   // this thread is outside the region
        try BLASRuntime.configureThreads(requested: 3)
        #expect(openblas_get_num_threads() == 1)
        BLASRuntime.singleThreaded { #expect(openblas_get_num_threads() == 1) }
        #expect(openblas_get_num_threads() == 1)   // the other region is still open
        release.signal()
        done.wait()
        // OpenBLAS itself returns to 3 once no region is open anywhere (other suites may have one).
        #expect(BLASRuntime.threads == 3)
        try BLASRuntime.configureThreads(requested: 2)
    }

    @Test("products inside the jobs run single-threaded, and the thread count is restored after")
    func singleThreadedInside() throws {
        try BLASRuntime.configureThreads(requested: 2)
        let lock = NSLock()
        var counts = Set<Int>()
        try ParallelJobs.run(jobs: 4, workers: 2) { _, _ in
            lock.lock()
            counts.insert(BLASRuntime.threads)
            lock.unlock()
        }
        #expect(counts == [1])
        #expect(BLASRuntime.threads == 2)
    }
}
