/// Why an authentication attempt failed, in words no protocol owns.
///
/// Protocol layers map these to replies in one place. Clients must not learn the difference
/// between `unknownUser` and `wrongPassword` (POP3 and IMAP answer both the same way); the
/// distinction exists for logs and penalties only.
public enum AuthFailureReason: Error, Sendable, Hashable {
    /// No such user in the passdb.
    case unknownUser
    /// The user exists and the password (or CRAM-MD5 digest) did not match, or the user has no
    /// password at all.
    case wrongPassword
    /// The password matched but the account may not log in (`nologin`, `disabled=yes`).
    case disabled
    /// The stored password cannot serve the mechanism used (a one-way hash with CRAM-MD5, or
    /// anything but plaintext with APOP). Clients should be told it like a wrong password.
    case unsupportedCredentials
    /// The passdb could not answer (I/O error, broken stored value); the client may retry later.
    case temporary(String)

    /// A stable lower-case keyword for logs and metrics (`wrong_password`, ...).
    public var keyword: String {
        switch self {
        case .unknownUser: "unknown_user"
        case .wrongPassword: "wrong_password"
        case .disabled: "disabled"
        case .unsupportedCredentials: "unsupported_credentials"
        case .temporary: "temporary_failure"
        }
    }
}
