import RoostMIMEReference
import RoostIMAP
import RoostIMAPGrammar
import RoostMIME
import RoostStorage
import Testing

/// One section of one fixture and the octets it must send (hand-checked against the fixture).
struct SectionCase: Sendable, CustomTestStringConvertible {
    let fixture: String
    let section: String
    let expected: String

    var testDescription: String { "\(fixture) [\(section)]" }
}

private let nestedHeader = """
    From: Frank <frank@example.com>\r
    To: Grace <grace@example.com>\r
    Subject: Fwd: Minutes\r
    Date: Thu, 9 Jan 2025 15:30:00 +0200\r
    Message-ID: <nested-outer@example.com>\r
    MIME-Version: 1.0\r
    Content-Type: multipart/mixed; boundary="outer\r
     boundary"\r
    \r

    """

private let innerHeader = """
    From: Heidi <heidi@example.com>\r
    To: team-a@example.com, team-b@example.com\r
    Date: Wed, 8 Jan 2025 18:00:00 +0200\r
    Subject: Minutes\r
    Message-ID: <minutes@example.com>\r
    In-Reply-To: <agenda@example.com>\r
    Content-Type: multipart/alternative; boundary="inner"\r
    \r

    """

private let innerText = """
    Inner preamble\r
    --inner\r
    Content-Type: text/html\r
    Content-Transfer-Encoding: 8bit\r
    \r
    <p>Minutes</p>\r
    \r
    --inner\r
    Content-Type: text/plain\r
    Content-Transfer-Encoding: ?invalid\r
    \r
    Minutes as text\r
    \r
    --inner--\r
    Inner epilogue\r

    """

private let digestMessage = "From: oscar@example.org\r\nSubject: First post\r\n\r\nHello list.\r\n"

let sectionCases: [SectionCase] = [
    // A multipart message with a message/rfc822 part holding a multipart/alternative.
    SectionCase(fixture: "nested-rfc822-lf.eml", section: "HEADER", expected: nestedHeader),
    SectionCase(fixture: "nested-rfc822-lf.eml", section: "1", expected: "See the minutes below.\r\n"),
    SectionCase(fixture: "nested-rfc822-lf.eml", section: "1.MIME", expected: """
        Content-Type: text/plain; charset=us-ascii\r
        Content-ID: <note@example.com>\r
        Content-Description: forwarding note\r
        Content-MD5: Q2hlY2sgSW50ZWdyaXR5IQ==\r
        Content-Disposition: inline; foo=bar\r
        Content-Language: en, fi\r
        Content-Location: http://example.com/\r
         note.txt\r
        \r

        """),
    SectionCase(fixture: "nested-rfc822-lf.eml", section: "2", expected: innerHeader + innerText),
    SectionCase(fixture: "nested-rfc822-lf.eml", section: "2.MIME", expected: "Content-Type: message/rfc822\r\n\r\n"),
    SectionCase(fixture: "nested-rfc822-lf.eml", section: "2.HEADER", expected: innerHeader),
    SectionCase(fixture: "nested-rfc822-lf.eml", section: "2.TEXT", expected: innerText),
    SectionCase(fixture: "nested-rfc822-lf.eml", section: "2.HEADER.FIELDS (subject IN-REPLY-TO)",
                expected: "Subject: Minutes\r\nIn-Reply-To: <agenda@example.com>\r\n\r\n"),
    SectionCase(fixture: "nested-rfc822-lf.eml", section: "2.HEADER.FIELDS.NOT (From To Date Subject Message-ID In-Reply-To)",
                expected: "Content-Type: multipart/alternative; boundary=\"inner\"\r\n\r\n"),
    SectionCase(fixture: "nested-rfc822-lf.eml", section: "2.1", expected: "<p>Minutes</p>\r\n"),
    SectionCase(fixture: "nested-rfc822-lf.eml", section: "2.1.MIME",
                expected: "Content-Type: text/html\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"),
    SectionCase(fixture: "nested-rfc822-lf.eml", section: "2.2", expected: "Minutes as text\r\n"),
    SectionCase(fixture: "nested-rfc822-lf.eml", section: "HEADER.FIELDS (Content-Type)",
                expected: "Content-Type: multipart/mixed; boundary=\"outer\r\n boundary\"\r\n\r\n"),
    SectionCase(fixture: "nested-rfc822-lf.eml", section: "HEADER.FIELDS.NOT (From To Subject Date Message-ID MIME-Version)",
                expected: "Content-Type: multipart/mixed; boundary=\"outer\r\n boundary\"\r\n\r\n"),
    SectionCase(fixture: "nested-rfc822-lf.eml", section: "HEADER.FIELDS (X-Absent)", expected: "\r\n"),
    // Sections that name no part are empty strings, as Dovecot sends them.
    SectionCase(fixture: "nested-rfc822-lf.eml", section: "3", expected: ""),
    SectionCase(fixture: "nested-rfc822-lf.eml", section: "3.MIME", expected: ""),
    SectionCase(fixture: "nested-rfc822-lf.eml", section: "1.1", expected: ""),
    SectionCase(fixture: "nested-rfc822-lf.eml", section: "2.3", expected: ""),
    SectionCase(fixture: "nested-rfc822-lf.eml", section: "2.1.1", expected: ""),
    SectionCase(fixture: "nested-rfc822-lf.eml", section: "1.HEADER", expected: ""),
    SectionCase(fixture: "nested-rfc822-lf.eml", section: "1.TEXT", expected: ""),
    SectionCase(fixture: "nested-rfc822-lf.eml", section: "1.HEADER.FIELDS (Content-Type)", expected: ""),
    // A digest: its first part is message/rfc822 by default, with an empty MIME header.
    SectionCase(fixture: "digest-lf.eml", section: "1", expected: digestMessage),
    SectionCase(fixture: "digest-lf.eml", section: "1.MIME", expected: "\r\n"),
    SectionCase(fixture: "digest-lf.eml", section: "1.HEADER", expected: "From: oscar@example.org\r\nSubject: First post\r\n\r\n"),
    SectionCase(fixture: "digest-lf.eml", section: "1.TEXT", expected: "Hello list.\r\n"),
    // The encapsulated message is not multipart: its body is part 1.1, its header that part's MIME header.
    SectionCase(fixture: "digest-lf.eml", section: "1.1", expected: "Hello list.\r\n"),
    SectionCase(fixture: "digest-lf.eml", section: "1.1.MIME", expected: "From: oscar@example.org\r\nSubject: First post\r\n\r\n"),
    SectionCase(fixture: "digest-lf.eml", section: "1.2", expected: ""),
    SectionCase(fixture: "digest-lf.eml", section: "2", expected: "Not a message, explicitly typed."),
    // A message that is not multipart has one part, its body; its MIME header is the message header.
    SectionCase(fixture: "headers-only-lf.eml", section: "TEXT", expected: ""),
    SectionCase(fixture: "headers-only-lf.eml", section: "1", expected: ""),
    SectionCase(fixture: "headers-only-lf.eml", section: "2", expected: ""),
    // No body and no blank line: RFC 3501 leaves the blank line out of header fetches.
    SectionCase(fixture: "headers-only-lf.eml", section: "HEADER.FIELDS (Subject)", expected: "Subject: Headers only\r\n"),
    SectionCase(fixture: "headers-only-lf.eml", section: "HEADER.FIELDS.NOT (Subject)",
                expected: "From: nina@example.com\r\nDate: Mon, 13 Jan 2025 08:00:00 +0000\r\n"),
    SectionCase(fixture: "headers-only-lf.eml", section: "HEADER",
                expected: "From: nina@example.com\r\nSubject: Headers only\r\nDate: Mon, 13 Jan 2025 08:00:00 +0000"),
    SectionCase(fixture: "empty.eml", section: "", expected: ""),
    SectionCase(fixture: "empty.eml", section: "HEADER.FIELDS (Subject)", expected: ""),
    SectionCase(fixture: "empty.eml", section: "1", expected: ""),
    // NUL is sent as 0x80, the sizes unchanged.
    SectionCase(fixture: "nul-bytes-lf.eml", section: "TEXT", expected: "binary\u{80}data\u{80}\u{FF}\u{FE}\r\n\u{80}\r\n"),
    // A part header cut short by the next boundary has no blank line and no body.
    SectionCase(fixture: "boundary-in-part-header-lf.eml", section: "1.MIME", expected: "Content-Type: text/plain\r\n"),
    SectionCase(fixture: "boundary-in-part-header-lf.eml", section: "1", expected: ""),
    SectionCase(fixture: "boundary-in-part-header-lf.eml", section: "2.HEADER", expected: ""),
]

/// The expected octets: the case's text, with `\u{80}`...`\u{FF}` standing for single octets.
private func octets(_ text: String) -> [UInt8] {
    text.unicodeScalars.map { UInt8($0.value) }
}

@Suite("FETCH body sections from message files")
struct MessageSectionsTests {
    @Test(arguments: sectionCases)
    func sendsTheNamedOctets(_ testCase: SectionCase) throws {
        let maildir = try FetchTestMaildir()
        let bytes = try FetchFixtures.bytes(testCase.fixture)
        let lfUID = try maildir.save(bytes)
        let crlfUID = try maildir.save(FetchFixtures.crlf(bytes))
        let section = try fetchSection(testCase.section)
        let expected = octets(testCase.expected)
        let fromLF = try maildir.section(section, of: lfUID)
        #expect(fromLF == expected, "\(String(decoding: fromLF, as: UTF8.self))")
        #expect(try maildir.section(section, of: crlfUID) == expected)
    }

    /// BODY[] is the whole message in CRLF form, as long as RFC822.SIZE says; HEADER and TEXT split it.
    @Test(arguments: DovecotReference.all)
    func wholeMessageIsHeaderAndText(_ reference: DovecotReference) throws {
        let maildir = try FetchTestMaildir()
        let bytes = try FetchFixtures.bytes(reference.fixture)
        let uid = try maildir.save(bytes)
        let whole = try maildir.section(.complete, of: uid)
        #expect(whole == FetchFixtures.wireForm(bytes))
        #expect(whole.count == reference.virtualSize)
        let header = try maildir.section(try fetchSection("HEADER"), of: uid)
        let text = try maildir.section(try fetchSection("TEXT"), of: uid)
        #expect(header + text == whole)
    }

    /// Every section of every part is the same from an LF file and from its CRLF twin, and is the
    /// matching range of the CRLF form.
    @Test(arguments: FetchFixtures.allNames)
    func lfAndCRLFFilesSendTheSameOctets(_ name: String) throws {
        let maildir = try FetchTestMaildir()
        let bytes = try FetchFixtures.bytes(name)
        let wire = FetchFixtures.wireForm(bytes)
        let lfUID = try maildir.save(bytes)
        let crlfUID = try maildir.save(FetchFixtures.crlf(bytes))
        let crlfStructure = MessageParser.parse(FetchFixtures.crlf(bytes)).structure

        var sections = ["", "HEADER", "TEXT", "HEADER.FIELDS (From Subject Content-Type)", "HEADER.FIELDS.NOT (Subject)", "99"]
        for (path, part) in crlfStructure.allParts {
            let number = path.map(String.init).joined(separator: ".")
            sections += [number, "\(number).MIME", "\(number).HEADER", "\(number).TEXT", "\(number).HEADER.FIELDS (Subject)",
                         "\(number).99"]
            let section = try fetchSection(number)
            #expect(try maildir.section(section, of: lfUID) == Array(wire[part.bodyRange]), "[\(number)]")
            #expect(try maildir.section(try fetchSection("\(number).MIME"), of: lfUID) == Array(wire[part.headerRange]))
        }
        for text in sections {
            let section = try fetchSection(text)
            #expect(try maildir.section(section, of: lfUID) == (try maildir.section(section, of: crlfUID)), "[\(text)]")
        }
    }

    @Test func headerFieldsKeepMessageOrderAndEveryOccurrence() throws {
        let maildir = try FetchTestMaildir()
        let uid = try maildir.save(FetchFixtures.text(
            "Received: one\nSubject: s\nreceived: two\n\tfolded\nX-A: a\nRECEIVED: three\n\nbody\n"))
        #expect(try maildir.section(try fetchSection("HEADER.FIELDS (X-A Received)"), of: uid)
            == FetchFixtures.text("Received: one\r\nreceived: two\r\n\tfolded\r\nX-A: a\r\nRECEIVED: three\r\n\r\n"))
        #expect(try maildir.section(try fetchSection("HEADER.FIELDS.NOT (received x-a)"), of: uid)
            == FetchFixtures.text("Subject: s\r\n\r\n"))
    }

    @Test func topLevelMessageRFC822() throws {
        let maildir = try FetchTestMaildir()
        let uid = try maildir.save(FetchFixtures.text(
            "Subject: outer\nContent-Type: message/rfc822\n\nSubject: inner\n\nhello\n"))
        #expect(try maildir.section(try fetchSection("1"), of: uid) == FetchFixtures.text("Subject: inner\r\n\r\nhello\r\n"))
        #expect(try maildir.section(try fetchSection("1.HEADER"), of: uid) == FetchFixtures.text("Subject: inner\r\n\r\n"))
        #expect(try maildir.section(try fetchSection("1.TEXT"), of: uid) == FetchFixtures.text("hello\r\n"))
        #expect(try maildir.section(try fetchSection("1.1"), of: uid) == FetchFixtures.text("hello\r\n"))
        #expect(try maildir.section(try fetchSection("HEADER.FIELDS (Subject)"), of: uid)
            == FetchFixtures.text("Subject: outer\r\n\r\n"))
    }

    @Test func headerLongerThanTheLimitIsSubsetUpToTheParsersCut() throws {
        // HEADER streams the whole block; HEADER.FIELDS looks at the first maxHeaderBytes, whole lines only.
        let filler = String(repeating: "X-Filler: " + String(repeating: "f", count: 100) + "\n",
                            count: MessageSections.maxHeaderBytes / 111 + 1)
        let message = "Subject: early\n" + filler + "Subject: late\n\nbody\n"
        let maildir = try FetchTestMaildir()
        let uid = try maildir.save(FetchFixtures.text(message))
        #expect(try maildir.section(try fetchSection("HEADER.FIELDS (Subject)"), of: uid)
            == FetchFixtures.text("Subject: early\r\n\r\n"))
        #expect(try maildir.section(try fetchSection("HEADER"), of: uid)
            == FetchFixtures.crlf(FetchFixtures.text(String(message.dropLast("body\n".count)))))
    }
}
