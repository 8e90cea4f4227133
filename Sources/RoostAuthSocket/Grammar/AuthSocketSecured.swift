/// The AUTH parameter `secured[=tls]`: how the auth client says its own client's connection is protected.
///
/// Roost uses it for log lines only. The auth socket is local, so PLAIN and LOGIN are allowed on it
/// whatever this says; refusing plaintext over an unprotected SMTP session is the SMTP server's job
/// (Postfix `smtpd_tls_auth_only`, which filters on the MECH `plaintext` flag).
public enum AuthSocketSecured: String, Hashable, Sendable, CustomStringConvertible {
    /// No `secured` parameter.
    case no
    /// `secured` (or `secured=` with any value but `tls`): TLS, or a connection from localhost.
    case secured
    /// `secured=tls`.
    case tls

    public var description: String { rawValue }
}
