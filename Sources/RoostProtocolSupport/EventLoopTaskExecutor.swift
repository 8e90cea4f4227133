import NIOCore

/// A Swift task executor that runs its jobs on one NIO event loop.
///
/// Why: a task started with `EventLoop.makeFutureWithTask` runs on Swift's cooperative pool, so
/// a session handing one piece of blocking work to the storage threads pays four thread hand-offs
/// (event loop → cooperative pool → storage thread → cooperative pool → event loop). A task that
/// prefers this executor (`Task(executorPreference:)`) starts on the event loop and resumes there
/// when the storage thread is done: two hand-offs, and the result is already on the loop that
/// owns the channel. POP3 pays this on every RETR.
///
/// Only non-isolated async code follows the preference; actor-isolated code still runs on its
/// actor. A job is never run inline: `enqueue` always goes through `EventLoop.execute`, so a task
/// started from a channel handler runs after the handler's current call returns.
public final class EventLoopTaskExecutor: TaskExecutor {
    public let eventLoop: any EventLoop

    public init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute {
            job.runSynchronously(on: self.asUnownedTaskExecutor())
        }
    }
}

extension EventLoopTaskExecutor {
    /// `cached` when it runs on `eventLoop`; otherwise a new executor for that loop, kept in
    /// `cached` (a channel handler makes one when it first needs it).
    public static func on(_ eventLoop: any EventLoop, reusing cached: inout EventLoopTaskExecutor?) -> EventLoopTaskExecutor {
        if let cached, cached.eventLoop === eventLoop { return cached }
        let executor = EventLoopTaskExecutor(eventLoop)
        cached = executor
        return executor
    }
}

extension StorageExecutor {
    /// Runs `work` on a storage thread as `identity` (see `run(as:_:)`) and completes the returned
    /// future on `executor`'s event loop, without passing through Swift's cooperative pool.
    public func submit<Value: Sendable>(
        as identity: MailIdentity?, on executor: EventLoopTaskExecutor,
        _ work: @escaping @Sendable () throws -> Value
    ) -> EventLoopFuture<Value> {
        let promise = executor.eventLoop.makePromise(of: Value.self)
        Task(executorPreference: executor) {
            do {
                promise.succeed(try await self.run(as: identity, work))
            } catch {
                promise.fail(error)
            }
        }
        return promise.futureResult
    }
}
