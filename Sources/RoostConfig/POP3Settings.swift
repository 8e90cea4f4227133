/// The `[pop3]` section: POP3 listeners and session rules (RFC 1939, RFC 2595, RFC 8314).
public struct POP3Settings: Sendable, Equatable {
    /// `pop3.port`: port of the plaintext listener offering STLS; 0 means none.
    public var port: Int
    /// `pop3.tls_port`: port of the implicit-TLS listener (POP3S); 0 means none.
    public var tlsPort: Int
    /// `pop3.autologout`: idle time after which a session is closed.
    public var autologout: Duration
    /// `pop3.lock_session`: only one POP3 session per user at a time.
    public var lockSession: Bool

    /// Creates `[pop3]` settings; every default is the built-in value used when the key is absent.
    ///
    /// - Parameters:
    ///   - port: Port of the plaintext listener, which offers STLS when TLS is configured;
    ///     0...65535, 0 = no such listener. Default 110.
    ///   - tlsPort: Port of the implicit-TLS listener (RFC 8314); 0...65535, 0 = no such
    ///     listener. Ignored while `[tls]` is off. When `port` and `tlsPort` are both
    ///     non-zero they must differ (a `ConfigConstraint`). Default 995.
    ///   - autologout: Idle time after which a session is closed without entering UPDATE, so
    ///     no deletions are committed; 1s...1d. RFC 1939 section 3 requires at least 10
    ///     minutes; shorter values are for tests. Default 10 minutes.
    ///   - lockSession: Allow one POP3 session per user at a time: the exclusive-access lock
    ///     on the maildrop of RFC 1939 section 4, so two sessions cannot each delete what the
    ///     other still lists. A second login is answered `-ERR [IN-USE]` (RFC 2449 section
    ///     8.1.2). Default `true`.
    public init(
        port: Int = 110,
        tlsPort: Int = 995,
        autologout: Duration = .seconds(600),
        lockSession: Bool = true
    ) {
        self.port = port
        self.tlsPort = tlsPort
        self.autologout = autologout
        self.lockSession = lockSession
    }
}
