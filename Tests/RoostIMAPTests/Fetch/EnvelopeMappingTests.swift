import RoostMIMEReference
import NIOCore
import RoostIMAP
import RoostIMAPGrammar
import RoostMIME
import Testing

private func encoded(_ envelope: RoostIMAPGrammar.Envelope) -> String {
    var buffer = ByteBuffer()
    buffer.writeEnvelope(envelope)
    return String(buffer: buffer)
}

private func envelope(_ header: String) -> RoostIMAPGrammar.Envelope {
    RoostIMAPGrammar.Envelope(MessageParser.parse(FetchFixtures.text(header + "\n")).envelope)
}

@Suite("ENVELOPE from RoostMIME")
struct EnvelopeMappingTests {
    /// Every fixture against what Dovecot sends for it, 8-bit strings as literals.
    @Test(arguments: DovecotReference.all)
    func matchesDovecotByteForByte(_ reference: DovecotReference) throws {
        let parsed = MessageParser.parse(try FetchFixtures.bytes(reference.fixture))
        var buffer = ByteBuffer()
        buffer.writeEnvelope(RoostIMAPGrammar.Envelope(parsed.envelope))
        let actual = Array(buffer.readableBytesView)
        #expect(actual == (try DovecotSpelling.envelope(reference.envelope)), "\(String(decoding: actual, as: UTF8.self))")
    }

    @Test func sendsRawHeaderTextWithEncodedWordsUndecoded() {
        let value = envelope("""
            Date: Mon, 7 Feb 1994 21:52:25 -0800 (PST)
            Subject: =?ISO-8859-1?Q?caf=E9?= and
             more
            From: =?UTF-8?B?SsO8cmdlbg==?= <j@example.de>
            Message-ID: <B27397-0100000@cac.washington.edu>
            """)
        #expect(encoded(value) == #"""
            ("Mon, 7 Feb 1994 21:52:25 -0800 (PST)" "=?ISO-8859-1?Q?caf=E9?= and more" (("=?UTF-8?B?SsO8cmdlbg==?=" NIL "j" "example.de")) (("=?UTF-8?B?SsO8cmdlbg==?=" NIL "j" "example.de")) (("=?UTF-8?B?SsO8cmdlbg==?=" NIL "j" "example.de")) NIL NIL NIL NIL "<B27397-0100000@cac.washington.edu>")
            """#)
    }

    /// NUL may not appear in an IMAP string (CHAR8 is %x01-ff): it goes out as 0x80.
    @Test func nulInAHeaderIsSentAs0x80() {
        let value = envelope("Subject: a\u{0}b\nFrom: x@example.org")
        #expect(value.subject == [0x61, 0x80, 0x62])
        var buffer = ByteBuffer()
        buffer.writeEnvelope(value)
        #expect(!buffer.readableBytesView.contains(0))
    }

    @Test func senderAndReplyToDefaultToFrom() {
        let withOwn = envelope("From: a@example.org\nSender: s@example.org\nReply-To: r@example.org")
        #expect(withOwn.sender.map(\.mailbox) == [Array("s".utf8)])
        #expect(withOwn.replyTo.map(\.mailbox) == [Array("r".utf8)])
        let defaulted = envelope("From: a@example.org\nReply-To:")
        #expect(defaulted.sender == defaulted.from)
        #expect(defaulted.replyTo == defaulted.from)
        // A value emptied after RoostMIME built it still gets the default.
        var handMade = RoostMIME.Envelope(from: [Address(mailbox: "a", host: "example.org")])
        handMade.sender = []
        handMade.replyTo = []
        let wire = RoostIMAPGrammar.Envelope(handMade)
        #expect(wire.sender == wire.from)
        #expect(wire.replyTo == wire.from)
    }

    @Test func groupsBecomeNILMarkers() {
        // RFC 3501 section 7.4.2: a group is a start marker (NIL host, the group name as mailbox),
        // the members, and an end marker (NIL mailbox and host).
        let value = envelope("From: a@example.org\nTo: Team: b@example.org, \"C\" <c@example.org>;, d@example.org\nCc: undisclosed-recipients:;")
        #expect(encoded(value).contains(#"((NIL NIL "Team" NIL)(NIL NIL "b" "example.org")("C" NIL "c" "example.org")(NIL NIL NIL NIL)(NIL NIL "d" "example.org")) ((NIL NIL "undisclosed-recipients" NIL)(NIL NIL NIL NIL)) NIL"#))
    }

    @Test func sourceRouteIsTheADL() {
        let value = envelope("From: <@relay.example:a@example.org>")
        #expect(value.from == [RoostIMAPGrammar.Envelope.Address(
            name: nil, adl: Array("@relay.example".utf8), mailbox: Array("a".utf8), host: Array("example.org".utf8))])
    }

    @Test func absentFieldsAreNIL() {
        #expect(encoded(envelope("X-Other: 1")) == "(NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL)")
    }
}
