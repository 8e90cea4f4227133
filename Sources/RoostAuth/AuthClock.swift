/// The source of "now" for everything in RoostAuth that depends on elapsed time.
///
/// Injected so that tests of passwd-file reload throttling and penalty delays advance time by hand
/// instead of sleeping. Only differences between instants matter, so a monotonic clock is used:
/// wall-clock jumps (NTP, DST) must neither forgive penalties nor freeze reload checks.
public struct AuthClock: Sendable {
    private let reading: @Sendable () -> ContinuousClock.Instant

    /// A clock that reads `now` on every call.
    public init(now: @escaping @Sendable () -> ContinuousClock.Instant) {
        reading = now
    }

    /// The current instant.
    public func now() -> ContinuousClock.Instant {
        reading()
    }

    /// The real monotonic clock.
    public static let continuous = AuthClock { ContinuousClock.now }
}
