/// Settings of POP3 sessions, taken from `[pop3]`, `[limits]` and `[server]` in roostd.conf.
public struct POP3Configuration: Sendable {
    /// Name in the greeting and in the APOP timestamp.
    public var hostname: String
    /// True when the server can start TLS (a certificate is configured): STLS is offered.
    public var tlsAvailable: Bool
    /// `pop3.lock_session`: one POP3 session per user at a time.
    public var lockSession: Bool
    /// `limits.max_bad_commands`: syntax errors and commands not allowed in the current state
    /// before the server closes the connection.
    public var maxBadCommands: Int
    /// Failed logins on one connection before it is closed (Dovecot closes after 3 as well).
    public var maxAuthFailures: Int
    /// Bytes of a message read from disk per chunk while streaming RETR and TOP.
    public var streamChunkSize: Int

    /// - Parameters:
    ///   - hostname: name in the greeting and the APOP timestamp.
    ///   - tlsAvailable: whether STLS can be offered. Default false.
    ///   - lockSession: one POP3 session per user. Default true.
    ///   - maxBadCommands: bad commands before disconnect. Default 20.
    ///   - maxAuthFailures: failed logins per connection before disconnect. Default 3.
    ///   - streamChunkSize: read size while streaming a message. Default 64 KiB.
    public init(
        hostname: String, tlsAvailable: Bool = false, lockSession: Bool = true, maxBadCommands: Int = 20,
        maxAuthFailures: Int = 3, streamChunkSize: Int = 64 * 1024
    ) {
        self.hostname = hostname
        self.tlsAvailable = tlsAvailable
        self.lockSession = lockSession
        self.maxBadCommands = maxBadCommands
        self.maxAuthFailures = maxAuthFailures
        self.streamChunkSize = streamChunkSize
    }
}
