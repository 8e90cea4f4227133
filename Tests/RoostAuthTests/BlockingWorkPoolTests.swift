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
        // Occupy the only thread, then queue a second job and cancel it while it waits.
        let blocker = Task { try await pool.run { gate.wait() } }
        while !gate.isWaiting { await Task.yield() }
        let ran = Flag()
        let queued = Task { try await pool.run { ran.set() } }
        try await Task.sleep(for: .milliseconds(20))
        queued.cancel()
        await #expect(throws: CancellationError.self) { try await queued.value }
        gate.open()
        try await blocker.value
        _ = try await pool.run { 0 }
        #expect(!ran.isSet)
    }
}

private final class ConcurrencyGauge: @unchecked Sendable {
    private let lock = NSLock()
    private var current = 0
    private(set) var peak = 0

    func enter() { lock.withLock { current += 1; peak = max(peak, current) } }
    func leave() { lock.withLock { current -= 1 } }
}

private final class Gate: @unchecked Sendable {
    private let condition = NSCondition()
    private var opened = false
    private var waiting = false

    var isWaiting: Bool { condition.withLock { waiting } }

    func wait() {
        condition.lock()
        waiting = true
        while !opened { condition.wait() }
        condition.unlock()
    }

    func open() {
        condition.lock()
        opened = true
        condition.broadcast()
        condition.unlock()
    }
}

private final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}
