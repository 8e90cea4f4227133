/// A source of per-user settings: Dovecot's userdb interface, reduced to what Roost needs.
///
/// Consulted after authentication succeeded, with the canonical user name from the passdb.
/// Throws only for temporary failures; an unknown user is `nil`.
public protocol UserDB: Sendable {
    func lookup(user: String) async throws -> UserRecord?
}
