import Testing
@testable import RoostAuth

/// `Authenticator.verifyAPOP`: RFC 1939 section 7 digests against every kind of stored password.
@Suite("Authenticator APOP")
struct AuthenticatorAPOPTests {
    /// The example of RFC 1939 section 7.
    static let timestamp = "<1896.697170952@dbc.mtview.ca.us>"
    static let rfcDigest = "c4c9334bac560ecc979e58001b3e22fb"

    static func entries() throws -> [PassDBEntry] {
        [
            PassDBEntry(user: "mrose", storedPassword: "{PLAIN}tanstaaf"),
            PassDBEntry(user: "bare", storedPassword: "tanstaaf", defaultScheme: .plain),
            PassDBEntry(user: "b64", storedPassword: "{PLAIN.B64}dGFuc3RhYWY="),
            PassDBEntry(user: "hashed", storedPassword: try PasswordHasher.hash(password: "tanstaaf", scheme: .sha256Crypt)),
            PassDBEntry(user: "salted", storedPassword: try PasswordHasher.hash(password: "tanstaaf", scheme: .ssha256)),
            PassDBEntry(user: "cram", storedPassword: "{CRAM-MD5}" + CRAMMD5Secret(password: "tanstaaf").hexContext),
            PassDBEntry(user: "emptyplain", storedPassword: "{PLAIN}"),
            PassDBEntry(user: "nopass", storedPassword: nil),
            PassDBEntry(user: "off", storedPassword: "{PLAIN}tanstaaf", extraFields: ["nologin": ""]),
            PassDBEntry(user: "gone", storedPassword: "{PLAIN}tanstaaf", extraFields: ["disabled": "yes"]),
            PassDBEntry(user: "office", storedPassword: "{PLAIN}tanstaaf", extraFields: ["allow_nets": "192.0.2.0/24"]),
        ]
    }

    func makeAuthenticator(_ passdb: MemoryPassDB? = nil) throws -> Authenticator {
        Authenticator(passdb: try passdb ?? MemoryPassDB(Self.entries()), verifier: PasswordVerifier(pool: AuthenticatorTests.pool))
    }

    @Test(arguments: [
        // RFC 1939 section 7, in both hex cases; names are normalised as for every login.
        ("mrose", rfcDigest, AuthResult.success(user: "mrose")),
        ("mrose", rfcDigest.uppercased(), .success(user: "mrose")),
        ("MRose", "C4c9334BAC560ecc979e58001b3e22FB", .success(user: "mrose")),
        ("bare", rfcDigest, .success(user: "bare")),
        ("b64", rfcDigest, .success(user: "b64")),
        // A wrong digest, and digests that are not 32 hex digits.
        ("mrose", "c4c9334bac560ecc979e58001b3e22fc", .failure(.wrongPassword)),
        ("mrose", "00000000000000000000000000000000", .failure(.wrongPassword)),
        ("mrose", "", .failure(.wrongPassword)),
        ("mrose", String(rfcDigest.dropLast()), .failure(.wrongPassword)),
        ("mrose", rfcDigest + "0", .failure(.wrongPassword)),
        ("mrose", "g4c9334bac560ecc979e58001b3e22fb", .failure(.wrongPassword)),
        ("mrose", " c4c9334bac560ecc979e58001b3e22f", .failure(.wrongPassword)),
        ("mrose", "c4c9334bac560ecc979e58001b3e22f\u{00E9}", .failure(.wrongPassword)),
        // Nothing but a non-empty plaintext can check a digest.
        ("hashed", rfcDigest, .failure(.unsupportedCredentials)),
        ("salted", rfcDigest, .failure(.unsupportedCredentials)),
        ("cram", rfcDigest, .failure(.unsupportedCredentials)),
        ("emptyplain", rfcDigest, .failure(.unsupportedCredentials)),
        ("nopass", rfcDigest, .failure(.unsupportedCredentials)),
        // Unknown or impossible names.
        ("nobody", rfcDigest, .failure(.unknownUser)),
        ("", rfcDigest, .failure(.unknownUser)),
        ("mrose\r\n", rfcDigest, .failure(.unknownUser)),
        // Restricted accounts are refused only once the digest checked out.
        ("off", rfcDigest, .failure(.disabled)),
        ("off", "c4c9334bac560ecc979e58001b3e22fc", .failure(.wrongPassword)),
        ("gone", rfcDigest, .failure(.disabled)),
        ("gone", "ffffffffffffffffffffffffffffffff", .failure(.wrongPassword)),
        ("office", rfcDigest, .failure(.networkNotAllowed)),
        ("office", "c4c9334bac560ecc979e58001b3e22fc", .failure(.wrongPassword)),
    ])
    func verifyAPOP(_ user: String, _ digest: String, _ expected: AuthResult) async throws {
        let authenticator = try makeAuthenticator()
        let result = await authenticator.verifyAPOP(
            user: user, timestamp: Self.timestamp, digest: digest, remoteAddress: "198.51.100.1")
        #expect(result == expected)
    }

    @Test func allowNetsAdmitsTheRightNetwork() async throws {
        let authenticator = try makeAuthenticator()
        let result = await authenticator.verifyAPOP(
            user: "office", timestamp: Self.timestamp, digest: Self.rfcDigest, remoteAddress: "192.0.2.44")
        #expect(result == .success(user: "office"))
    }

    @Test func theDigestCoversTheWholeTimestamp() async throws {
        let authenticator = try makeAuthenticator()
        // Without the angle brackets, or from another session's greeting, the same digest fails.
        for timestamp in ["1896.697170952@dbc.mtview.ca.us", "<1897.697170952@dbc.mtview.ca.us>"] {
            let result = await authenticator.verifyAPOP(
                user: "mrose", timestamp: timestamp, digest: Self.rfcDigest, remoteAddress: nil)
            #expect(result == .failure(.wrongPassword))
        }
    }

    @Test func aMalformedDigestDoesNotReachThePassdb() async throws {
        let counting = CountingPassDB(base: try MemoryPassDB(Self.entries()))
        let authenticator = Authenticator(passdb: counting, verifier: PasswordVerifier(pool: AuthenticatorTests.pool))
        _ = await authenticator.verifyAPOP(user: "mrose", timestamp: Self.timestamp, digest: "xyz", remoteAddress: nil)
        #expect(counting.lookups == 0)
        _ = await authenticator.verifyAPOP(user: "mrose", timestamp: Self.timestamp, digest: Self.rfcDigest, remoteAddress: nil)
        #expect(counting.lookups == 1)
    }

    @Test func aPassdbFailureIsTemporary() async throws {
        let authenticator = try makeAuthenticator(MemoryPassDB([], failure: SimulatedBackendError()))
        let result = await authenticator.verifyAPOP(
            user: "mrose", timestamp: Self.timestamp, digest: Self.rfcDigest, remoteAddress: nil)
        #expect(result == .failure(.temporary("passdb lookup failed")))
    }

    @Test func digestMatchingIsMD5OfTimestampThenSecret() {
        let response = Hex.decode(Self.rfcDigest) ?? []
        #expect(Authenticator.apopDigestMatches(timestamp: Self.timestamp, secret: Array("tanstaaf".utf8), response: response))
        #expect(!Authenticator.apopDigestMatches(timestamp: Self.timestamp, secret: Array("tanstaa".utf8), response: response))
        #expect(!Authenticator.apopDigestMatches(timestamp: Self.timestamp, secret: Array("tanstaaf".utf8), response: []))
    }

    @Test func canServeAPOPNeedsEveryPasswordToBePlaintext() async throws {
        #expect(await MemoryPassDB([
            PassDBEntry(user: "a", storedPassword: "{PLAIN}x"), PassDBEntry(user: "b", storedPassword: "y", defaultScheme: .plain),
            PassDBEntry(user: "c", storedPassword: nil),
        ]).canServeAPOP())
        #expect(await !MemoryPassDB(try Self.entries()).canServeAPOP())
        #expect(await !MemoryPassDB([
            PassDBEntry(user: "a", storedPassword: "{PLAIN}x"), PassDBEntry(user: "b", storedPassword: "{PLAIN}"),
        ]).canServeAPOP())
        #expect(await !MemoryPassDB([]).canServeAPOP())
    }
}
