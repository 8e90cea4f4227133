/// Tuning for `AuthPenalty`, with Dovecot's values as defaults.
public struct AuthPenaltyConfiguration: Sendable, Hashable {
    /// Delay after the first recent failure from an address.
    public var baseDelay: Duration
    /// Upper bound of the doubling delay.
    public var maxDelay: Duration
    /// An address with no failure for this long is forgotten (`auth.failure_memory`).
    public var forgetAfter: Duration
    /// At most this many addresses are tracked; the one with the oldest failure is evicted first.
    public var maxTrackedAddresses: Int
    /// IPv6 addresses are grouped by this prefix, since one client can use a whole /64 or /48.
    public var ipv6PrefixLength: Int

    /// - Parameters:
    ///   - baseDelay: default 2 s (Dovecot `AUTH_PENALTY_INIT_SECS`).
    ///   - maxDelay: default 15 s (Dovecot `AUTH_PENALTY_MAX_SECS`).
    ///   - forgetAfter: default 29 s, Dovecot's `AUTH_PENALTY_TIMEOUT` (2 + 4 + 8 + 15 s: the
    ///     expiry Dovecot's auth process gives anvil's penalty table), the same default as
    ///     RoostConfig's `auth.failure_memory`.
    ///   - maxTrackedAddresses: default 10 000 (well under 2 MB of bookkeeping).
    ///   - ipv6PrefixLength: default 48 (Dovecot `PENALTY_IPV6_MASK_BITS`).
    public init(
        baseDelay: Duration = .seconds(2),
        maxDelay: Duration = .seconds(15),
        forgetAfter: Duration = .seconds(29),
        maxTrackedAddresses: Int = 10_000,
        ipv6PrefixLength: Int = 48
    ) {
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.forgetAfter = forgetAfter
        self.maxTrackedAddresses = maxTrackedAddresses
        self.ipv6PrefixLength = ipv6PrefixLength
    }
}
