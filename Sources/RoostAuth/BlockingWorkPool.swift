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
/// - The queue is bounded (`maxQueuedJobs`, jobs waiting for a thread; running ones do not
///   count). A submission beyond it fails at once with `BlockingWorkPoolError.overloaded`
///   instead of waiting: a login storm then costs memory and latency only up to the bound, and
///   callers report a temporary failure rather than leaving clients hanging for minutes.
public final class BlockingWorkPool: Sendable {
    public let threadCount: Int
    /// Most jobs that may wait for a thread at once.
    public let maxQueuedJobs: Int
    private let queue: JobQueue
    private let completions: (@Sendable (_ resume: @escaping @Sendable () -> Void) -> Void)?

    /// How many queued jobs per thread the default bound allows.
    public static let defaultQueuedJobsPerThread = 64

    /// Starts `threadCount` threads (at least 1) named `name-0`, `name-1`, ... (keep `name` short).
    ///
    /// - Parameter maxQueuedJobs: bound of the queue (at least 1); default
    ///   `defaultQueuedJobsPerThread` × `threadCount`, 128 for two threads: with crypt(3) at tens
    ///   of milliseconds per job, a full queue is a few seconds of work, well inside any client's
    ///   login timeout.
    /// - Parameter completions: where a finished job's result is handed back to the awaiting
    ///   task; nil: on the pool thread itself. A pool whose threads hold privileges (CAP_SETUID)
    ///   must hand results to another thread, because resuming a task can make the Swift
    ///   runtime start a new worker thread from the resuming thread, and a new thread inherits
    ///   its creator's capabilities. `completions` must run `resume` exactly once, soon.
    public init(
        threadCount: Int = 2, name: String = "roost-auth", maxQueuedJobs: Int? = nil,
        completions: (@Sendable (_ resume: @escaping @Sendable () -> Void) -> Void)? = nil
    ) {
        self.completions = completions
        let count = max(1, threadCount)
        self.threadCount = count
        let bound = max(1, maxQueuedJobs ?? Self.defaultQueuedJobsPerThread * count)
        self.maxQueuedJobs = bound
        let queue = JobQueue(maxQueued: bound)
        self.queue = queue
        // The threads are named before `init` returns: whoever looks at the process next (an
        // admin's `ps`, a test reading /proc) sees them by name.
        let named = DispatchSemaphore(value: 0)
        for index in 0..<count {
            // Named from inside the thread, once `start()` has returned: on Linux a name set before
            // `start()` is not applied, and one set while `start()` still runs on this thread can
            // be lost (5-13 of 400 threads kept their creator's name). Linux shows at most 15 bytes.
            let threadName = "\(name)-\(index)"
            let started = DispatchSemaphore(value: 0)
            let thread = Thread {
                started.wait()
                Thread.current.name = threadName
                pthread_setspecific(poolThreadMarker, UnsafeRawPointer(bitPattern: 1))
                named.signal()
                queue.runWorker()
            }
            thread.start()
            started.signal()
        }
        for _ in 0..<count { named.wait() }
    }

    deinit {
        queue.shutdown()
    }

    /// Jobs waiting for a thread right now (for tests and metrics).
    var queuedJobCount: Int { queue.queuedCount }

    /// Whether the calling code runs on a thread of some `BlockingWorkPool` (and so may block).
    static var isOnPoolThread: Bool { pthread_getspecific(poolThreadMarker) != nil }

    /// Runs `work` on one of the pool's threads and returns its result.
    ///
    /// Throws `BlockingWorkPoolError.overloaded` at once when `maxQueuedJobs` jobs are already
    /// waiting, `.shutDown` after `shutdown()`, and `CancellationError` when the task is cancelled
    /// before a thread took the job.
    public func run<Value: Sendable>(_ work: @escaping @Sendable () throws -> Value) async throws -> Value {
        try Task.checkCancellation()
        let id = queue.makeID()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Value, any Error>) in
                let outcome = queue.enqueue(
                    Job(id: id, run: { [completions] in
                        let result = Result { try work() }
                        if let completions {
                            completions { continuation.resume(with: result) }
                        } else {
                            continuation.resume(with: result)
                        }
                    },
                        cancel: { continuation.resume(throwing: CancellationError()) })
                )
                switch outcome {
                case .accepted:
                    // Cancelled after the check above but before the job was queued: the handler
                    // found nothing to cancel then, so the queued job is cancelled now.
                    if Task.isCancelled { queue.cancel(id: id) }
                case .shutDown: continuation.resume(throwing: BlockingWorkPoolError.shutDown)
                case .overloaded: continuation.resume(throwing: BlockingWorkPoolError.overloaded)
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
    /// `maxQueuedJobs` jobs were already waiting; the job was not queued. Temporary: retry later.
    case overloaded
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
    enum EnqueueOutcome {
        case accepted, shutDown, overloaded
    }

    private let condition = NSCondition()
    private let maxQueued: Int
    private var jobs = FIFOQueue<Job>()
    private var nextID: UInt64 = 0
    private var isShutDown = false

    init(maxQueued: Int) {
        self.maxQueued = maxQueued
    }

    var queuedCount: Int {
        condition.lock()
        defer { condition.unlock() }
        return jobs.count
    }

    func makeID() -> UInt64 {
        condition.lock()
        defer { condition.unlock() }
        nextID &+= 1
        return nextID
    }

    /// Adds a job unless the pool is shut down or the queue is full (the caller then fails the
    /// job itself, outside the lock).
    func enqueue(_ job: Job) -> EnqueueOutcome {
        condition.lock()
        defer { condition.unlock() }
        guard !isShutDown else { return .shutDown }
        guard jobs.count < maxQueued else { return .overloaded }
        jobs.append(job)
        condition.signal()
        return .accepted
    }

    /// Removes a still-queued job and fails it with `CancellationError`; no-op once it started.
    func cancel(id: UInt64) {
        condition.lock()
        let job = jobs.remove { $0.id == id }
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
            guard let job = jobs.popFirst() else {
                condition.unlock()
                return
            }
            condition.unlock()
            job.run()
        }
    }
}
