import Foundation

/// Hands out `CUID`s: 1, 2, 3, … for the connections of one server, shared by all of them.
public final class AuthSocketConnectionIDGenerator: @unchecked Sendable {
    private let lock = NSLock()
    private var last: UInt32

    /// - Parameter after: the id before the first one handed out. Default 0, so the first is 1.
    public init(after: UInt32 = 0) {
        last = after
    }

    /// The next id; after 2^32 − 1 it starts again at 1 (0 is skipped, as Dovecot's counter never sends it).
    public func next() -> AuthSocketConnectionID {
        lock.lock()
        defer { lock.unlock() }
        last &+= 1
        if last == 0 { last = 1 }
        return AuthSocketConnectionID(last)
    }
}
