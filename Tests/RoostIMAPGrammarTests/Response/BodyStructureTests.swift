import NIOCore
import Testing
@testable import RoostIMAPGrammar

private func b(_ s: String) -> [UInt8] { Array(s.utf8) }

private func param(_ attribute: String, _ value: String) -> BodyStructure.Parameter {
    BodyStructure.Parameter(attribute: b(attribute), value: b(value))
}

private func text(
    _ subtype: String, _ parameters: [BodyStructure.Parameter] = [], encoding: String = "7bit", octets: UInt32, lines: UInt32,
    id: String? = nil, description: String? = nil, extensionData: BodyStructure.SinglepartExtension = .init()
) -> BodyStructure {
    .singlepart(BodyStructure.Singlepart(
        kind: .text(subtype: b(subtype), lines: lines),
        fields: BodyStructure.Fields(parameters: parameters, id: id.map(b), description: description.map(b),
                                     encoding: b(encoding), octets: octets),
        extensionData: extensionData))
}

private func multipart(_ subtype: String, _ parts: [BodyStructure], boundary: String) -> BodyStructure {
    .multipart(BodyStructure.Multipart(parts: parts, subtype: b(subtype),
                                       extensionData: BodyStructure.MultipartExtension(parameters: [param("boundary", boundary)]))!)
}

@Suite("BODY and BODYSTRUCTURE encoding")
struct BodyStructureTests {
    private func body(_ body: BodyStructure, extensions: Bool) -> String {
        var buffer = ByteBuffer()
        let written = buffer.writeBody(body, extensions: extensions)
        #expect(written == buffer.readableBytes)
        return String(buffer: buffer)
    }

    @Test func encodesRFC3501sTextPlainExample() {
        // RFC 3501 section 7.4.2: "a simple text message of 48 lines and 2279 octets".
        let plain = text("plain", [param("charset", "US-ASCII")], octets: 2279, lines: 48)
        #expect(body(plain, extensions: false) == #"("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 2279 48)"#)
        #expect(body(plain, extensions: true) == #"("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 2279 48 NIL NIL NIL NIL)"#)
        // No invented charset: a part without parameters has body-fld-param NIL.
        #expect(body(text("plain", octets: 0, lines: 0), extensions: false) == #"("TEXT" "PLAIN" NIL NIL NIL "7BIT" 0 0)"#)
    }

    @Test func encodesRFC3501sMixedExampleWithAnAttachment() {
        // RFC 3501 section 7.4.2: "a text and a BASE64-encoded text attachment"; the attachment's
        // disposition and the boundary appear only in BODYSTRUCTURE.
        let attachment = BodyStructure.SinglepartExtension(
            disposition: BodyStructure.Disposition(type: b("attachment"), parameters: [param("filename", "cc.diff")]))
        let mixed = multipart("mixed", [
            text("plain", [param("charset", "US-ASCII")], octets: 1152, lines: 23),
            text("plain", [param("charset", "US-ASCII"), param("name", "cc.diff")], encoding: "base64", octets: 4554, lines: 73,
                 id: "<960723163407.20117h@cac.washington.edu>", description: "Compiler diff", extensionData: attachment),
        ], boundary: "--=_x")
        #expect(body(mixed, extensions: false)
            == #"(("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 1152 23)("TEXT" "PLAIN" ("CHARSET" "US-ASCII" "NAME" "cc.diff") "#
            + #""<960723163407.20117h@cac.washington.edu>" "Compiler diff" "BASE64" 4554 73) "MIXED")"#)
        #expect(body(mixed, extensions: true)
            == #"(("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 1152 23 NIL NIL NIL NIL)"#
            + #"("TEXT" "PLAIN" ("CHARSET" "US-ASCII" "NAME" "cc.diff") "<960723163407.20117h@cac.washington.edu>" "Compiler diff" "#
            + #""BASE64" 4554 73 NIL ("ATTACHMENT" ("FILENAME" "cc.diff")) NIL NIL) "MIXED" ("BOUNDARY" "--=_x") NIL NIL NIL)"#)
    }

    @Test func encodesAlternativeWithLanguagesLocationAndMD5() {
        let alternative = multipart("alternative", [
            text("plain", [param("charset", "utf-8")], encoding: "quoted-printable", octets: 120, lines: 4,
                 extensionData: BodyStructure.SinglepartExtension(languages: [b("en")])),
            text("html", [param("charset", "utf-8")], encoding: "quoted-printable", octets: 300, lines: 9,
                 extensionData: BodyStructure.SinglepartExtension(
                    md5: b("Q2hlY2sgSW50ZWdyaXR5IQ=="), disposition: BodyStructure.Disposition(type: b("inline")),
                    languages: [b("en"), b("de")], location: b("http://example.com/a.html"))),
        ], boundary: "b1")
        #expect(body(alternative, extensions: false)
            == #"(("TEXT" "PLAIN" ("CHARSET" "utf-8") NIL NIL "QUOTED-PRINTABLE" 120 4)"#
            + #"("TEXT" "HTML" ("CHARSET" "utf-8") NIL NIL "QUOTED-PRINTABLE" 300 9) "ALTERNATIVE")"#)
        #expect(body(alternative, extensions: true)
            == #"(("TEXT" "PLAIN" ("CHARSET" "utf-8") NIL NIL "QUOTED-PRINTABLE" 120 4 NIL NIL "en" NIL)"#
            + #"("TEXT" "HTML" ("CHARSET" "utf-8") NIL NIL "QUOTED-PRINTABLE" 300 9 "Q2hlY2sgSW50ZWdyaXR5IQ==" ("INLINE" NIL) "#
            + #"("en" "de") "http://example.com/a.html") "ALTERNATIVE" ("BOUNDARY" "b1") NIL NIL NIL)"#)
    }

    @Test func encodesMessageRFC822NestingAMultipart() {
        let inner = multipart("alternative", [text("plain", octets: 10, lines: 1), text("html", octets: 20, lines: 1)],
                              boundary: "in")
        let envelope = Envelope(date: b("Mon, 7 Feb 1994 21:52:25 -0800"), subject: b("hi"),
                                from: [Envelope.Address(mailbox: b("a"), host: b("example.com"))], messageID: b("<1@example.com>"))
        let forwarded = BodyStructure.singlepart(BodyStructure.Singlepart(
            kind: .message(envelope: envelope, body: inner, lines: 15), fields: BodyStructure.Fields(encoding: b("7bit"), octets: 500)))
        let outer = multipart("mixed", [text("plain", [param("charset", "us-ascii")], octets: 5, lines: 1), forwarded],
                              boundary: "out")
        let env = #"("Mon, 7 Feb 1994 21:52:25 -0800" "hi" ((NIL NIL "a" "example.com")) NIL NIL NIL NIL NIL NIL "<1@example.com>")"#
        #expect(body(outer, extensions: false)
            == #"(("TEXT" "PLAIN" ("CHARSET" "us-ascii") NIL NIL "7BIT" 5 1)("MESSAGE" "RFC822" NIL NIL NIL "7BIT" 500 "# + env
            + #" (("TEXT" "PLAIN" NIL NIL NIL "7BIT" 10 1)("TEXT" "HTML" NIL NIL NIL "7BIT" 20 1) "ALTERNATIVE") 15) "MIXED")"#)
        #expect(body(outer, extensions: true)
            == #"(("TEXT" "PLAIN" ("CHARSET" "us-ascii") NIL NIL "7BIT" 5 1 NIL NIL NIL NIL)("MESSAGE" "RFC822" NIL NIL NIL "7BIT" 500 "#
            + env + #" (("TEXT" "PLAIN" NIL NIL NIL "7BIT" 10 1 NIL NIL NIL NIL)("TEXT" "HTML" NIL NIL NIL "7BIT" 20 1 NIL NIL NIL NIL)"#
            + #" "ALTERNATIVE" ("BOUNDARY" "in") NIL NIL NIL) 15 NIL NIL NIL NIL) "MIXED" ("BOUNDARY" "out") NIL NIL NIL)"#)
    }

    @Test func encodesBasicPartsAndEightBitValuesAsLiterals() {
        let pdf = BodyStructure.singlepart(BodyStructure.Singlepart(
            kind: .basic(type: b("application"), subtype: b("pdf")),
            fields: BodyStructure.Fields(parameters: [param("name", "Grüße.pdf")], description: "a \"quoted\" one".map { $0.asciiValue! },
                                         encoding: b("base64"), octets: 1024),
            extensionData: BodyStructure.SinglepartExtension(
                disposition: BodyStructure.Disposition(type: b("attachment"), parameters: [param("filename", "Grüße.pdf")]))))
        #expect(body(pdf, extensions: false)
            == "(\"APPLICATION\" \"PDF\" (\"NAME\" {11}\r\nGrüße.pdf) NIL \"a \\\"quoted\\\" one\" \"BASE64\" 1024)")
        #expect(body(pdf, extensions: true)
            == "(\"APPLICATION\" \"PDF\" (\"NAME\" {11}\r\nGrüße.pdf) NIL \"a \\\"quoted\\\" one\" \"BASE64\" 1024"
            + " NIL (\"ATTACHMENT\" (\"FILENAME\" {11}\r\nGrüße.pdf)) NIL NIL)")
    }

    @Test func refusesAMultipartWithoutParts() {
        #expect(BodyStructure.Multipart(parts: [], subtype: b("mixed")) == nil)
    }

    @Test func fetchResponseCarriesBodyAndBodyStructure() {
        let plain = text("plain", [param("charset", "US-ASCII")], octets: 3028, lines: 92)
        var buffer = ByteBuffer()
        buffer.writeFetchResponse(SequenceNumber(rawValue: 12)!, [.body(plain), .bodyStructure(plain)])
        // RFC 3501 section 8's BODY example, then the same with its extension data.
        #expect(String(buffer: buffer) == #"* 12 FETCH (BODY ("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 3028 92) "#
            + #"BODYSTRUCTURE ("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 3028 92 NIL NIL NIL NIL))"# + "\r\n")
    }
}
