import Foundation
import Testing
@testable import RoostAuth

@Suite("BlockingWorkPool")
struct BlockingWorkPoolTests {
    @Test func runsOnItsOwnThreads() async throws {
        let pool = BlockingWorkPool(threadCount: 2, name: "pool-test")
        defer { pool.shutdown() }
        #expect(!BlockingWorkPool.isOnPoolThread)
        #expect(try await pool.run { BlockingWorkPool.isOnPoolThread })
    }

    /// Every thread carries its pool's name as the kernel shows it (`ps`, /proc), not its creator's:
    /// a name set while Foundation's `start()` still ran was lost now and then. Each round's jobs
    /// wait for one another, so every thread of the pool answers.
    @Test func everyThreadIsNamed() async throws {
        let threads = 4
        for round in 0..<100 {
            let pool = BlockingWorkPool(threadCount: threads, name: "named-\(round % 10)")
            defer { pool.shutdown() }
            let barrier = Barrier(parties: threads)
            let names = try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<threads {
                    group.addTask {
                        try await pool.run {
                            barrier.arriveAndWait()
                            return try String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)
                                .trimmingCharacters(in: .newlines)
                        }
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(Set(names) == Set((0..<threads).map { "named-\(round % 10)-\($0)" }))
        }
    }

    /// Holds each arriving thread until `parties` have arrived.
    final class Barrier: @unchecked Sendable {
        private let condition = NSCondition()
        private var arrived = 0
        private let parties: Int

        init(parties: Int) { self.parties = parties }

        func arriveAndWait() {
            condition.lock()
            defer { condition.unlock() }
            arrived += 1
            condition.broadcast()
            while arrived < parties { condition.wait() }
        }
    }

    @Test func neverRunsMoreJobsThanThreads() async throws {
        let pool = BlockingWorkPool(threadCount: 2)
        defer { pool.shutdown() }
        let gauge = ConcurrencyGauge()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    try await pool.run {
                        gauge.enter()
                        usleep(20_000)
                        gauge.leave()
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(gauge.peak == 2)
    }

    @Test func errorsPropagate() async {
        let pool = BlockingWorkPool(threadCount: 1)
        defer { pool.shutdown() }
        await #expect(throws: SimulatedBackendError.self) {
            try await pool.run { throw SimulatedBackendError() }
        }
    }

    @Test func submissionsAfterShutdownFail() async {
        let pool = BlockingWorkPool(threadCount: 1)
        pool.shutdown()
        await #expect(throws: BlockingWorkPoolError.shutDown) {
            try await pool.run { 1 }
        }
    }

    @Test func cancelledQueuedJobIsDropped() async throws {
        let pool = BlockingWorkPool(threadCount: 1)
        defer { pool.shutdown() }
        let gate = Gate()
        // Occupy the only thread, then queue a second job and cancel it once it waits in the queue
        // (an earlier cancel would be caught before queueing, by `run`'s own check: another path).
        let blocker = Task { try await pool.run { gate.wait() } }
        while !gate.isWaiting { await Task.yield() }
        let ran = Flag()
        let queued = Task { try await pool.run { ran.set() } }
        while pool.queuedJobCount < 1 { await Task.yield() }
        queued.cancel()
        await #expect(throws: CancellationError.self) { try await queued.value }
        gate.open()
        try await blocker.value
        _ = try await pool.run { 0 }
        #expect(!ran.isSet)
    }
}

extension BlockingWorkPoolTests {
    @Test func defaultQueueBoundIsSixtyFourJobsPerThread() {
        let pool = BlockingWorkPool(threadCount: 3)
        defer { pool.shutdown() }
        #expect(pool.maxQueuedJobs == 3 * BlockingWorkPool.defaultQueuedJobsPerThread)
        #expect(BlockingWorkPool.defaultQueuedJobsPerThread == 64)
        let tiny = BlockingWorkPool(threadCount: 1, maxQueuedJobs: 0)
        defer { tiny.shutdown() }
        #expect(tiny.maxQueuedJobs == 1, "at least one job may wait")
    }

    /// The limit's stress test: a full queue refuses at once with `.overloaded`, the queued jobs
    /// still run, and the pool accepts work again once they drained.
    @Test func fullQueueFailsFastWithOverloaded() async throws {
        let pool = BlockingWorkPool(threadCount: 1, name: "bound-test", maxQueuedJobs: 4)
        defer { pool.shutdown() }
        let gate = Gate()
        let blocker = Task { try await pool.run { gate.wait() } }
        while !gate.isWaiting { await Task.yield() }
        let queued = (0..<4).map { index in Task { try await pool.run { index } } }
        while pool.queuedJobCount < 4 { await Task.yield() }
        for _ in 0..<50 {
            await #expect(throws: BlockingWorkPoolError.overloaded) { try await pool.run { -1 } }
        }
        #expect(pool.queuedJobCount == 4)
        gate.open()
        try await blocker.value
        var results: [Int] = []
        for task in queued { results.append(try await task.value) }
        #expect(results == [0, 1, 2, 3])
        #expect(try await pool.run { 42 } == 42)
    }

    @Test func aCancelledQueuedJobFreesItsPlace() async throws {
        let pool = BlockingWorkPool(threadCount: 1, maxQueuedJobs: 1)
        defer { pool.shutdown() }
        let gate = Gate()
        let blocker = Task { try await pool.run { gate.wait() } }
        while !gate.isWaiting { await Task.yield() }
        let first = Task { try await pool.run { 1 } }
        while pool.queuedJobCount < 1 { await Task.yield() }
        first.cancel()
        await #expect(throws: CancellationError.self) { try await first.value }
        #expect(pool.queuedJobCount == 0)
        let second = Task { try await pool.run { 2 } }
        while pool.queuedJobCount < 1 { await Task.yield() }
        gate.open()
        try await blocker.value
        #expect(try await second.value == 2)
    }
}

private final class ConcurrencyGauge: @unchecked Sendable {
    private let lock = NSLock()
    private var current = 0
    private(set) var peak = 0

    func enter() { lock.withLock { current += 1; peak = max(peak, current) } }
    func leave() { lock.withLock { current -= 1 } }
}
