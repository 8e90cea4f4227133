/// What a finished SASL exchange claims, to be checked by `SASLAuthenticator`.
public enum SASLCredentials: Sendable, Hashable {
    /// PLAIN or LOGIN: a user name and plaintext password.
    case password(user: String, password: String)
    /// CRAM-MD5: the user, the challenge the server sent, and the client's lowercase hex digest.
    case cramMD5(user: String, challenge: String, digest: String)

    /// The claimed user name (for logs and penalties; not yet verified).
    public var user: String {
        switch self {
        case .password(let user, _), .cramMD5(let user, _, _): user
        }
    }
}
