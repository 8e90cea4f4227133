import Crypto
import Testing
@testable import RoostAuth

@Suite("MD5 with exposed state and Dovecot CRAM-MD5 secrets")
struct CRAMMD5SecretTests {
    /// RFC 2195 section 2 example.
    static let rfcChallenge = "<1896.697170952@postoffice.reston.mci.net>"
    static let rfcSecret = "tanstaaftanstaaf"
    static let rfcDigest = "b913a602c7eda7a495b4e6e7334d3890"

    @Test func rfc2195ExampleFromPlaintext() {
        let secret = CRAMMD5Secret(password: Self.rfcSecret)
        #expect(secret.responseDigest(challenge: Self.rfcChallenge) == Self.rfcDigest)
        #expect(secret.verify(challenge: Self.rfcChallenge, responseDigest: Self.rfcDigest.uppercased()))
        #expect(!secret.verify(challenge: Self.rfcChallenge + " ", responseDigest: Self.rfcDigest))
        #expect(!secret.verify(challenge: Self.rfcChallenge, responseDigest: "b913"))
    }

    @Test func rfc2195ExampleFromDoveadmContext() throws {
        // `doveadm pw -s CRAM-MD5 -p tanstaaftanstaaf`, committed in the fixtures.
        let fixture = try #require(PasswordFixture.all.first { $0.label == "CRAM-MD5(rfc2195)" })
        let stored = try StoredPassword(parsing: fixture.stored, defaultScheme: .plain)
        let secret = try #require(CRAMMD5Secret(rawContext: try stored.rawBytes()))
        #expect(secret == CRAMMD5Secret(password: Self.rfcSecret))
        #expect(secret.responseDigest(challenge: Self.rfcChallenge) == Self.rfcDigest)
        #expect("{CRAM-MD5}" + secret.hexContext == fixture.stored)
    }

    @Test(arguments: PasswordFixture.all.filter { $0.label == "CRAM-MD5" })
    func contextMatchesDoveadm(_ fixture: PasswordFixture) {
        #expect("{CRAM-MD5}" + CRAMMD5Secret(password: fixture.password).hexContext == fixture.stored)
    }

    @Test(arguments: [0, 1, 55, 56, 63, 64, 65, 119, 120, 128, 1000])
    func md5MatchesSwiftCrypto(_ length: Int) {
        let input = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        #expect(MD5.digest(input) == Array(Insecure.MD5.hash(data: input)))
    }

    @Test func md5IncrementalUpdatesMatchOneShot() {
        let input = Array("The quick brown fox jumps over the lazy dog, again and again and again.".utf8)
        var md5 = MD5()
        for byte in input { md5.update([byte]) }
        #expect(md5.finalize() == MD5.digest(input))
        #expect(Hex.encode(MD5.digest(Array("".utf8))) == "d41d8cd98f00b204e9800998ecf8427e")
    }

    @Test(arguments: [0, 5, 64, 65, 200])
    func hmacMatchesSwiftCrypto(_ keyLength: Int) {
        let key = (0..<keyLength).map { UInt8(truncatingIfNeeded: $0 &* 13) }
        let message = Array("<12345.67890@example.org>".utf8)
        let expected = Array(HMAC<Insecure.MD5>.authenticationCode(for: message, using: SymmetricKey(data: key)))
        #expect(CRAMMD5Secret(passwordBytes: key).digest(message: message) == expected)
    }

    @Test func rawContextRoundTripsAndRejectsWrongLengths() {
        let secret = CRAMMD5Secret(password: "pw")
        #expect(CRAMMD5Secret(rawContext: secret.rawContext) == secret)
        #expect(CRAMMD5Secret(rawContext: Array(secret.rawContext.dropLast())) == nil)
        #expect(secret.hexContext.count == 64)
    }
}
