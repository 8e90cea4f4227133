/// Why an authentication attempt failed, in words no protocol owns.
///
/// Protocol layers map these to replies in one place. Clients must not learn the difference
/// between `unknownUser` and `wrongPassword` (POP3 and IMAP answer both the same way); the
/// distinction exists for logs and penalties only.
public enum AuthFailureReason: Error, Sendable, Hashable {
    /// No such user in the passdb.
    case unknownUser
    /// The user exists and the password (or CRAM-MD5 digest) did not match, or the user has no
    /// password at all; also an empty password, or one longer than the configured maximum.
    case wrongPassword
    /// The password matched but the account may not log in (`nologin`, `fail`, `disabled=yes`).
    case disabled
    /// The password matched but the user's `allow_nets` (or `allow_real_nets`) does not list the
    /// client's address, or the login has no remote IP and the list lacks `local`.
    case networkNotAllowed
    /// The stored password cannot serve the mechanism used (a one-way hash with CRAM-MD5, or
    /// anything but plaintext with APOP). Clients should be told it like a wrong password.
    case unsupportedCredentials
    /// The passdb could not answer (I/O error, broken stored value), or too many logins are being
    /// verified at once (`BlockingWorkPoolError.overloaded`); the client may retry later.
    case temporary(String)

    /// A stable lower-case keyword for logs and metrics (`wrong_password`, ...).
    public var keyword: String {
        switch self {
        case .unknownUser: "unknown_user"
        case .wrongPassword: "wrong_password"
        case .disabled: "disabled"
        case .networkNotAllowed: "network_not_allowed"
        case .unsupportedCredentials: "unsupported_credentials"
        case .temporary: "temporary_failure"
        }
    }
}
