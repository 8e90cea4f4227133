import NIOCore
import Testing
@testable import RoostPOP3

private func encoded(_ response: POP3Response) -> [UInt8] {
    var buffer = ByteBuffer()
    response.encode(into: &buffer)
    return Array(buffer.readableBytesView)
}

@Suite("POP3Response")
struct POP3ResponseTests {
    @Test(arguments: [
        (POP3Response.ok(""), "+OK\r\n"),
        (.ok("2 messages (320 octets)"), "+OK 2 messages (320 octets)\r\n"),
        (.ok("Grüße"), "+OK Grüße\r\n"),
        (.error(nil, "no such message"), "-ERR no such message\r\n"),
        (.error(nil, ""), "-ERR\r\n"),
        (.error(.inUse, "maildrop locked"), "-ERR [IN-USE] maildrop locked\r\n"),
        (.error(.loginDelay, "wait 5 minutes"), "-ERR [LOGIN-DELAY] wait 5 minutes\r\n"),
        (.error(.sysTemp, "try later"), "-ERR [SYS/TEMP] try later\r\n"),
        (.error(.sysPerm, "mailbox broken"), "-ERR [SYS/PERM] mailbox broken\r\n"),
        (.error(.auth, "Authentication failed"), "-ERR [AUTH] Authentication failed\r\n"),
        (.error(.auth, ""), "-ERR [AUTH]\r\n"),
        (.continuation(""), "+ \r\n"),
        (.continuation("PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+"),
         "+ PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+\r\n"),
        (.multiline("2 messages", lines: ["1 120", "2 200"]), "+OK 2 messages\r\n1 120\r\n2 200\r\n.\r\n"),
        (.multiline("", lines: []), "+OK\r\n.\r\n"),
        (.multiline("Capability list follows", lines: ["TOP", "UIDL", "SASL PLAIN"]),
         "+OK Capability list follows\r\nTOP\r\nUIDL\r\nSASL PLAIN\r\n.\r\n"),
        // Dot-stuffing and empty lines.
        (.multiline("x", lines: [".", "..y", ".hidden", "", "a.b"]), "+OK x\r\n..\r\n...y\r\n..hidden\r\n\r\na.b\r\n.\r\n"),
        // Injection attempts: every control character becomes a space, so no line ends early.
        (.ok("hi\r\n-ERR injected"), "+OK hi  -ERR injected\r\n"),
        (.error(nil, "a\rb\nc\u{0}d\u{7F}e\tf"), "-ERR a b c d e f\r\n"),
        (.error(.auth, "user\r\n+OK logged in"), "-ERR [AUTH] user  +OK logged in\r\n"),
        (.continuation("abc\r\n+OK"), "+ abc  +OK\r\n"),
        (.multiline("x\r\n.", lines: ["a\r\n.\r\n", ".\r\nb", "\n.", "\r\n.\r\n"]),
         "+OK x  .\r\na  .  \r\n..  b\r\n .\r\n  .  \r\n.\r\n"),
    ])
    func encodesExactBytes(_ response: POP3Response, _ expected: String) {
        #expect(encoded(response) == Array(expected.utf8))
    }

    @Test func shortensLongStatusLinesTo512Octets() {
        let ok = encoded(.ok(String(repeating: "a", count: 600)))
        #expect(ok == Array(("+OK " + String(repeating: "a", count: 506) + "\r\n").utf8))

        let error = encoded(.error(.sysTemp, String(repeating: "b", count: 600)))
        #expect(error.count == 512)
        #expect(error.starts(with: Array("-ERR [SYS/TEMP] bbb".utf8)))
        #expect(error.suffix(2) == [0x0D, 0x0A])

        // 1 + 2 * 300 bytes: the cut at 506 would split an "é", so it backs off to 505.
        let utf8 = encoded(.ok("a" + String(repeating: "é", count: 300)))
        #expect(utf8 == Array(("+OK a" + String(repeating: "é", count: 252) + "\r\n").utf8))

        // Multi-line lines and continuations are not shortened.
        let continuation = encoded(.continuation(String(repeating: "A", count: 1000)))
        #expect(continuation.count == 1004)
    }
}
