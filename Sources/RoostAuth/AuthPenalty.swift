import Foundation

/// Per-remote-address failed-login bookkeeping that slows password guessing, as Dovecot does.
///
/// After a failed attempt the caller delays its failure reply by `recordFailure`'s result: the base
/// delay (2 s) for the first recent failure, doubling with each further one up to the maximum
/// (15 s). An address with no failure for `forgetAfter` starts again from zero, as does one that
/// logs in successfully. This type only computes delays; callers schedule the reply on their event
/// loop without blocking a thread.
///
/// Edge cases:
/// - IPv6 addresses are grouped by prefix (/48 by default), because one client controls a whole
///   prefix; IPv4-mapped IPv6 addresses count as their IPv4 address.
/// - Memory is bounded: at most `maxTrackedAddresses` entries; when full, expired entries go first,
///   then the entry whose last failure is oldest.
/// - Thread-safe: a lock guards the table, and every method is short and never blocks on I/O.
public final class AuthPenalty: @unchecked Sendable {
    private struct Entry {
        var failures: Int
        var lastFailure: ContinuousClock.Instant
    }

    public let configuration: AuthPenaltyConfiguration
    private let clock: AuthClock
    private let lock = NSLock()
    private var entries: [String: Entry] = [:]

    public init(configuration: AuthPenaltyConfiguration = AuthPenaltyConfiguration(), clock: AuthClock = .continuous) {
        self.configuration = configuration
        self.clock = clock
    }

    /// Counts a failed attempt from `address` and returns how long to delay the failure reply.
    public func recordFailure(from address: String) -> Duration {
        let key = Self.key(for: address, ipv6PrefixLength: configuration.ipv6PrefixLength)
        let now = clock.now()
        lock.lock()
        defer { lock.unlock() }
        var entry = entries[key].flatMap { isExpired($0, now: now) ? nil : $0 } ?? Entry(failures: 0, lastFailure: now)
        if entries[key] == nil { makeRoom(now: now) }
        entry.failures = min(entry.failures + 1, 64)
        entry.lastFailure = now
        entries[key] = entry
        return delay(failures: entry.failures)
    }

    /// The delay a failure from `address` has now earned (zero when none is remembered), for
    /// callers that also want to slow the next attempt before checking it.
    public func currentDelay(for address: String) -> Duration {
        let key = Self.key(for: address, ipv6PrefixLength: configuration.ipv6PrefixLength)
        let now = clock.now()
        lock.lock()
        defer { lock.unlock() }
        guard let entry = entries[key], !isExpired(entry, now: now) else { return .zero }
        return delay(failures: entry.failures)
    }

    /// Forgets `address` after a successful login.
    public func recordSuccess(from address: String) {
        let key = Self.key(for: address, ipv6PrefixLength: configuration.ipv6PrefixLength)
        lock.lock()
        entries[key] = nil
        lock.unlock()
    }

    /// How many addresses (or IPv6 prefixes) are remembered, expired ones included until evicted.
    public var trackedAddressCount: Int {
        lock.lock()
        defer { lock.unlock() }
        return entries.count
    }

    /// base × 2^(failures − 1), capped at the maximum.
    private func delay(failures: Int) -> Duration {
        guard failures > 0 else { return .zero }
        var delay = configuration.baseDelay
        var doublings = failures - 1
        while doublings > 0 && delay < configuration.maxDelay {
            delay = delay * 2
            doublings -= 1
        }
        return min(delay, configuration.maxDelay)
    }

    private func isExpired(_ entry: Entry, now: ContinuousClock.Instant) -> Bool {
        now - entry.lastFailure >= configuration.forgetAfter
    }

    /// Called with the lock held before adding a new key.
    private func makeRoom(now: ContinuousClock.Instant) {
        guard entries.count >= max(1, configuration.maxTrackedAddresses) else { return }
        entries = entries.filter { !isExpired($0.value, now: now) }
        while entries.count >= max(1, configuration.maxTrackedAddresses),
              let oldest = entries.min(by: { $0.value.lastFailure < $1.value.lastFailure })?.key {
            entries[oldest] = nil
        }
    }

    /// The bookkeeping key for an address: IPv4 as is, IPv6 masked to the prefix, anything that
    /// does not parse (a Unix socket peer, a host name) used verbatim.
    static func key(for address: String, ipv6PrefixLength: Int) -> String {
        var ipv4 = in_addr()
        if inet_pton(AF_INET, address, &ipv4) == 1 { return address }
        var ipv6 = in6_addr()
        guard inet_pton(AF_INET6, address, &ipv6) == 1 else { return address }
        var bytes = withUnsafeBytes(of: &ipv6) { Array($0) }
        // ::ffff:a.b.c.d is an IPv4 client reaching a dual-stack socket.
        if bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xFF && bytes[11] == 0xFF {
            return bytes[12..<16].map(String.init).joined(separator: ".")
        }
        let prefix = min(128, max(0, ipv6PrefixLength))
        for index in 0..<16 {
            let keep = min(8, max(0, prefix - index * 8))
            bytes[index] &= keep == 0 ? 0 : UInt8(truncatingIfNeeded: 0xFF << (8 - keep))
        }
        let groups = stride(from: 0, to: 16, by: 2).map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16) }
        return groups.joined(separator: ":") + "/\(prefix)"
    }
}
