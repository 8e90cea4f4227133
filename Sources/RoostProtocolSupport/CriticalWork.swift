import NIOConcurrencyHelpers

/// Counts storage changes in progress that must not be cut off by process exit, such as POP3's
/// commit at QUIT. Shutdown closes connections, then waits here until the count is zero, so a
/// QUIT that started is applied completely even when its client is gone.
public final class CriticalWork: Sendable {
    private let running = NIOLockedValueBox(0)

    public init() {}

    /// Runs `work` (which may suspend) as critical work.
    public func run<Value: Sendable>(_ work: () async throws -> Value) async rethrows -> Value {
        running.withLockedValue { $0 += 1 }
        defer { running.withLockedValue { $0 -= 1 } }
        return try await work()
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
