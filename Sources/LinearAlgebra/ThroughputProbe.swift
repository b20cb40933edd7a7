import Foundation

/// What this machine can do right now, measured the way the forward pass uses it: the ceilings a
/// benchmark reads its own figures against. A shared machine's ceilings move from minute to
/// minute, so a benchmark measures them in the same run as what it reports (as ratios), never
/// against a figure written down elsewhere.
public enum ThroughputProbe {
    /// sgemm throughput in GFLOP/s at a prefill shape (`[512 × 576]·[576 × 1536]`: a 512-token
    /// window against a SmolLM2-sized weight), with one single-threaded product per worker, all running at once: the
    /// arrangement `ParallelJobs` gives windows. Twenty products per worker.
    public static func sgemmGFLOPS(workers: Int) throws -> Double {
        let m = 512, k = 576, n = 1536, reps = 20
        var generator = SeededGenerator(seed: 1)
        let a = generator.gaussianMatrix(rows: m, cols: k), b = generator.gaussianMatrix(rows: k, cols: n)
        var outputs = (0 ..< workers).map { _ in Matrix(rows: m, cols: n) }
        let start = ContinuousClock.now
        try outputs.withUnsafeMutableBufferPointer { outputs in
            try ParallelJobs.run(jobs: workers, workers: workers) { _, job in
                for _ in 0 ..< reps { matmulAccumulate(a, b, into: &outputs[job], beta: 0) }
            }
        }
        return 2 * Double(m * n * k * reps * workers) / start.secondsElapsed / 1e9
    }

    /// Read bandwidth in GB/s as decoding reads weights: the best of three streaming
    /// matrix–vector products over `bytes` of matrix on `threads` threads. Allocates `bytes`.
    public static func readBandwidthGBps(bytes: Int, threads: Int) -> Double {
        let cols = 576, rows = bytes / 4 / cols
        let matrix = [Float](repeating: 1, count: rows * cols), x = [Float](repeating: 1, count: cols)
        var y = [Float](repeating: 0, count: rows)
        var best = Double.infinity
        for _ in 0 ..< 3 {
            let start = ContinuousClock.now
            matrix.withUnsafeBufferPointer { w in
                x.withUnsafeBufferPointer { x in
                    y.withUnsafeMutableBufferPointer { y in
                        BLAS.streamingGEMV(w.baseAddress!, rows: rows, cols: cols, x: x.baseAddress!,
                                           into: y.baseAddress!, threads: threads)
                    }
                }
            }
            best = min(best, start.secondsElapsed)
        }
        return Double(rows * cols * 4) / best / 1e9
    }
}
