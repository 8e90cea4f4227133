import RoostAuth
import Testing
@testable import RoostAdmin

@Suite("StoredPasswordCheck and CryptFormat")
struct StoredPasswordCheckTests {
    /// Every crypt method Roost hashes with passes, so a fresh hash is never called malformed.
    @Test(arguments: [PasswordScheme.crypt, .sha512Crypt, .sha256Crypt, .blfCrypt, .md5Crypt, .md5])
    func freshHashesAreWellFormed(scheme: PasswordScheme) throws {
        let value = try PasswordHasher.hash(password: "pw", scheme: scheme)
        let stored = try StoredPassword(parsing: value, defaultScheme: .crypt)
        #expect(StoredPasswordCheck.problem(stored) == nil, "\(value)")
    }

    @Test(arguments: [
        // From libxcrypt (perl's crypt): DES, BSDi, MD5, SHA-512 with rounds, bcrypt.
        "abgOeLfPimXQo", "_J9..salthGVxOQgfL1M", "$1$abc$B..HicC/afMveWeNyfNsf/",
        "$6$rounds=10000$saltsalt$SUKsIfW97VY34On.kGO8yBI1HnziN9p.Q8sL6UoON.ElrSTA9BqaJZWt7lMr5EU25WIC1mwleJtQYdf/hU6rQ/",
        "$2b$05$abcdefghijklmnopqrstuuMceFj4VbmHOj8C7PetMxzZkwre/z.Ri",
        // Prefixes not described here are left to libxcrypt.
        "$sha1$40000$salt$abcdefghijklmnopqrstuvwxyz01", "$md5$salt$$abcdefghijklmnopqrstuv",
    ])
    func knownShapesPass(hash: String) {
        #expect(CryptFormat.isWellFormed(hash))
    }

    @Test(arguments: [
        "", "garbage", "abgOeLfPimXQ", "abgOeLfPimXQo!", "_J9..salt", "$1$abc$short", "$1$toolongsalt$B..HicC/afMveWeNyfNsf/",
        "$6$salt$short", "$6$rounds=$salt$SUKsIfW97VY34On.kGO8yBI1HnziN9p.Q8sL6UoON.ElrSTA9BqaJZWt7lMr5EU25WIC1mwleJtQYdf/hU6rQ/",
        "$5$salt$tooshort", "$2b$5$abcdefghijklmnopqrstuuMceFj4VbmHOj8C7PetMxzZkwre/z.Ri", "$2y$05$short",
        "$y$j9T$salt$short", "$y$$salt$abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ", "$7$short$abc",
    ])
    func brokenShapesFail(hash: String) {
        #expect(!CryptFormat.isWellFormed(hash))
    }

    @Test(arguments: [
        ("{PLAIN}", "the PLAIN value is empty, which matches no password"),
        ("{SHA256-CRYPT}$6$x$y", "a SHA256-CRYPT value starts with $5$; this one starts with $6$"),
        ("{BLF-CRYPT}$6$x$y", "a BLF-CRYPT value starts with $2a$ or $2b$ or $2x$ or $2y$; this one starts with $6$"),
        ("{CRYPT}$6$salt$cut", "the value is not a complete $6$ crypt(3) hash (cut short or malformed)"),
    ])
    func problemsAreNamed(value: String, problem: String) throws {
        let stored = try StoredPassword(parsing: value, defaultScheme: .crypt)
        #expect(StoredPasswordCheck.problem(stored) == problem)
    }

    /// Non-crypt schemes and encoded crypt values are left to the verifier.
    @Test(arguments: ["{PLAIN}x", "{SSHA512}whatever", "{MD5}5f4dcc3b5aa765d61d8327deb882cf99", "{SHA512-CRYPT.B64}Zm9v"])
    func otherValuesAreLeftToTheVerifier(value: String) throws {
        let stored = try StoredPassword(parsing: value, defaultScheme: .crypt)
        #expect(StoredPasswordCheck.problem(stored) == nil)
    }
}
