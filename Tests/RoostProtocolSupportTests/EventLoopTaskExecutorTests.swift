import NIOCore
import NIOEmbedded
import RoostProtocolSupport
import Synchronization
import Testing

/// Tasks preferring an `EventLoopTaskExecutor` run on its loop, and `StorageExecutor.submit`
/// hands the work off the loop and its result (or error) back to it.
@Suite struct EventLoopTaskExecutorTests {
    struct Failure: Error, Equatable {}

    /// Storage work on Swift's global pool, remembering whether it ran on the loop.
    private func storage(_ loop: any EventLoop, ranOnLoop: @escaping @Sendable (Bool) -> Void) -> StorageExecutor {
        StorageExecutor { _, work in
            try await Task.detached {
                ranOnLoop(loop.inEventLoop)
                return try work()
            }.value
        }
    }

    @Test func taskJobsRunOnTheLoop() async throws {
        let loop = NIOAsyncTestingEventLoop()
        let executor = EventLoopTaskExecutor(loop)
        let onLoop = await Task(executorPreference: executor) { () -> [Bool] in
            let before = loop.inEventLoop
            await Task.yield()
            return [before, loop.inEventLoop]
        }.value
        #expect(onLoop == [true, true])
        try await loop.shutdownGracefully()
    }

    @Test func submitRunsWorkOffTheLoopAndCompletesOnIt() async throws {
        let loop = NIOAsyncTestingEventLoop()
        let executor = EventLoopTaskExecutor(loop)
        let workOnLoop = Recorded()
        let future = storage(loop) { workOnLoop.set($0) }.submit(as: nil, on: executor) { 42 }
        let completedOnLoop = Recorded()
        future.whenComplete { _ in completedOnLoop.set(loop.inEventLoop) }
        #expect(try await future.get() == 42)
        #expect(workOnLoop.get() == false)
        #expect(completedOnLoop.get() == true)
        try await loop.shutdownGracefully()
    }

    @Test func submitPassesErrorsOn() async throws {
        let loop = NIOAsyncTestingEventLoop()
        let future = storage(loop) { _ in }.submit(as: nil, on: EventLoopTaskExecutor(loop)) { () throws -> Int in
            throw Failure()
        }
        await #expect(throws: Failure.self) { try await future.get() }
        try await loop.shutdownGracefully()
    }
}

/// A Boolean set from another thread.
final class Recorded: Sendable {
    private let value = Mutex<Bool?>(nil)
    func set(_ new: Bool) { value.withLock { $0 = new } }
    func get() -> Bool? { value.withLock { $0 } }
}
