import Foundation

/// A fixed number of dedicated threads that run blocking or CPU-heavy closures for async callers.
///
/// Why: crypt(3) verification takes tens of milliseconds by design and PAM or file I/O blocks.
/// Callers run on NIO event loops or Swift's cooperative pool, where such work would stall every
/// other connection on that thread. Work submitted here never runs on the caller's thread, and at
/// most `threadCount` jobs run at once, so a login storm queues instead of eating all cores.
///
/// Edge cases:
/// - A job whose task is cancelled while still queued is dropped and throws `CancellationError`;
///   once a thread has taken it, it runs to completion (crypt cannot be interrupted).
/// - `shutdown()` lets queued jobs finish, then the threads exit; later submissions throw
///   `BlockingWorkPoolError.shutDown`. Dropping the last reference to the pool shuts it down too.
public final class BlockingWorkPool: Sendable {
    public let threadCount: Int
    private let queue: JobQueue

    /// Starts `threadCount` threads (at least 1) named `name-0`, `name-1`, ... (keep `name` short).
    public init(threadCount: Int = 2, name: String = "roost-auth") {
        let count = max(1, threadCount)
        self.threadCount = count
        let queue = JobQueue()
        self.queue = queue
        for index in 0..<count {
            // Named from inside the thread: on Linux a name set before `start()` is not applied, and
            // the thread would keep its creator's name. Linux shows at most 15 bytes of it.
            let threadName = "\(name)-\(index)"
            let thread = Thread {
                Thread.current.name = threadName
                pthread_setspecific(poolThreadMarker, UnsafeRawPointer(bitPattern: 1))
                queue.runWorker()
            }
            thread.start()
        }
    }

    deinit {
        queue.shutdown()
    }

    /// Whether the calling code runs on a thread of some `BlockingWorkPool` (and so may block).
    static var isOnPoolThread: Bool { pthread_getspecific(poolThreadMarker) != nil }

    /// Runs `work` on one of the pool's threads and returns its result.
    public func run<Value: Sendable>(_ work: @escaping @Sendable () throws -> Value) async throws -> Value {
        try Task.checkCancellation()
        let id = queue.makeID()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Value, any Error>) in
                let accepted = queue.enqueue(
                    Job(id: id, run: { continuation.resume(with: Result { try work() }) },
                        cancel: { continuation.resume(throwing: CancellationError()) })
                )
                if !accepted {
                    continuation.resume(throwing: BlockingWorkPoolError.shutDown)
                }
            }
        } onCancel: {
            queue.cancel(id: id)
        }
    }

    /// Stops accepting work; threads finish the queued jobs and exit. Safe to call more than once.
    public func shutdown() {
        queue.shutdown()
    }
}

/// Thread-specific marker set on every pool thread; read by `BlockingWorkPool.isOnPoolThread`.
private let poolThreadMarker: pthread_key_t = {
    var key = pthread_key_t()
    pthread_key_create(&key, nil)
    return key
}()

/// Errors from `BlockingWorkPool`.
public enum BlockingWorkPoolError: Error, Sendable, Equatable {
    /// The pool was shut down before the job was accepted.
    case shutDown
}

/// One queued closure; exactly one of `run` and `cancel` is called, exactly once.
private struct Job: Sendable {
    let id: UInt64
    let run: @Sendable () -> Void
    let cancel: @Sendable () -> Void
}

/// The shared queue the pool's threads wait on.
///
/// `@unchecked Sendable` because every stored property is read and written only while `condition`
/// is locked.
private final class JobQueue: @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [Job] = []
    private var nextID: UInt64 = 0
    private var isShutDown = false

    func makeID() -> UInt64 {
        condition.lock()
        defer { condition.unlock() }
        nextID &+= 1
        return nextID
    }

    /// Adds a job; false when the pool is shut down (the caller then fails the job itself).
    func enqueue(_ job: Job) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard !isShutDown else { return false }
        jobs.append(job)
        condition.signal()
        return true
    }

    /// Removes a still-queued job and fails it with `CancellationError`; no-op once it started.
    func cancel(id: UInt64) {
        condition.lock()
        let index = jobs.firstIndex { $0.id == id }
        let job = index.map { jobs.remove(at: $0) }
        condition.unlock()
        job?.cancel()
    }

    func shutdown() {
        condition.lock()
        isShutDown = true
        condition.broadcast()
        condition.unlock()
    }

    /// A worker thread's body: take jobs until shut down and drained.
    func runWorker() {
        while true {
            condition.lock()
            while jobs.isEmpty && !isShutDown {
                condition.wait()
            }
            if jobs.isEmpty {
                condition.unlock()
                return
            }
            let job = jobs.removeFirst()
            condition.unlock()
            job.run()
        }
    }
}
