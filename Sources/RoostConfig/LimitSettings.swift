/// The `[limits]` section: bounds on connections and on what one client may send, shared by
/// every protocol.
///
/// Each limit is a named, documented setting so an operator can see and raise it; a client
/// reaching one gets the protocol's error (or is disconnected), never an unbounded buffer.
public struct LimitSettings: Sendable, Equatable {
    /// `limits.max_connections`: concurrent client connections to the whole server.
    public var maxConnections: Int
    /// `limits.max_connections_per_ip`: concurrent connections from one remote IP address.
    public var maxConnectionsPerIP: Int
    /// `limits.max_connections_per_user_ip`: concurrent logged-in sessions of one user from
    /// one remote IP address.
    public var maxConnectionsPerUserIP: Int
    /// `limits.max_line_length`: longest command line in bytes, a SASL response line included.
    public var maxLineLength: Int
    /// `limits.max_bad_commands`: syntax errors and unknown commands before a disconnect.
    public var maxBadCommands: Int

    /// Creates `[limits]` settings; every default is the built-in value used when the key is absent.
    ///
    /// - Parameters:
    ///   - maxConnections: Concurrent client connections to the whole server; a connection
    ///     beyond it is greeted with an error and closed. 1...1,000,000. Default 1000.
    ///   - maxConnectionsPerIP: Concurrent connections from one remote IP address, logged in
    ///     or not, so one host cannot take every slot; 1...1,000,000. Default 50.
    ///   - maxConnectionsPerUserIP: Concurrent sessions of one user from one remote IP
    ///     address (Dovecot's `mail_max_userip_connections`); Thunderbird alone opens up to 5
    ///     IMAP connections per account, and several devices may share one NAT address.
    ///     1...1,000,000. Default 20.
    ///   - maxLineLength: Longest command line in bytes, a SASL response line included,
    ///     before the client gets an error; RFC 7162 section 4 tells IMAP clients to keep
    ///     command lines to about 8192 octets, so the default leaves ample room. 1K...16M.
    ///     Default 64K.
    ///   - maxBadCommands: Syntax errors and unknown commands one session may send before it
    ///     is disconnected, so a non-mail client cannot hold a connection open; 1...1000.
    ///     Default 20.
    public init(
        maxConnections: Int = 1000,
        maxConnectionsPerIP: Int = 50,
        maxConnectionsPerUserIP: Int = 20,
        maxLineLength: Int = 64 * 1024,
        maxBadCommands: Int = 20
    ) {
        self.maxConnections = maxConnections
        self.maxConnectionsPerIP = maxConnectionsPerIP
        self.maxConnectionsPerUserIP = maxConnectionsPerUserIP
        self.maxLineLength = maxLineLength
        self.maxBadCommands = maxBadCommands
    }
}
