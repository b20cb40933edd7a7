import Foundation
import LinearAlgebra
import Testing

@Suite("ParallelJobs")
struct ParallelJobsTests {
    private struct JobFailed: Error, Equatable { let job: Int }

    @Test("every job runs exactly once, on a worker in range", arguments: [1, 2, 3, 8])
    func everyJobOnce(workers: Int) throws {
        let lock = NSLock()
        var seen: [Int] = [], workersSeen = Set<Int>()
        try ParallelJobs.run(jobs: 37, workers: workers) { worker, job in
            lock.lock()
            seen.append(job)
            workersSeen.insert(worker)
            lock.unlock()
        }
        #expect(seen.sorted() == Array(0 ..< 37))
        #expect(workersSeen.allSatisfy { (0 ..< workers).contains($0) })
    }

    @Test("the lowest-numbered failure is rethrown and no job starts after a failure is seen")
    func failures() {
        let lock = NSLock()
        var started: [Int] = []
        #expect(throws: JobFailed(job: 3)) {
            try ParallelJobs.run(jobs: 1000, workers: 2) { _, job in
                lock.lock()
                started.append(job)
                lock.unlock()
                if job == 3 || job == 5 { throw JobFailed(job: job) }
            }
        }
        // Each worker may have been inside one job when the failure was recorded.
        #expect(started.count < 20)
    }

    @Test("no jobs is no work")
    func noJobs() throws {
        try ParallelJobs.run(jobs: 0, workers: 2) { _, _ in Issue.record("a job ran") }
    }
}
