import NIOCore

/// What a protocol session knows about its connection, fixed when the connection is accepted.
///
/// Whether the connection is encrypted can change (STLS/STARTTLS), so that is the session's own
/// state, starting from `isTLS`.
public struct ConnectionInfo: Sendable {
    /// A short id for log lines of this connection.
    public var id: String
    /// The client's IP address as text (`192.0.2.7`, `2001:db8::1`; an IPv4 client on a
    /// dual-stack socket appears as its IPv4 address), nil when unknown.
    public var remoteAddress: String?
    /// The local address the client connected to.
    public var localAddress: String?
    /// True when TLS was started before the protocol began (POP3S, IMAPS).
    public var isTLS: Bool
    /// True when plaintext passwords may be sent on this connection while it is not encrypted:
    /// loopback clients, or the configuration allows it everywhere
    /// (`auth.allow_plaintext_without_tls`). Encrypted connections always may.
    public var allowsPlaintextWithoutTLS: Bool

    public init(
        id: String, remoteAddress: String?, localAddress: String? = nil, isTLS: Bool, allowsPlaintextWithoutTLS: Bool
    ) {
        self.id = id
        self.remoteAddress = remoteAddress
        self.localAddress = localAddress
        self.isTLS = isTLS
        self.allowsPlaintextWithoutTLS = allowsPlaintextWithoutTLS
    }

    /// The IP address of `address` as text, with IPv4-mapped IPv6 addresses shown as IPv4.
    public static func ipAddress(of address: SocketAddress?) -> String? {
        guard let text = address?.ipAddress else { return nil }
        let mappedPrefix = "::ffff:"
        if text.lowercased().hasPrefix(mappedPrefix), text.contains(".") {
            return String(text.dropFirst(mappedPrefix.count))
        }
        return text
    }
}
