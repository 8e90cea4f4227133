/// A passdb that checks plaintext passwords itself instead of handing out a stored one.
///
/// PAM (and later LDAP bind or an external checker) can say "this password is right" but cannot
/// say what the password is. `Authenticator.verifyPlain` calls `verifyPlain` on such a passdb
/// after its own checks (empty or over-long password, name normalisation), instead of looking up
/// a stored value and running `PasswordVerifier`.
///
/// Conformers must still satisfy `PassDB`:
/// - `lookup(user:)` returns nil (no stored password and no existence check), so CRAM-MD5 and
///   APOP fail as for an unknown user and nothing that asks for a stored password gets one;
/// - `canServeCRAMMD5()` and `canServeAPOP()` return false, so neither is ever advertised.
public protocol PlaintextVerifyingPassDB: PassDB {
    /// Checks `password` for `user` (already normalised by `Authenticator`).
    ///
    /// Must not block the caller's thread, must never log the password, and must not tell an
    /// unknown user from a wrong password in what it returns (both `.wrongPassword`), since the
    /// backend may not know the difference either. On success the user is the canonical name
    /// the backend reports, which may differ from the one asked for.
    ///
    /// - Parameter remoteAddress: the client's IP address as text, nil when there is none.
    func verifyPlain(user: String, password: String, remoteAddress: String?) async -> AuthResult
}
