import NIOCore
import Testing
@testable import RoostIMAPGrammar

private func b(_ s: String) -> [UInt8] { Array(s.utf8) }

@Suite("FETCH response encoding")
struct MessageAttributeTests {
    private func fetch(_ n: UInt32, _ attributes: [MessageAttribute]) -> String {
        var buffer = ByteBuffer()
        let written = buffer.writeFetchResponse(SequenceNumber(rawValue: n)!, attributes)
        #expect(written == buffer.readableBytes)
        return String(buffer: buffer)
    }

    @Test func encodesSimpleAttributes() throws {
        let date = try IMAPParser.parse("\"17-Jul-1996 02:44:25 -0700\"") { try $0.parseDateTime() }
        #expect(fetch(12, [.flags([.seen]), .internalDate(date), .rfc822Size(4286), .uid(UID(rawValue: 4827313)!)])
            == "* 12 FETCH (FLAGS (\\Seen) INTERNALDATE \"17-Jul-1996 02:44:25 -0700\" RFC822.SIZE 4286 UID 4827313)\r\n")
        #expect(fetch(1, [.flags([])]) == "* 1 FETCH (FLAGS ())\r\n")
    }

    @Test(arguments: [
        (UInt64(0), "0"), (7, "7"), (10, "10"), (4_294_967_295, "4294967295"), (UInt64.max, "18446744073709551615"),
    ])
    func writesNumbers(_ value: UInt64, _ text: String) {
        var buffer = ByteBuffer()
        #expect(buffer.writeNumber(value) == text.utf8.count)
        #expect(String(buffer: buffer) == text)
    }

    @Test func encodesBodySectionsAsLiterals() {
        let header = ByteBuffer(string: "Subject: hi\r\n\r\n")
        #expect(fetch(3, [.bodySection(SectionSpecifier(part: [], text: .headerFields(["Subject"]))!, origin: nil, data: header)])
            == "* 3 FETCH (BODY[HEADER.FIELDS (Subject)] {15}\r\nSubject: hi\r\n\r\n)\r\n")
        #expect(fetch(3, [.bodySection(.complete, origin: 0, data: ByteBuffer(string: "ab"))]) == "* 3 FETCH (BODY[]<0> {2}\r\nab)\r\n")
        #expect(fetch(3, [.bodySection(SectionSpecifier(part: [9])!, origin: nil, data: nil)]) == "* 3 FETCH (BODY[9] NIL)\r\n")
        #expect(fetch(4, [.rfc822(ByteBuffer(string: "x")), .rfc822Header(nil), .rfc822Text(ByteBuffer())])
            == "* 4 FETCH (RFC822 {1}\r\nx RFC822.HEADER NIL RFC822.TEXT {0}\r\n)\r\n")
    }

    @Test func encodesRFC3501sEnvelopeExample() {
        // RFC 3501 section 8's ENVELOPE, with an 8-bit subject and a group to show literals and groups.
        let fred = Envelope.Address(name: b("Terry Gray"), mailbox: b("gray"), host: b("cac.washington.edu"))
        let envelope = Envelope(
            date: b("Wed, 17 Jul 1996 02:23:25 -0700 (PDT)"), subject: b("IMAP4rev1 WG mtg summary and minutes"),
            from: [fred], sender: [fred], replyTo: [fred],
            to: [Envelope.Address(mailbox: b("imap"), host: b("cac.washington.edu"))],
            cc: [Envelope.Address(mailbox: b("minutes"), host: b("CNRI.Reston.VA.US")),
                 Envelope.Address(name: b("John Klensin"), mailbox: b("KLENSIN"), host: b("MIT.EDU"))],
            messageID: b("<B27397-0100000@cac.washington.edu>"))
        #expect(fetch(12, [.envelope(envelope)]) == "* 12 FETCH (ENVELOPE (\"Wed, 17 Jul 1996 02:23:25 -0700 (PDT)\" "
            + "\"IMAP4rev1 WG mtg summary and minutes\" ((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) "
            + "((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) ((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) "
            + "((NIL NIL \"imap\" \"cac.washington.edu\")) ((NIL NIL \"minutes\" \"CNRI.Reston.VA.US\")"
            + "(\"John Klensin\" NIL \"KLENSIN\" \"MIT.EDU\")) NIL NIL \"<B27397-0100000@cac.washington.edu>\"))\r\n")
        let group = Envelope(subject: b("Grüße"), to: [Envelope.Address(mailbox: b("undisclosed-recipients"), host: nil),
                                                       Envelope.Address(mailbox: nil, host: nil)])
        #expect(fetch(1, [.envelope(group)])
            == "* 1 FETCH (ENVELOPE (NIL {7}\r\nGrüße NIL NIL NIL ((NIL NIL \"undisclosed-recipients\" NIL)(NIL NIL NIL NIL)) NIL NIL NIL NIL))\r\n")
    }
}
