import NIOCore
import RoostAuth
import Testing
@testable import RoostAuthSocket

private let cookie = AuthSocketCookie(hex: "00112233445566778899aabbccddeeff")!
private func id(_ value: UInt32) -> AuthSocketRequestID { AuthSocketRequestID(value) }

@Suite("AuthSocketServerLine")
struct AuthSocketServerLineTests {
    /// Every server line, with the exact bytes Dovecot 2.3 writes for it.
    static let fixtures: [(AuthSocketServerLine, String)] = [
        (.version(.server), "VERSION\t1\t2\n"),
        (.mechanism(AuthSocketMechanism(.plain)), "MECH\tPLAIN\tplaintext\n"),
        (.mechanism(AuthSocketMechanism(.login)), "MECH\tLOGIN\tplaintext\n"),
        (.mechanism(AuthSocketMechanism(.cramMD5)), "MECH\tCRAM-MD5\tdictionary\tactive\n"),
        (.mechanism(AuthSocketMechanism(name: "ANONYMOUS", flags: [.anonymous])), "MECH\tANONYMOUS\tanonymous\n"),
        (.mechanism(AuthSocketMechanism(name: "X", flags: [])), "MECH\tX\n"),
        (.processID(AuthSocketProcessID(4242)), "SPID\t4242\n"),
        (.connectionID(AuthSocketConnectionID(7)), "CUID\t7\n"),
        (.cookie(cookie), "COOKIE\t00112233445566778899aabbccddeeff\n"),
        (.done, "DONE\n"),
        (.ok(id(1), user: "alice", parameters: []), "OK\t1\tuser=alice\n"),
        (.ok(id(2), user: "a\tb", parameters: [AuthSocketParameter("nologin"), AuthSocketParameter("x", "y\nz")]),
         "OK\t2\tuser=a\u{1}tb\tnologin\tx=y\u{1}nz\n"),
        (.continue(id(1), ""), "CONT\t1\t\n"),
        (.continue(id(3), "VXNlcm5hbWU6"), "CONT\t3\tVXNlcm5hbWU6\n"),
        (.fail(id(1), AuthSocketFailure(user: "alice")), "FAIL\t1\tuser=alice\n"),
        (.fail(id(1), AuthSocketFailure()), "FAIL\t1\n"),
        (.fail(id(1), AuthSocketFailure(user: "alice", code: .temporaryFailure)), "FAIL\t1\tuser=alice\tcode=temp_fail\n"),
        (.fail(id(5), AuthSocketFailure(reason: "Authentication request timed out")), "FAIL\t5\treason=Authentication request timed out\n"),
        (.fail(id(6), AuthSocketFailure(code: .invalidBase64, reason: "Invalid base64 data in initial response")),
         "FAIL\t6\tcode=invalid_base64\treason=Invalid base64 data in initial response\n"),
        (.fail(id(4_294_967_295), AuthSocketFailure(user: "jürgen\n", code: .authorizationFailure, reason: "a\tb")),
         "FAIL\t4294967295\tuser=jürgen\u{1}n\tcode=authz_fail\treason=a\u{1}tb\n"),
    ]

    @Test(arguments: AuthSocketServerLineTests.fixtures)
    func encodesExactBytes(_ line: AuthSocketServerLine, _ expected: String) {
        var buffer = ByteBuffer()
        line.encode(into: &buffer)
        #expect(String(buffer: buffer) == expected)
    }

    @Test(arguments: AuthSocketServerLineTests.fixtures)
    func roundTrips(_ line: AuthSocketServerLine, _ encoded: String) {
        #expect(AuthSocketServerLineParser.parse(String(encoded.dropLast())) == .success(line))
    }

    @Test(arguments: [
        // Dovecot 2.2's booleans for the failure codes, and fields a client skips.
        ("FAIL\t1\tuser=bob\ttemp", AuthSocketServerLine.fail(id(1), AuthSocketFailure(user: "bob", code: .temporaryFailure))),
        ("FAIL\t1\tauthz", .fail(id(1), AuthSocketFailure(code: .authorizationFailure))),
        ("FAIL\t1\tnodelay\tuser=x\tcode=user_disabled", .fail(id(1), AuthSocketFailure(user: "x", code: .userDisabled))),
        ("OK\t1\tnologin\tuser=bob", .ok(id(1), user: "bob", parameters: [AuthSocketParameter("nologin")])),
        ("COOKIE\t00112233445566778899AABBCCDDEEFF", .cookie(cookie)),
    ])
    func parsesOtherForms(_ line: String, _ expected: AuthSocketServerLine) {
        #expect(AuthSocketServerLineParser.parse(line) == .success(expected))
    }

    @Test(arguments: [
        ("", AuthSocketParseError.emptyLine),
        ("NOPE\t1", .unknownCommand("NOPE")),
        ("OK\t1", .missingUser),
        ("OK\t1\tuser", .missingUser),
        ("OK", .wrongParameterCount(command: "OK")),
        ("FAIL\tx", .invalidNumber(command: "FAIL", .requestID)),
        ("COOKIE\tzz", .invalidCookie),
        ("COOKIE\t00112233445566778899aabbccddeeff00", .invalidCookie),
        ("DONE\tx", .wrongParameterCount(command: "DONE")),
        ("SPID\tx", .invalidNumber(command: "SPID", .processID)),
        ("CUID", .wrongParameterCount(command: "CUID")),
        ("MECH", .wrongParameterCount(command: "MECH")),
        ("CONT\t1", .wrongParameterCount(command: "CONT")),
        ("VERSION\t1", .wrongParameterCount(command: "VERSION")),
    ])
    func refusesInvalidLines(_ line: String, _ expected: AuthSocketParseError) {
        #expect(AuthSocketServerLineParser.parse(line) == .failure(expected))
    }

    @Test func cookieHexAndRandomness() {
        #expect(AuthSocketCookie(hex: "0123456789ABCDEFabcdef0123456789")?.hex == "0123456789abcdefabcdef0123456789")
        #expect(AuthSocketCookie(hex: "0123456789abcdef0123456789abcdeg") == nil)
        #expect(AuthSocketCookie(bytes: [1, 2, 3]) == nil)
        #expect(AuthSocketCookie.random() != AuthSocketCookie.random())
        #expect(AuthSocketCookie.random().hex.utf8.count == 32)
    }

    @Test(arguments: [
        ("", true), ("=", true), ("AA==", true), ("AAA=", true), ("AAAA", true), ("dXNlcg==", true), ("+/09", true),
        ("A", false), ("AA=", false), ("A===", false), ("AA=A", false), ("*", false), ("AA AA", false),
        ("AA==AA==", false), ("éAAA", false), ("AA\tA", false), ("==", false),
    ])
    func base64Shape(_ text: String, _ wellFormed: Bool) {
        #expect(AuthSocketBase64.isWellFormed(text) == wellFormed)
    }
}
