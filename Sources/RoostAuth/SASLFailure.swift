/// Why a SASL exchange ended before its credentials could be checked.
///
/// These are client errors; protocol layers turn them into their own failure replies
/// (IMAP tagged `BAD`/`NO`, POP3 `-ERR`). `cancelled` is the client's `*` (RFC 4422 section 3.5).
public enum SASLFailure: Error, Sendable, Hashable {
    /// The client sent `*`.
    case cancelled
    /// Not canonical base64, or the decoded message does not have the mechanism's shape.
    case malformed
    /// A response longer than `SASLConfiguration` allows.
    case tooLong
    /// PLAIN with an authorization identity different from the authentication identity:
    /// Roost has no master users or proxy authorisation.
    case authzidNotAllowed
    /// An initial response for a mechanism where the server speaks first (CRAM-MD5).
    case unexpectedInitialResponse
    /// A response after the exchange already finished (or before it started).
    case unexpectedResponse
}
