/// What the server side of a SASL exchange wants to happen next.
public enum SASLStep: Sendable, Hashable {
    /// Send this base64 challenge (possibly empty) as a continuation and wait for a response line.
    case challenge(String)
    /// The exchange is complete; check these credentials (`SASLAuthenticator.verify`).
    case needsVerification(SASLCredentials)
    /// The exchange failed; no credentials to check.
    case failure(SASLFailure)
}
