import NIOConcurrencyHelpers

/// Named exclusive locks held by sessions of this process, e.g. "one POP3 session per maildrop"
/// (RFC 1939 section 8: the server acquires an exclusive-access lock on the maildrop).
///
/// In memory only: it keeps two Roost sessions apart, not Roost and another program. A session
/// that ends in any way (QUIT, dropped connection, shutdown) must `unlock`; `unlock` of a name not
/// held does nothing.
public final class SessionLocks: Sendable {
    private let held = NIOLockedValueBox(Set<String>())

    public init() {}

    /// Takes `name`; false when another session holds it.
    public func tryLock(_ name: String) -> Bool {
        held.withLockedValue { $0.insert(name).inserted }
    }

    public func unlock(_ name: String) {
        _ = held.withLockedValue { $0.remove(name) }
    }
}
