/// Settings of auth-socket connections.
public struct AuthSocketConfiguration: Sendable, Hashable {
    /// Requests one connection may have in flight (waiting for a CONT or being verified).
    ///
    /// Dovecot has no such limit, only the timeout; Roost adds it so that a client cannot make the
    /// server hold requests without bound. At the limit, the request that has waited longest for a
    /// CONT is dropped to make room (it is almost certainly abandoned: Postfix runs one request at a
    /// time per connection and gives up on a request when its SMTP client disconnects mid-AUTH); when
    /// every request is being verified, the new one fails at once with `code=temp_fail`.
    public var maxInFlightRequests: Int
    /// How long a request may wait for the client's CONT before it is dropped without a reply, as
    /// Dovecot's `MASTER_AUTH_SERVER_TIMEOUT_SECS` does. A later CONT for it gets
    /// `FAIL <id> reason=Authentication request timed out`. Requests being verified are not timed out.
    public var requestTimeout: Duration
    /// The line limit to give the `LineFramingHandler` in front of `AuthSocketHandler`.
    public var maxLineLength: Int

    /// - Parameters:
    ///   - maxInFlightRequests: default 64, far above what Postfix (one at a time per smtpd process)
    ///     or Exim (one connection per authentication) use.
    ///   - requestTimeout: default 150 seconds (Dovecot 2.3).
    ///   - maxLineLength: default `AuthSocketLimits.maxLineLength` (16384, Dovecot's limit).
    public init(
        maxInFlightRequests: Int = 64, requestTimeout: Duration = .seconds(150),
        maxLineLength: Int = AuthSocketLimits.maxLineLength
    ) {
        self.maxInFlightRequests = maxInFlightRequests
        self.requestTimeout = requestTimeout
        self.maxLineLength = maxLineLength
    }
}
