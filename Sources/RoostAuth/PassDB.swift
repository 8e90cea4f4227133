/// A source of credentials: Dovecot's passdb interface, reduced to what Roost needs.
///
/// Implementations: `PasswdFile`; PAM or SQL backends can conform later. Lookups are `async`
/// because a backend may do I/O; they throw only for temporary failures (file unreadable,
/// database down), never for an unknown user, which is `nil`.
public protocol PassDB: Sendable {
    /// The entry for `user` (already normalised by the caller, see `AuthConfiguration`), or nil.
    func lookup(user: String) async throws -> PassDBEntry?

    /// True when every stored password in this passdb can serve CRAM-MD5 (a non-empty plaintext or
    /// a CRAM-MD5 context, see `StoredPassword.canServeCRAMMD5`), so that advertising CRAM-MD5
    /// cannot strand a client. Clients such as curl, mutt and mbsync pick CRAM-MD5 first when
    /// offered and do not fall back.
    func canServeCRAMMD5() async -> Bool

    /// True when every stored password in this passdb is a non-empty plaintext
    /// (`StoredPassword.canServePlaintext`), so that APOP works for every user. A POP3 server
    /// offers APOP by the timestamp in its greeting, to every client alike; like CRAM-MD5, it
    /// should be offered only when no user would be stranded by it.
    func canServeAPOP() async -> Bool
}

extension PassDB {
    /// True when `user` exists and their stored password can serve CRAM-MD5.
    public func canServeCRAMMD5(user: String) async throws -> Bool {
        guard let entry = try await lookup(user: user),
              let stored = try? entry.parsedPassword()
        else { return false }
        return stored.canServeCRAMMD5
    }

    /// True when `user` exists and their stored password is a non-empty plaintext, as APOP needs.
    public func canServePlaintext(user: String) async throws -> Bool {
        guard let entry = try await lookup(user: user),
              let stored = try? entry.parsedPassword()
        else { return false }
        return stored.canServePlaintext
    }
}
