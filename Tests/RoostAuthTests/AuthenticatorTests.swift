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
        #expect(await authenticator.verifyPlain(user: user, password: password) == expected)
    }

    @Test func passdbFailureIsTemporaryAndLogged() async throws {
        let logs = LogCapture()
        let authenticator = Authenticator(
            passdb: MemoryPassDB([], failure: SimulatedBackendError()), verifier: PasswordVerifier(pool: Self.pool),
            logger: logs.logger()
        )
        #expect(await authenticator.verifyPlain(user: "bob", password: "pw") == .failure(.temporary("passdb lookup failed")))
        #expect(logs.records.contains { $0.level == .error })
    }

    @Test func brokenStoredValueIsLoggedWithoutSecrets() async throws {
        let logs = LogCapture()
        let authenticator = try makeAuthenticator(logs: logs)
        let result = await authenticator.verifyPlain(user: "broken", password: "hunter2")
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
        let tim = try await authenticator.credentials(for: "tim").get()
        #expect(tim.plaintext == Array("tanstaaftanstaaf".utf8))
        let cram = try await authenticator.credentials(for: "cram@example.org").get()
        #expect(cram.plaintext == nil)
        #expect(cram.cramMD5Secret == tim.cramMD5Secret)
        #expect(await authenticator.credentials(for: "hashed").failureReason == .unsupportedCredentials)
        #expect(await authenticator.credentials(for: "nopass").failureReason == .unsupportedCredentials)
        #expect(await authenticator.credentials(for: "nobody").failureReason == .unknownUser)
        #expect(try await authenticator.credentials(for: "off").get().isDisabled)
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
        #expect(await sasl.verify(credentials) == expected)
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
        #expect(await sasl.verify(credentials) == .success(user: "bob@example.org"))
        #expect(await sasl.availableMechanisms(plaintextAllowed: true) == [.plain, .login])
    }

    @Test func advertisedMechanisms() async throws {
        let plaintextOnly = MemoryPassDB([
            PassDBEntry(user: "a", storedPassword: "{PLAIN}x"), PassDBEntry(user: "b", storedPassword: "{CRAM-MD5}" + CRAMMD5Secret(password: "y").hexContext),
        ])
        let mixed = MemoryPassDB(try Self.entries().filter { $0.user != "broken" })
        #expect(await SASLAuthenticator.availableMechanisms(passdb: plaintextOnly, plaintextAllowed: true) == [.plain, .login, .cramMD5])
        #expect(await SASLAuthenticator.availableMechanisms(passdb: plaintextOnly, plaintextAllowed: false) == [.cramMD5])
        #expect(await SASLAuthenticator.availableMechanisms(passdb: mixed, plaintextAllowed: true) == [.plain, .login])
        #expect(await SASLAuthenticator.availableMechanisms(passdb: mixed, plaintextAllowed: false) == [])
    }
}

extension Result {
    var failureReason: Failure? {
        if case .failure(let reason) = self { return reason }
        return nil
    }
}
