import Testing
@testable import RoostAuth

@Suite("AuthPenalty and AuthFailureLog")
struct AuthPenaltyTests {
    @Test func delaysDoubleUpToTheMaximum() {
        let clock = ManualClock()
        let penalty = AuthPenalty(clock: clock.authClock)
        #expect(penalty.currentDelay(for: "192.0.2.1") == .zero)
        let delays = (0..<5).map { _ in penalty.recordFailure(from: "192.0.2.1") }
        #expect(delays == [.seconds(2), .seconds(4), .seconds(8), .seconds(15), .seconds(15)])
        #expect(penalty.currentDelay(for: "192.0.2.1") == .seconds(15))
        #expect(penalty.recordFailure(from: "192.0.2.2") == .seconds(2), "other addresses are not affected")
    }

    /// Dovecot's auth gives anvil's penalty table `AUTH_PENALTY_TIMEOUT` = 2 + 4 + 8 + 15 s; the
    /// default matches it, and RoostConfig's `auth.failure_memory` default (tested there).
    @Test func defaultMemoryIsDovecotsPenaltyTimeout() {
        let configuration = AuthPenaltyConfiguration()
        #expect(configuration.forgetAfter == .seconds(29))
        let clock = ManualClock()
        let penalty = AuthPenalty(clock: clock.authClock)
        _ = penalty.recordFailure(from: "192.0.2.1")
        clock.advance(by: .seconds(28))
        #expect(penalty.currentDelay(for: "192.0.2.1") == .seconds(2))
        clock.advance(by: .seconds(1))
        #expect(penalty.currentDelay(for: "192.0.2.1") == .zero)
    }

    @Test func forgottenAfterTheIdlePeriodAndAfterSuccess() {
        let clock = ManualClock()
        let penalty = AuthPenalty(configuration: AuthPenaltyConfiguration(forgetAfter: .seconds(60)), clock: clock.authClock)
        _ = penalty.recordFailure(from: "192.0.2.1")
        _ = penalty.recordFailure(from: "192.0.2.1")
        clock.advance(by: .seconds(59))
        #expect(penalty.recordFailure(from: "192.0.2.1") == .seconds(8), "still recent")
        clock.advance(by: .seconds(60))
        #expect(penalty.currentDelay(for: "192.0.2.1") == .zero)
        #expect(penalty.recordFailure(from: "192.0.2.1") == .seconds(2))
        penalty.recordSuccess(from: "192.0.2.1")
        #expect(penalty.currentDelay(for: "192.0.2.1") == .zero)
    }

    @Test func memoryIsBoundedByEvictingTheOldest() {
        let clock = ManualClock()
        let penalty = AuthPenalty(configuration: AuthPenaltyConfiguration(maxTrackedAddresses: 3), clock: clock.authClock)
        for address in ["10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4"] {
            _ = penalty.recordFailure(from: address)
            clock.advance(by: .seconds(1))
        }
        #expect(penalty.trackedAddressCount == 3)
        #expect(penalty.currentDelay(for: "10.0.0.1") == .zero, "the oldest was evicted")
        #expect(penalty.currentDelay(for: "10.0.0.4") == .seconds(2))
    }

    @Test func ipv6IsGroupedByPrefixAndMappedIPv4Unwrapped() {
        let penalty = AuthPenalty(clock: ManualClock().authClock)
        _ = penalty.recordFailure(from: "2001:db8:1:aaaa::1")
        #expect(penalty.recordFailure(from: "2001:db8:1:bbbb::2") == .seconds(4), "same /48")
        #expect(penalty.recordFailure(from: "2001:db8:2::1") == .seconds(2), "another /48")
        _ = penalty.recordFailure(from: "198.51.100.7")
        #expect(penalty.recordFailure(from: "::ffff:198.51.100.7") == .seconds(4))
        #expect(AuthPenalty.key(for: "2001:db8:1:aaaa::1", ipv6PrefixLength: 48) == "2001:db8:1:0:0:0:0:0/48")
        #expect(AuthPenalty.key(for: "not an address", ipv6PrefixLength: 48) == "not an address")
    }

    @Test func failureLogLineHasAStableShape() {
        let logs = LogCapture()
        let log = AuthFailureLog(logger: logs.logger())
        log.record(user: "bob@example.org", mechanism: .plain, remoteAddress: "192.0.2.7", reason: .wrongPassword)
        log.record(user: "evil, rip=1.2.3.4>\n", mechanism: "USER", remoteAddress: nil, reason: .unknownUser)
        log.record(user: nil, mechanism: "LOGIN", remoteAddress: "::1", reason: .temporary("passdb lookup failed"))
        log.record(user: "carol", mechanism: "APOP", remoteAddress: "192.0.2.9", reason: .disabled)
        let records = logs.records
        #expect(records.prefix(3).map(\.message) == [
            "passwd-file(bob@example.org,192.0.2.7): Password mismatch (method=PLAIN, reason=wrong_password)",
            "passwd-file(evil%2C%20rip%3D1.2.3.4%3E%0A,-): unknown user (method=USER, reason=unknown_user)",
            "passwd-file(,::1): temporary failure: passdb lookup failed (method=LOGIN, reason=temporary_failure)",
        ])
        #expect(records.last?.message == "passwd-file(carol,192.0.2.9): account disabled (method=APOP, reason=disabled)")
        #expect(records.map(\.level) == [.info, .info, .warning, .info])
        #expect(records[0].metadata == [
            "remote_ip": "192.0.2.7", "method": "PLAIN", "user": "bob@example.org", "reason": "wrong_password",
        ])
    }

    @Test func longUserNamesAreCut() {
        let escaped = AuthFailureLog.escape(String(repeating: "a", count: 500))
        #expect(escaped == String(repeating: "a", count: 128) + "...")
    }
}
