import NIOCore

/// Decides whether a connection may carry plaintext passwords before TLS (Dovecot's
/// `disable_plaintext_auth`, inverted).
///
/// Loopback clients are trusted, as Dovecot trusts connections from the server's own addresses:
/// the password never leaves the machine. `isTrusted` is injectable so tests on 127.0.0.1 can act
/// as a remote client.
public struct PlaintextAuthPolicy: Sendable {
    /// `auth.allow_plaintext_without_tls`.
    public var allowEverywhere: Bool
    /// Whether a client address counts as local; default: loopback (127.0.0.0/8, ::1, and
    /// IPv4-mapped loopback).
    public var isTrusted: @Sendable (SocketAddress?) -> Bool

    public init(allowEverywhere: Bool, isTrusted: @escaping @Sendable (SocketAddress?) -> Bool = PlaintextAuthPolicy.isLoopback) {
        self.allowEverywhere = allowEverywhere
        self.isTrusted = isTrusted
    }

    /// True when an unencrypted connection from `remote` may send plaintext passwords.
    public func allowsPlaintextWithoutTLS(from remote: SocketAddress?) -> Bool {
        allowEverywhere || isTrusted(remote)
    }

    /// True for loopback addresses.
    public static let isLoopback: @Sendable (SocketAddress?) -> Bool = { address in
        guard let text = ConnectionInfo.ipAddress(of: address) else { return false }
        return text.hasPrefix("127.") || text == "::1"
    }
}
