/// One quota limit given for a user.
public enum QuotaLimit: Sendable, Hashable {
    /// Explicitly no limit (Dovecot writes `0` or `unlimited`).
    case unlimited
    /// At most this many bytes or messages.
    case limit(UInt64)
}
