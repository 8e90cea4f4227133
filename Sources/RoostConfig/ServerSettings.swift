/// The `[server]` section: where the listeners bind, the name the server gives itself, and
/// how it stops.
public struct ServerSettings: Sendable, Equatable {
    /// `server.listen`: addresses the listeners bind, normalised (see `init`); never empty.
    public var listen: [String]
    /// `server.hostname`: name used in greetings and APOP/CRAM-MD5 challenges; empty means
    /// the system's host name.
    public var hostname: String
    /// `server.shutdown_timeout`: how long sessions may finish after SIGTERM before they are closed.
    public var shutdownTimeout: Duration

    /// Creates `[server]` settings; every default is the built-in value used when the key is absent.
    ///
    /// - Parameters:
    ///   - listen: Addresses every protocol listener binds. `*` is every IPv4 address, `::`
    ///     every IPv6 address (bound IPv6-only, so `*` and `::` can coexist on one port);
    ///     anything else is a literal IPv4 or IPv6 address without brackets. Read from a file
    ///     the list is normalised: `0.0.0.0` becomes `*`, any spelling of the IPv6 unspecified
    ///     address becomes `::`, other addresses take `inet_ntop`'s form (`2001:db8::1`) and
    ///     repeats are dropped, so the server needs to recognise only `*` and `::` by their
    ///     text. IPv4-mapped IPv6 addresses are refused: write the IPv4 address. Default
    ///     `* ::`.
    ///   - hostname: Name used in greetings and APOP/CRAM-MD5 challenges; letters, digits,
    ///     `-` and `.`, so it can never break the `<...@host>` challenge syntax. Empty means
    ///     the system's host name (`gethostname`). Default empty.
    ///   - shutdownTimeout: After SIGTERM the listeners close at once; sessions then get this
    ///     long to finish their command (POP3 `QUIT` commits deletions) before their
    ///     connections are closed; 0s...10m. Default 30 seconds.
    public init(
        listen: [String] = ["*", "::"],
        hostname: String = "",
        shutdownTimeout: Duration = .seconds(30)
    ) {
        self.listen = listen
        self.hostname = hostname
        self.shutdownTimeout = shutdownTimeout
    }
}
