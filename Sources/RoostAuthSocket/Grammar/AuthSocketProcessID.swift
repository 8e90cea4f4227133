#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A process id as the handshake carries it: the client's in `CPID`, the server's in `SPID`.
///
/// Dovecot refuses `CPID 0` ("Authentication client said it's PID 0"), so the parser does too.
public struct AuthSocketProcessID: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt32

    public init(rawValue: UInt32) {
        self.rawValue = rawValue
    }

    public init(_ value: UInt32) {
        rawValue = value
    }

    public var description: String { String(rawValue) }

    /// This process (`getpid()`).
    public static var current: AuthSocketProcessID {
        AuthSocketProcessID(UInt32(truncatingIfNeeded: getpid()))
    }
}
