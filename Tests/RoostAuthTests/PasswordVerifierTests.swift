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

    @Test(arguments: [PasswordScheme.ssha512, .sha512, .sha256, .ssha, .plainMD5, .plain, .cramMD5])
    func explicitEncodingRoundTrip(_ scheme: PasswordScheme) throws {
        for encoding in [PasswordEncoding.hex, .base64] {
            let stored = try PasswordHasher.hash(password: "a:b c", scheme: scheme, encoding: encoding)
            if encoding != scheme.defaultEncoding {
                #expect(stored.hasPrefix("{\(scheme.name).\(encoding == .hex ? "HEX" : "B64")}"))
            }
            #expect(try PasswordVerifier.verify(password: "a:b c", storedPassword: stored))
            #expect(try !PasswordVerifier.verify(password: "a:b", storedPassword: stored))
        }
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
