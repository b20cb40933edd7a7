import Foundation
import LinearAlgebra

/// Runs many small, independent decompositions on all BLAS threads at once: one per worker, with
/// OpenBLAS itself single-threaded meanwhile. The spectrum's factorisations are small (512×64
/// QRs, 64×64 SVDs), where OpenBLAS's own threading only adds synchronisation — and on a busy
/// machine its spinning threads made the phase several times slower than its CPU time.
enum ParallelDecompositions {
    /// `body(i)` for every `i` in `0 ..< count`, in order; the first error thrown is rethrown.
    static func map<T>(_ count: Int, _ body: (Int) throws -> T) throws -> [T] {
        let workers = max(BLASRuntime.threads, 1)
        guard workers > 1, count > 1 else { return try (0 ..< count).map(body) }
        try BLASRuntime.configureThreads(requested: 1)
        defer { _ = try? BLASRuntime.configureThreads(requested: workers) }
        var results = [T?](repeating: nil, count: count)
        var failure: Error?
        let lock = NSLock()
        results.withUnsafeMutableBufferPointer { slots in
            let slots = slots
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                for index in stride(from: worker, to: count, by: workers) {
                    do {
                        let value = try body(index)
                        slots[index] = value
                    } catch {
                        lock.lock()
                        if failure == nil { failure = error }
                        lock.unlock()
                        return
                    }
                }
            }
        }
        if let failure { throw failure }
        return results.map { $0! }
    }
}
