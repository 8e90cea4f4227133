import Testing
@testable import RoostAuth

@Suite("Password schemes against doveadm and mkpasswd hashes")
struct PasswordVerifierTests {
    @Test func fixtureFileIsComplete() {
        // 3 passwords × 36 rows, plus the RFC 2195 CRAM-MD5 secret.
        #expect(PasswordFixture.all.count == 109)
    }

    @Test(arguments: PasswordFixture.all)
    func fixtureVerifies(_ fixture: PasswordFixture) throws {
        #expect(try PasswordVerifier.verify(password: fixture.password, storedPassword: fixture.stored))
    }

    @Test(arguments: PasswordFixture.all)
    func fixtureRejectsWrongPasswords(_ fixture: PasswordFixture) throws {
        var wrongs = [fixture.password.uppercased(), ""]
        // bcrypt ignores everything after 72 bytes, so changing the end of a long password cannot fail.
        if !(fixture.stored.contains("$2") && fixture.password.utf8.count > 72) {
            wrongs += [fixture.password + "x", String(fixture.password.dropLast())]
        }
        for wrong in wrongs {
            #expect(try !PasswordVerifier.verify(password: wrong, storedPassword: fixture.stored), "\(wrong)")
        }
    }

    @Test(arguments: PasswordScheme.allCases)
    func hashThenVerifyRoundTrip(_ scheme: PasswordScheme) throws {
        let stored = try PasswordHasher.hash(password: "Round trip: ünïcode", scheme: scheme)
        #expect(stored.hasPrefix("{\(scheme.name)}"))
        #expect(try PasswordVerifier.verify(password: "Round trip: ünïcode", storedPassword: stored))
        #expect(try !PasswordVerifier.verify(password: "Round trip: unicode", storedPassword: stored))
    }

    /// Every (scheme, encoding) the hasher accepts verifies back, passes the reader's check, and
    /// rejects another password; the combinations it refuses are exactly the binary digests
    /// written unencoded.
    @Test(arguments: PasswordScheme.allCases, [nil, PasswordEncoding.none, .hex, .base64] as [PasswordEncoding?])
    func everyEncodingTheHasherAcceptsVerifies(_ scheme: PasswordScheme, _ encoding: PasswordEncoding?) throws {
        let password = "Round trip: ünïcode a:b"
        let effective = encoding ?? scheme.defaultEncoding
        guard scheme.canStore(effective) else {
            #expect(throws: PasswordSchemeError.unsupportedEncoding(scheme: scheme, encoding: effective)) {
                try PasswordHasher.hash(password: password, scheme: scheme, encoding: encoding)
            }
            return
        }
        let stored = try PasswordHasher.hash(password: password, scheme: scheme, encoding: encoding)
        let suffix = effective == scheme.defaultEncoding ? "" : "." + (effective == .hex ? "HEX" : "B64")
        #expect(stored.hasPrefix("{\(scheme.name)\(suffix)}"))
        #expect(try PasswordVerifier.verify(password: password, storedPassword: stored))
        #expect(try !PasswordVerifier.verify(password: "Round trip: unicode a:b", storedPassword: stored))
        try StoredPassword(parsing: stored, defaultScheme: .crypt).validate()
    }

    @Test func onlyBinaryDigestsCannotBeStoredUnencoded() {
        let refused = Set(PasswordScheme.allCases.filter { !$0.canStore(.none) })
        #expect(refused == [.ssha512, .sha512, .ssha256, .sha256, .ssha, .sha1, .smd5, .plainMD5, .ldapMD5, .cramMD5])
        #expect(PasswordScheme.allCases.allSatisfy { $0.canStore(.hex) && $0.canStore(.base64) })
    }

    /// Dovecot's MD5 undoes the suffix encoding first and then decides by content (`md5_verify`).
    @Test func md5WithASuffixIsDecodedFirst() throws {
        let crypt = "$1$KHzrm9nC$MF1PBmGtqnny4FKrvr5TF."  // MD5-CRYPT of "secret", from the fixtures
        #expect(try PasswordVerifier.verify(password: "secret", storedPassword: "{MD5.HEX}" + Hex.encode(Array(crypt.utf8))))
        #expect(try PasswordVerifier.verify(password: "secret", storedPassword: "{MD5.B64}" + Base64.encode(Array(crypt.utf8))))
        let hexDigest = "5ebe2294ecd0e0f08eab7690d2a6ee69"
        #expect(try PasswordVerifier.verify(password: "secret", storedPassword: "{MD5.B64}" + Base64.encode(Array(hexDigest.utf8))))
        #expect(try !PasswordVerifier.verify(password: "Secret", storedPassword: "{MD5.HEX}" + Hex.encode(Array(crypt.utf8))))
    }

    @Test(arguments: ["{PLAIN}", "{CLEAR}", "{CLEARTEXT}", "{PLAIN.B64}", "{PLAIN.HEX}"])
    func emptyStoredPlaintextMatchesNothing(_ stored: String) throws {
        #expect(try !PasswordVerifier.verify(password: "", storedPassword: stored))
        #expect(try !PasswordVerifier.verify(password: "x", storedPassword: stored))
        let parsed = try StoredPassword(parsing: stored, defaultScheme: .crypt)
        #expect(!parsed.canServeCRAMMD5)
        #expect(!parsed.canServePlaintext)
    }

    @Test func schemeBracesAreFoundByteWise() throws {
        // "}" followed by a combining mark is one Character; the byte-wise parse still sees it.
        let stored = try StoredPassword(parsing: "{PLAIN}\u{301}x", defaultScheme: .crypt)
        #expect(stored.scheme == .plain && stored.data == "\u{301}x")
        #expect(try PasswordVerifier.verify(password: "\u{301}x", storedPassword: "{PLAIN}\u{301}x"))
    }

    @Test func defaultSchemeMakesYescryptCrypt() throws {
        let stored = try PasswordHasher.hash(password: "secret")
        #expect(stored.hasPrefix("{CRYPT}$y$"))
        #expect(LibXCrypt.preferredMethod == "$y$")
    }

    @Test(arguments: [
        (PasswordScheme.sha512Crypt, "{SHA512-CRYPT}$6$"), (.sha256Crypt, "{SHA256-CRYPT}$5$"),
        (.blfCrypt, "{BLF-CRYPT}$2y$"), (.md5Crypt, "{MD5-CRYPT}$1$"),
    ])
    func cryptSchemesUseTheirMethod(_ scheme: PasswordScheme, _ prefix: String) throws {
        #expect(try PasswordHasher.hash(password: "x", scheme: scheme).hasPrefix(prefix))
    }

    @Test func valueWithoutPrefixUsesTheDefaultScheme() throws {
        #expect(try PasswordVerifier.verify(password: "secret", storedPassword: "secret", defaultScheme: .plain))
        // "secret" is not a SHA256 digest: the stored value is broken, not merely different.
        #expect(throws: PasswordSchemeError.invalidLength(scheme: .sha256, expected: 32, actual: 4)) {
            try PasswordVerifier.verify(password: "secret", storedPassword: "secret", defaultScheme: .sha256)
        }
        let sha = "K7gNU3sdo+OL0wNhqoVWhr3g6s1xYv72ol/pe/Unols="
        #expect(try PasswordVerifier.verify(password: "secret", storedPassword: sha, defaultScheme: .sha256))
    }

    @Test func schemeNamesAreCaseInsensitiveWithAliases() throws {
        #expect(try PasswordVerifier.verify(password: "secret", storedPassword: "{sha1}5en6G6MezRroT3XKqkdPOmY/BfQ="))
        #expect(try PasswordVerifier.verify(password: "secret", storedPassword: "{Plain}secret"))
        #expect(try PasswordVerifier.verify(password: "secret", storedPassword: "{sha.hex}E5E9FA1BA31ECD1AE84F75CAAA474F3A663F05F4"))
        #expect(PasswordScheme(name: "hmac-md5") == .cramMD5)
    }

    @Test func hexOrBase64IsGuessedForFixedLengthDigests() throws {
        // SHA without suffix: 40 characters is hex, anything else base64 (Dovecot's rule).
        #expect(try PasswordVerifier.verify(password: "secret", storedPassword: "{SHA}e5e9fa1ba31ecd1ae84f75caaa474f3a663f05f4"))
        #expect(try PasswordVerifier.verify(password: "secret", storedPassword: "{PLAIN-MD5}Xr4ilOzQ4PCOq3aQ0qbuaQ=="))
    }

    @Test(arguments: [
        ("{NOPE}abc", PasswordSchemeError.unknownScheme("NOPE")),
        ("{SHA512.ROT13}abc", .unknownScheme("SHA512.ROT13")),
        ("{SHA256}!!!!", .invalidEncoding(scheme: .sha256)),
        ("{SHA256}c2hvcnQ=", .invalidLength(scheme: .sha256, expected: 32, actual: 5)),
        ("{SHA.HEX}zz", .invalidEncoding(scheme: .sha1)),
        ("{SSHA}5en6G6MezRroT3XKqkdPOmY/BfQ=", .invalidLength(scheme: .ssha, expected: 28, actual: 20)),
        ("{CRYPT}$9$nonsense", .invalidCryptString(scheme: .crypt)),
        ("{CRAM-MD5}abcd", .invalidLength(scheme: .cramMD5, expected: 32, actual: 3)),
        ("{MD5}not-a-digest", .invalidEncoding(scheme: .plainMD5)),
    ])
    func brokenStoredValuesThrow(_ stored: String, _ expected: PasswordSchemeError) {
        #expect(throws: expected) { try PasswordVerifier.verify(password: "secret", storedPassword: stored) }
    }

    @Test func bcryptOnlyReadsTheFirst72Bytes() throws {
        let long = String(repeating: "p", count: 72)
        let stored = try PasswordHasher.hash(password: long, scheme: .blfCrypt)
        #expect(try PasswordVerifier.verify(password: long + "ignored", storedPassword: stored))
        #expect(try !PasswordVerifier.verify(password: String(long.dropLast()), storedPassword: stored))
    }

    @Test func emptyCryptStringNeverMatches() throws {
        #expect(try !PasswordVerifier.verify(password: "", storedPassword: "{CRYPT}"))
        #expect(try !PasswordVerifier.verify(password: "x", storedPassword: ""))
    }

    @Test func passwordsCryptCannotHashNeverMatch() throws {
        let stored = try PasswordHasher.hash(password: "secret", scheme: .sha512Crypt)
        #expect(try !PasswordVerifier.verify(password: "secret\0", storedPassword: stored))
        #expect(try !PasswordVerifier.verify(password: String(repeating: "a", count: 600), storedPassword: stored))
        #expect(throws: PasswordSchemeError.unusablePassword(scheme: .crypt)) {
            try PasswordHasher.hash(password: String(repeating: "a", count: 600))
        }
    }

    @Test func verifiesOnThePoolNotTheCallersThread() async throws {
        let pool = BlockingWorkPool(threadCount: 2, name: "verify-test")
        defer { pool.shutdown() }
        let verifier = PasswordVerifier(pool: pool)
        let stored = try await verifier.hash(password: "pool", scheme: .sha512Crypt)
        #expect(try await verifier.verify(password: "pool", storedPassword: stored))
        #expect(try await !verifier.verify(password: "loop", storedPassword: stored))
    }

    @Test func schemeCapabilities() {
        let cramCapable = PasswordScheme.allCases.filter(\.canServeCRAMMD5)
        #expect(Set(cramCapable) == [.plain, .clear, .cleartext, .cramMD5])
        #expect(PasswordScheme.allCases.filter(\.isPlaintext).count == 3)
        #expect(PasswordScheme.cramMD5.isPlaintextEquivalent && !PasswordScheme.cramMD5.isPlaintext)
        #expect(!PasswordScheme.crypt.isPlaintextEquivalent)
    }

    @Test(arguments: [
        ("{SHA256}c2hvcnQ=", PasswordSchemeError.invalidLength(scheme: .sha256, expected: 32, actual: 5)),
        ("{SSHA}5en6G6MezRroT3XKqkdPOmY/BfQ=", .invalidLength(scheme: .ssha, expected: 28, actual: 20)),
        ("{MD5}z!z!", .invalidEncoding(scheme: .plainMD5)),
        ("{PLAIN.HEX}xyz", .invalidEncoding(scheme: .plain)),
    ])
    func validateRefusesWhatVerificationWouldThrowFor(_ stored: String, _ expected: PasswordSchemeError) {
        #expect(throws: expected) { try StoredPassword(parsing: stored, defaultScheme: .crypt).validate() }
    }

    @Test func storedPasswordParsesAndPrints() throws {
        let stored = try StoredPassword(parsing: "{ssha512.b64}abc", defaultScheme: .crypt)
        #expect(stored.scheme == .ssha512 && stored.explicitEncoding == .base64 && stored.data == "abc")
        #expect(stored.description == "{SSHA512.B64}abc")
        let bare = try StoredPassword(parsing: "{no closing brace", defaultScheme: .plain)
        #expect(bare.scheme == .plain && bare.data == "{no closing brace")
    }

    @Test func constantTimeEquality() {
        #expect(ConstantTime.equals([1, 2, 3], [1, 2, 3]))
        #expect(!ConstantTime.equals([1, 2, 3], [1, 2, 4]))
        #expect(!ConstantTime.equals([1, 2, 3], [1, 2]))
        #expect(!ConstantTime.equals([1, 2], [1, 2, 3]))
        #expect(!ConstantTime.equals([1], []))
        #expect(ConstantTime.equals([UInt8](), []))
        #expect(ConstantTime.equals("abc", "abc") && !ConstantTime.equals("abc", "abd"))
    }
}
