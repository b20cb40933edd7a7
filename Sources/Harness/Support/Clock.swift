import Foundation

/// Monotonic wall time in seconds, for the timings a result reports.
@inline(__always)
func monotonicSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) * 1e-9
}

/// CPU time of the calling thread in seconds: a unit's own CPU time, since units run one per
/// worker thread with single-threaded BLAS (the process clock would add the other workers').
@inline(__always)
func threadCPUSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) * 1e-9
}
