import RoostIMAPGrammar

/// Settings of IMAP sessions, taken from `[imap]`, `[limits]`, `[mail]` and `[server]` in roostd.conf.
public struct IMAPConfiguration: Sendable {
    /// Name in the greeting.
    public var hostname: String
    /// True when the server can start TLS (a certificate is configured): STARTTLS is offered.
    public var tlsAvailable: Bool
    /// Command line length (`limits.max_line_length`), literal size (`mail.max_message_size`) and
    /// the grammar's nesting and count limits.
    public var limits: IMAPLimits
    /// `limits.max_bad_commands`: BAD replies before the server says BYE and closes.
    public var maxBadCommands: Int
    /// Failed logins on one connection before it is closed (as Dovecot and Roost's POP3).
    public var maxAuthFailures: Int
    /// `imap.idle_keepalive`: how often an IDLE session hears `* OK Still here`.
    public var idleKeepalive: Duration
    /// The special-use folders (`imap.*_folder`).
    public var specialUse: SpecialUseFolders
    /// `imap.special_folders`: create and subscribe them at a new user's first login.
    public var provisionSpecialFolders: Bool
    /// Octets of output gathered before a write is handed to the connection (and waited for); a
    /// FETCH produces its responses in pieces of this size, the next while one is written. Every
    /// piece costs two hand-offs between the event loop and a storage thread, which cost more
    /// than producing 64 KiB of header fields; 256 KiB keeps them rare, and a FETCH holds at most
    /// two pieces.
    public var writeChunkSize: Int

    /// The most literal octets a command may carry before login: a user name and password fit,
    /// and an unauthenticated client cannot make the server hold `limits.maxLiteralOctets`.
    public static let maxLiteralOctetsBeforeLogin = 16 * 1024

    /// `limits` with literals capped at `maxLiteralOctetsBeforeLogin`, until a login succeeds.
    public var limitsBeforeLogin: IMAPLimits {
        var limits = self.limits
        limits.maxLiteralOctets = min(limits.maxLiteralOctets, Self.maxLiteralOctetsBeforeLogin)
        return limits
    }

    /// - Parameters: see the properties; defaults are those of the shipped roostd.conf.
    public init(
        hostname: String, tlsAvailable: Bool = false, limits: IMAPLimits = IMAPLimits(), maxBadCommands: Int = 20,
        maxAuthFailures: Int = 3, idleKeepalive: Duration = .seconds(120), specialUse: SpecialUseFolders = SpecialUseFolders(),
        provisionSpecialFolders: Bool = true, writeChunkSize: Int = 256 * 1024
    ) {
        self.hostname = hostname
        self.tlsAvailable = tlsAvailable
        self.limits = limits
        self.maxBadCommands = maxBadCommands
        self.maxAuthFailures = maxAuthFailures
        self.idleKeepalive = idleKeepalive
        self.specialUse = specialUse
        self.provisionSpecialFolders = provisionSpecialFolders
        self.writeChunkSize = writeChunkSize
    }
}
