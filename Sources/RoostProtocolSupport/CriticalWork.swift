import NIOConcurrencyHelpers

/// Counts storage changes in progress that must not be cut off by process exit, such as POP3's
/// commit at QUIT. Shutdown closes connections, then waits here until the count is zero, so a
/// QUIT that started is applied completely even when its client is gone.
public final class CriticalWork: Sendable {
    private let running = NIOLockedValueBox(0)

    public init() {}

    /// Starts counting one piece of critical work; call `end()` on the ticket exactly once.
    /// Synchronous, so a caller on an event loop is counted before it hands work to a task.
    public func begin() -> Ticket {
        running.withLockedValue { $0 += 1 }
        return Ticket(owner: self)
    }

    /// One counted piece of work.
    public final class Ticket: Sendable {
        private let owner: CriticalWork
        private let ended = NIOLockedValueBox(false)
        fileprivate init(owner: CriticalWork) { self.owner = owner }

        /// Stops counting it; later calls do nothing.
        public func end() {
            let first = ended.withLockedValue { ended in
                defer { ended = true }
                return !ended
            }
            if first { owner.running.withLockedValue { $0 -= 1 } }
        }
    }

    public var count: Int { running.withLockedValue { $0 } }

    /// Returns once nothing is running, or after `timeout`; true when nothing is running.
    public func waitUntilIdle(timeout: Duration) async -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while count > 0 {
            guard clock.now < deadline else { return false }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return true
    }
}
