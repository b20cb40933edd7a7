import Dispatch
import Foundation

/// Independent jobs spread over worker threads, each running OpenBLAS single-threaded: the
/// coarse level of parallelism for work that splits into whole windows or units.
///
/// Why: a 2-core machine runs two single-threaded products at the full per-core sgemm rate, while
/// one product split over two OpenBLAS threads loses time to packing twice and to the threads'
/// spin-waits, and leaves everything between products (softmax, norms, scoring) on one core.
/// Measured on SmolLM2-135M prefill: one window per core gives ≈ 15% more tokens/s than one
/// window at a time on two OpenBLAS threads.
public enum ParallelJobs {
    /// Runs `body(worker, job)` for every job in `0 ..< jobs` on `workers` threads at once
    /// (`worker` in `0 ..< workers` names the thread, so that each can own scratch state).
    /// Jobs are handed out in order as workers free up. After a job throws no new job starts, and
    /// the error of the lowest-numbered failed job is rethrown once every worker has stopped.
    /// With `workers == 1` (or one job) it is a plain loop on the calling thread.
    public static func run(jobs: Int, workers: Int, _ body: (_ worker: Int, _ job: Int) throws -> Void) throws {
        let threads = max(1, min(workers, jobs))
        guard threads > 1 else {
            for job in 0 ..< jobs { try body(0, job) }
            return
        }
        let lock = NSLock()
        var next = 0
        var failure: (job: Int, error: Error)?
        func take() -> Int? {
            lock.lock()
            defer { lock.unlock() }
            guard failure == nil, next < jobs else { return nil }
            next += 1
            return next - 1
        }
        BLASRuntime.singleThreaded {
            DispatchQueue.concurrentPerform(iterations: threads) { worker in
                // Each worker thread is inside the region too (what `BLASRuntime.threads` reports).
                BLASRuntime.singleThreaded {
                    while let job = take() {
                        do { try body(worker, job) } catch {
                            lock.lock()
                            if failure.map({ job < $0.job }) ?? true { failure = (job, error) }
                            lock.unlock()
                        }
                    }
                }
            }
        }
        if let failure { throw failure.error }
    }

    /// `[body(0), body(1), …, body(count − 1)]`, computed by `run(jobs:workers:_:)` (so with the
    /// same threading and error rules), in index order.
    public static func map<T>(count: Int, workers: Int, _ body: (_ job: Int) throws -> T) throws -> [T] {
        var results = [T?](repeating: nil, count: count)
        try results.withUnsafeMutableBufferPointer { slots in
            try run(jobs: count, workers: workers) { _, job in slots[job] = try body(job) }
        }
        return results.map { $0! }
    }
}
