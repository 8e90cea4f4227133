/// The outcome of one authentication attempt.
public enum AuthResult: Sendable, Hashable {
    /// Authenticated; `user` is the canonical name from the passdb, which sessions must use
    /// instead of whatever spelling the client sent.
    case success(user: String)
    case failure(AuthFailureReason)

    /// The canonical user name on success, nil on failure.
    public var user: String? {
        if case .success(let user) = self { return user }
        return nil
    }
}
