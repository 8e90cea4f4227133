import Foundation
import Testing
@testable import RoostAuth

@Suite("Authenticator and SASLAuthenticator")
struct AuthenticatorTests {
    static let pool = BlockingWorkPool(threadCount: 2, name: "auth-test")

    static func entries() throws -> [PassDBEntry] {
        [
            PassDBEntry(user: "bob", storedPassword: "{PLAIN}secret"),
            PassDBEntry(user: "tim", storedPassword: "tanstaaftanstaaf", defaultScheme: .plain),
            PassDBEntry(user: "cram@example.org", storedPassword: "{CRAM-MD5}" + CRAMMD5Secret(password: "tanstaaftanstaaf").hexContext),
            PassDBEntry(user: "hashed", storedPassword: try PasswordHasher.hash(password: "secret", scheme: .sha256Crypt)),
            PassDBEntry(user: "off", storedPassword: "{PLAIN}secret", extraFields: ["nologin": ""]),
            PassDBEntry(user: "gone", storedPassword: "{PLAIN}secret", extraFields: ["disabled": "yes"]),
            PassDBEntry(user: "nopass", storedPassword: nil),
            PassDBEntry(user: "broken", storedPassword: "{WHAT}ever"),
            PassDBEntry(user: "emptyplain", storedPassword: "{PLAIN}"),
            PassDBEntry(user: "emptyclear", storedPassword: "{CLEAR}"),
            PassDBEntry(user: "emptyb64", storedPassword: "{PLAIN.B64}"),
            PassDBEntry(user: "office", storedPassword: "{PLAIN}secret", extraFields: ["allow_nets": "192.0.2.0/24, 2001:db8::/32"]),
            PassDBEntry(user: "console", storedPassword: "{PLAIN}secret", extraFields: ["allow_nets": "127.0.0.1,local"]),
            PassDBEntry(user: "relay", storedPassword: "{PLAIN}secret", extraFields: ["allow_real_nets": "198.51.100.7"]),
            PassDBEntry(user: "typo", storedPassword: "{PLAIN}secret", extraFields: ["allow_nets": "192.0.2.0/33"]),
            PassDBEntry(user: "failing", storedPassword: "{PLAIN}secret", extraFields: ["fail": ""]),
            PassDBEntry(user: "failno", storedPassword: "{PLAIN}secret", extraFields: ["fail": "no"]),
        ]
    }

    func makeAuthenticator(
        _ entries: [PassDBEntry]? = nil, configuration: AuthConfiguration = AuthConfiguration(), logs: LogCapture = LogCapture()
    ) throws -> Authenticator {
        Authenticator(
            passdb: MemoryPassDB(try entries ?? Self.entries()), verifier: PasswordVerifier(pool: Self.pool),
            configuration: configuration, logger: logs.logger()
        )
    }

    @Test(arguments: [
        ("bob", "secret", AuthResult.success(user: "bob")),
        ("BOB", "secret", .success(user: "bob")),
        ("bob", "Secret", .failure(.wrongPassword)),
        ("nobody", "secret", .failure(.unknownUser)),
        ("hashed", "secret", .success(user: "hashed")),
        ("hashed", "wrong", .failure(.wrongPassword)),
        ("off", "secret", .failure(.disabled)),
        ("off", "wrong", .failure(.wrongPassword)),
        ("gone", "secret", .failure(.disabled)),
        ("nopass", "", .failure(.wrongPassword)),
        ("broken", "secret", .failure(.temporary("stored password unusable"))),
        ("", "secret", .failure(.unknownUser)),
        ("bob\u{0}", "secret", .failure(.unknownUser)),
        ("bob\r\nx", "secret", .failure(.unknownUser)),
    ])
    func verifyPlain(_ user: String, _ password: String, _ expected: AuthResult) async throws {
        let authenticator = try makeAuthenticator()
        #expect(await authenticator.verifyPlain(user: user, password: password, remoteAddress: "192.0.2.9") == expected)
    }

    /// An empty stored plaintext is "no password": nothing matches it, the empty password least.
    @Test(arguments: ["emptyplain", "emptyclear", "emptyb64", "bob"])
    func emptyPasswordsNeverMatch(_ user: String) async throws {
        let authenticator = try makeAuthenticator()
        #expect(await authenticator.verifyPlain(user: user, password: "", remoteAddress: nil) == .failure(.wrongPassword))
        if user != "bob" {
            #expect(await authenticator.verifyPlain(user: user, password: "x", remoteAddress: nil) == .failure(.wrongPassword))
            #expect(await authenticator.credentials(for: user, remoteAddress: nil).failureReason == .unsupportedCredentials)
            #expect(try await !MemoryPassDB(try Self.entries()).canServeCRAMMD5(user: user))
            #expect(try await !MemoryPassDB(try Self.entries()).canServePlaintext(user: user))
        }
    }

    @Test func cramMD5IsNotAdvertisedForAnEmptyPlaintext() async {
        let passdb = MemoryPassDB([PassDBEntry(user: "a", storedPassword: "{PLAIN}x"), PassDBEntry(user: "b", storedPassword: "{PLAIN}")])
        #expect(await SASLAuthenticator.availableMechanisms(passdb: passdb, plaintextAllowed: true) == [.plain, .login])
    }

    @Test(arguments: [
        // allow_nets: IPv4 and IPv6 networks; an IPv4-mapped client counts as IPv4.
        ("office", "192.0.2.200", AuthResult.success(user: "office")),
        ("office", "::ffff:192.0.2.1", .success(user: "office")),
        ("office", "2001:db8:ffff::1", .success(user: "office")),
        ("office", "198.51.100.1", .failure(.networkNotAllowed)),
        ("office", "2001:db9::1", .failure(.networkNotAllowed)),
        // No remote IP (a local tool): refused unless the list has `local`, as in Dovecot.
        ("office", nil, .failure(.networkNotAllowed)),
        ("console", nil, .success(user: "console")),
        ("console", "127.0.0.1", .success(user: "console")),
        ("console", "127.0.0.2", .failure(.networkNotAllowed)),
        // A remote address that is not an IP matches nothing, not even `local`.
        ("console", "unix:/run/x", .failure(.networkNotAllowed)),
        // allow_real_nets: checked against the same address (Roost has no proxy in front).
        ("relay", "198.51.100.7", .success(user: "relay")),
        ("relay", "198.51.100.8", .failure(.networkNotAllowed)),
        // A value that does not parse refuses the login rather than being ignored.
        ("typo", "192.0.2.1", .failure(.networkNotAllowed)),
        // `fail` refuses whatever its value, as in Dovecot.
        ("failing", "192.0.2.1", .failure(.disabled)),
        ("failno", "192.0.2.1", .failure(.disabled)),
    ] as [(String, String?, AuthResult)])
    func passdbFieldsRestrictWhereFromAndWhether(_ user: String, _ remote: String?, _ expected: AuthResult) async throws {
        let authenticator = try makeAuthenticator()
        #expect(await authenticator.verifyPlain(user: user, password: "secret", remoteAddress: remote) == expected)
        // A wrong password is just that: restrictions are not revealed to someone guessing.
        #expect(await authenticator.verifyPlain(user: user, password: "guess", remoteAddress: remote) == .failure(.wrongPassword))
        let digest = CRAMMD5Secret(password: "secret").responseDigest(challenge: Self.rfcChallenge)
        let sasl = SASLAuthenticator(authenticator: authenticator)
        #expect(await sasl.verify(.cramMD5(user: user, challenge: Self.rfcChallenge, digest: digest), remoteAddress: remote) == expected)
    }

    /// The limit applies to every plaintext path, not only SASL, and is checked before any
    /// lookup or hash.
    @Test func passwordLengthIsLimitedBeforeAnyLookup() async throws {
        let counting = CountingPassDB(base: MemoryPassDB(try Self.entries()))
        let configuration = AuthConfiguration(sasl: SASLConfiguration(maxPasswordLength: 6))
        let authenticator = Authenticator(passdb: counting, verifier: PasswordVerifier(pool: Self.pool), configuration: configuration)
        #expect(await authenticator.verifyPlain(user: "bob", password: "secret", remoteAddress: nil) == .success(user: "bob"))
        #expect(counting.lookups == 1)
        #expect(await authenticator.verifyPlain(user: "bob", password: "secret7", remoteAddress: nil) == .failure(.wrongPassword))
        #expect(await authenticator.verifyPlain(user: "nobody", password: String(repeating: "x", count: 1 << 20), remoteAddress: nil)
            == .failure(.wrongPassword))
        #expect(await authenticator.verifyPlain(user: "bob", password: "", remoteAddress: nil) == .failure(.wrongPassword))
        #expect(counting.lookups == 1, "refused before the passdb was asked")
        let standard = try makeAuthenticator()
        let limit = SASLConfiguration().maxPasswordLength
        #expect(await standard.verifyPlain(user: "bob", password: String(repeating: "p", count: limit + 1), remoteAddress: nil)
            == .failure(.wrongPassword))
    }

    /// A full verification queue is a temporary failure, for unknown users too, so that overload
    /// neither looks like a wrong password nor tells names apart.
    @Test func fullVerificationQueueIsATemporaryFailureForEveryone() async throws {
        let pool = BlockingWorkPool(threadCount: 1, name: "overload", maxQueuedJobs: 1)
        defer { pool.shutdown() }
        let authenticator = Authenticator(passdb: MemoryPassDB(try Self.entries()), verifier: PasswordVerifier(pool: pool))
        let gate = Gate()
        let blocker = Task { try await pool.run { gate.wait() } }
        while !gate.isWaiting { await Task.yield() }
        let queued = Task { try await pool.run { 0 } }
        while pool.queuedJobCount < 1 { await Task.yield() }
        let overloaded = AuthResult.failure(.temporary("too many logins in progress"))
        #expect(await authenticator.verifyPlain(user: "bob", password: "secret", remoteAddress: nil) == overloaded)
        #expect(await authenticator.verifyPlain(user: "nobody", password: "secret", remoteAddress: nil) == overloaded)
        #expect(await authenticator.verifyPlain(user: "nopass", password: "secret", remoteAddress: nil) == overloaded)
        gate.open()
        try await blocker.value
        _ = try await queued.value
        #expect(await authenticator.verifyPlain(user: "bob", password: "secret", remoteAddress: nil) == .success(user: "bob"))
    }

    @Test func passdbFailureIsTemporaryAndLogged() async throws {
        let logs = LogCapture()
        let authenticator = Authenticator(
            passdb: MemoryPassDB([], failure: SimulatedBackendError()), verifier: PasswordVerifier(pool: Self.pool),
            logger: logs.logger()
        )
        #expect(await authenticator.verifyPlain(user: "bob", password: "pw", remoteAddress: nil) == .failure(.temporary("passdb lookup failed")))
        #expect(logs.records.contains { $0.level == .error })
    }

    @Test func brokenStoredValueIsLoggedWithoutSecrets() async throws {
        let logs = LogCapture()
        let authenticator = try makeAuthenticator(logs: logs)
        let result = await authenticator.verifyPlain(user: "broken", password: "hunter2", remoteAddress: nil)
        #expect(result == .failure(.temporary("stored password unusable")))
        let lines = logs.records.map { $0.message + " " + $0.metadata.values.joined(separator: " ") }
        #expect(lines.contains { $0.contains("unknown password scheme WHAT") })
        #expect(!lines.contains { $0.contains("hunter2") || $0.contains("ever") })
    }

    @Test func userNameNormalisation() throws {
        let plain = try makeAuthenticator(configuration: AuthConfiguration(lowercaseUserNames: false, defaultRealm: "Example.org"))
        #expect(plain.normalizedUserName("Bob") == "Bob@Example.org")
        #expect(plain.normalizedUserName("bob@other.net") == "bob@other.net")
        let folded = try makeAuthenticator(configuration: AuthConfiguration(defaultRealm: "Example.org", maxUserNameLength: 12))
        #expect(folded.normalizedUserName("Bob") == nil, "too long once the realm is added")
        #expect(folded.normalizedUserName("B@x.io") == "b@x.io")
    }

    @Test func credentialsForChallengeResponse() async throws {
        let authenticator = try makeAuthenticator()
        let tim = try await authenticator.credentials(for: "tim", remoteAddress: nil).get()
        #expect(tim.plaintext == Array("tanstaaftanstaaf".utf8))
        #expect(tim.refusal == nil)
        let cram = try await authenticator.credentials(for: "cram@example.org", remoteAddress: nil).get()
        #expect(cram.plaintext == nil)
        #expect(cram.cramMD5Secret == tim.cramMD5Secret)
        #expect(await authenticator.credentials(for: "hashed", remoteAddress: nil).failureReason == .unsupportedCredentials)
        #expect(await authenticator.credentials(for: "nopass", remoteAddress: nil).failureReason == .unsupportedCredentials)
        #expect(await authenticator.credentials(for: "nobody", remoteAddress: nil).failureReason == .unknownUser)
        #expect(try await authenticator.credentials(for: "off", remoteAddress: nil).get().isDisabled)
        #expect(try await authenticator.credentials(for: "office", remoteAddress: "203.0.113.1").get().refusal == .networkNotAllowed)
        #expect(try await authenticator.credentials(for: "office", remoteAddress: "192.0.2.1").get().refusal == nil)
    }

    static let rfcChallenge = "<1896.697170952@postoffice.reston.mci.net>"
    static let rfcDigest = "b913a602c7eda7a495b4e6e7334d3890"

    @Test(arguments: [
        (SASLCredentials.password(user: "bob", password: "secret"), AuthResult.success(user: "bob")),
        (.password(user: "bob", password: "nope"), .failure(.wrongPassword)),
        (.cramMD5(user: "tim", challenge: AuthenticatorTests.rfcChallenge, digest: AuthenticatorTests.rfcDigest), .success(user: "tim")),
        (.cramMD5(user: "Cram@Example.org", challenge: AuthenticatorTests.rfcChallenge, digest: AuthenticatorTests.rfcDigest), .success(user: "cram@example.org")),
        (.cramMD5(user: "tim", challenge: AuthenticatorTests.rfcChallenge + "x", digest: AuthenticatorTests.rfcDigest), .failure(.wrongPassword)),
        (.cramMD5(user: "hashed", challenge: AuthenticatorTests.rfcChallenge, digest: AuthenticatorTests.rfcDigest), .failure(.unsupportedCredentials)),
        (.cramMD5(user: "nobody", challenge: AuthenticatorTests.rfcChallenge, digest: AuthenticatorTests.rfcDigest), .failure(.unknownUser)),
        (.cramMD5(user: "off", challenge: AuthenticatorTests.rfcChallenge, digest: CRAMMD5Secret(password: "secret").responseDigest(challenge: AuthenticatorTests.rfcChallenge)),
         .failure(.disabled)),
        (.cramMD5(user: "off", challenge: AuthenticatorTests.rfcChallenge, digest: AuthenticatorTests.rfcDigest), .failure(.wrongPassword)),
    ])
    func saslVerification(_ credentials: SASLCredentials, _ expected: AuthResult) async throws {
        let sasl = SASLAuthenticator(authenticator: try makeAuthenticator())
        #expect(await sasl.verify(credentials, remoteAddress: "192.0.2.9") == expected)
    }

    @Test func fullPLAINExchangeAgainstAPasswdFile() async throws {
        let directory = try TemporaryDirectory()
        try directory.write("passwd", "bob@example.org:\(try PasswordHasher.hash(password: "pw"))\n")
        let passdb = try PasswdFile(path: directory.file("passwd"))
        let sasl = SASLAuthenticator(authenticator: Authenticator(passdb: passdb, verifier: PasswordVerifier(pool: Self.pool)))
        var exchange = SASLServerExchange(mechanism: .plain, initialResponse: Base64.encode(Array("\0bob@example.org\0pw".utf8)))
        guard case .needsVerification(let credentials) = exchange.start() else {
            Issue.record("PLAIN with an initial response must be ready to verify")
            return
        }
        #expect(await sasl.verify(credentials, remoteAddress: "192.0.2.9") == .success(user: "bob@example.org"))
        #expect(await sasl.availableMechanisms(plaintextAllowed: true) == [.plain, .login])
    }

    @Test func advertisedMechanisms() async throws {
        let plaintextOnly = MemoryPassDB([
            PassDBEntry(user: "a", storedPassword: "{PLAIN}x"), PassDBEntry(user: "b", storedPassword: "{CRAM-MD5}" + CRAMMD5Secret(password: "y").hexContext),
        ])
        let mixed = MemoryPassDB(try Self.entries().filter { $0.user != "broken" && !$0.user.hasPrefix("empty") })
        #expect(await SASLAuthenticator.availableMechanisms(passdb: plaintextOnly, plaintextAllowed: true) == [.plain, .login, .cramMD5])
        #expect(await SASLAuthenticator.availableMechanisms(passdb: plaintextOnly, plaintextAllowed: false) == [.cramMD5])
        #expect(await SASLAuthenticator.availableMechanisms(passdb: mixed, plaintextAllowed: true) == [.plain, .login])
        #expect(await SASLAuthenticator.availableMechanisms(passdb: mixed, plaintextAllowed: false) == [])
    }
}

/// Counts lookups, to show which checks happen before the passdb is asked.
final class CountingPassDB: PassDB, @unchecked Sendable {
    private let base: MemoryPassDB
    private let lock = NSLock()
    private var count = 0

    init(base: MemoryPassDB) {
        self.base = base
    }

    var lookups: Int { lock.withLock { count } }

    func lookup(user: String) async throws -> PassDBEntry? {
        lock.withLock { count += 1 }
        return try await base.lookup(user: user)
    }

    func canServeCRAMMD5() async -> Bool { await base.canServeCRAMMD5() }

    func canServeAPOP() async -> Bool { await base.canServeAPOP() }
}

extension Result {
    var failureReason: Failure? {
        if case .failure(let reason) = self { return reason }
        return nil
    }
}
