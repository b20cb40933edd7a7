import Foundation
import LinearAlgebra
import Testing

@Suite("OpenBLAS runtime")
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
}
