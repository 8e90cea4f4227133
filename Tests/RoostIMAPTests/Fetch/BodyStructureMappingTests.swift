import RoostMIMEReference
import NIOCore
import RoostIMAP
import RoostIMAPGrammar
import RoostMIME
import Testing

private func encoded(_ attribute: MessageAttribute) -> [UInt8] {
    var buffer = ByteBuffer()
    buffer.writeMessageAttribute(attribute)
    return Array(buffer.readableBytesView)
}

private func structure(_ text: String) -> MessageStructure {
    MessageParser.parse(FetchFixtures.text(text)).structure
}

@Suite("BODYSTRUCTURE and BODY from RoostMIME")
struct BodyStructureMappingTests {
    /// Every fixture against what Dovecot sends for it, in the spelling of Roost's encoder.
    @Test(arguments: DovecotReference.all)
    func matchesDovecotByteForByte(_ reference: DovecotReference) throws {
        let parsed = MessageParser.parse(try FetchFixtures.bytes(reference.fixture))
        let expected = Array("BODYSTRUCTURE ".utf8) + (try DovecotSpelling.bodyStructure(reference.bodyStructure))
        let actual = encoded(.bodyStructure(BodyStructure(parsed.structure)))
        #expect(actual == expected, "\(String(decoding: actual, as: UTF8.self))")
    }

    /// Every fixture is in the reference, so none escapes the comparison.
    @Test func referenceCoversEveryFixture() {
        #expect(DovecotReference.all.map(\.fixture).sorted() == FetchFixtures.allNames)
    }

    @Test(arguments: FetchFixtures.allNames)
    func lineEndsDoNotChangeTheStructure(_ name: String) throws {
        let bytes = try FetchFixtures.bytes(name)
        let fromLF = BodyStructure(MessageParser.parse(bytes).structure)
        let fromCRLF = BodyStructure(MessageParser.parse(FetchFixtures.crlf(bytes)).structure)
        #expect(fromLF == fromCRLF)
    }

    @Test func messageWithoutContentHeadersIsUSASCIIPlainText() {
        // RFC 2045 section 5.2 default; two lines of 5 octets each with CRLF counted for bare LFs.
        let body = BodyStructure(structure("Subject: hi\n\nabc\ndef\n"))
        #expect(String(decoding: encoded(.bodyStructure(body)), as: UTF8.self)
            == #"BODYSTRUCTURE ("TEXT" "PLAIN" ("CHARSET" "us-ascii") NIL NIL "7BIT" 10 2 NIL NIL NIL NIL)"#)
        #expect(String(decoding: encoded(.body(body)), as: UTF8.self)
            == #"BODY ("TEXT" "PLAIN" ("CHARSET" "us-ascii") NIL NIL "7BIT" 10 2)"#)
    }

    @Test func rfc3501MixedExampleShape() {
        // The shape of RFC 3501 section 7.4.2's second example: a text part and a base64 attachment,
        // the boundary and the disposition only in BODYSTRUCTURE.
        let message = """
            Content-Type: multipart/mixed; boundary=x

            --x
            Content-Type: text/plain; charset=US-ASCII

            one
            --x
            Content-Type: text/plain; charset=US-ASCII; name=cc.diff
            Content-ID: <960723163407.20117h@cac.washington.edu>
            Content-Description: Compiler diff
            Content-Transfer-Encoding: BASE64
            Content-Disposition: attachment; filename=cc.diff

            AAAA
            --x--

            """
        let body = BodyStructure(structure(message))
        #expect(String(decoding: encoded(.body(body)), as: UTF8.self) == #"""
            BODY (("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 3 0)("TEXT" "PLAIN" ("CHARSET" "US-ASCII" "NAME" "cc.diff") "<960723163407.20117h@cac.washington.edu>" "Compiler diff" "BASE64" 4 0) "MIXED")
            """#)
        #expect(String(decoding: encoded(.bodyStructure(body)), as: UTF8.self) == #"""
            BODYSTRUCTURE (("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 3 0 NIL NIL NIL NIL)("TEXT" "PLAIN" ("CHARSET" "US-ASCII" "NAME" "cc.diff") "<960723163407.20117h@cac.washington.edu>" "Compiler diff" "BASE64" 4 0 NIL ("ATTACHMENT" ("FILENAME" "cc.diff")) NIL NIL) "MIXED" ("BOUNDARY" "x") NIL NIL NIL)
            """#)
    }

    @Test func multipartWithoutPartsShowsOneEmptyTextPart() {
        let body = BodyStructure(structure("Content-Type: multipart/mixed; boundary=never\n\nno boundary here\n"))
        #expect(String(decoding: encoded(.bodyStructure(body)), as: UTF8.self) == #"""
            BODYSTRUCTURE (("TEXT" "PLAIN" ("CHARSET" "us-ascii") NIL NIL "7BIT" 0 0 NIL NIL NIL NIL) "MIXED" ("BOUNDARY" "never") NIL NIL NIL)
            """#)
    }

    @Test func multipartExtensionDataCarriesDispositionLanguageAndLocation() {
        let message = """
            Content-Type: multipart/related; boundary=r; type="text/html"
            Content-Disposition: inline; name=page
            Content-Language: de
            Content-Location: http://example.com/page

            --r

            x
            --r--

            """
        let body = BodyStructure(structure(message))
        #expect(String(decoding: encoded(.bodyStructure(body)), as: UTF8.self) == #"""
            BODYSTRUCTURE (("TEXT" "PLAIN" ("CHARSET" "us-ascii") NIL NIL "7BIT" 1 0 NIL NIL NIL NIL) "RELATED" ("BOUNDARY" "r" "TYPE" "text/html") ("INLINE" ("NAME" "page")) "de" "http://example.com/page")
            """#)
    }

    @Test func messageRFC822CarriesEnvelopeInnerBodyAndLines() {
        let message = """
            Content-Type: message/rfc822

            Subject: inner
            From: a@example.org

            hello
            world

            """
        let body = BodyStructure(structure(message))
        // Octets and lines are the encapsulated message's: 48 octets and 5 LFs, so 53 with CRLF.
        #expect(String(decoding: encoded(.body(body)), as: UTF8.self) == #"""
            BODY ("MESSAGE" "RFC822" NIL NIL NIL "7BIT" 53 (NIL "inner" ((NIL NIL "a" "example.org")) ((NIL NIL "a" "example.org")) ((NIL NIL "a" "example.org")) NIL NIL NIL NIL NIL) ("TEXT" "PLAIN" ("CHARSET" "us-ascii") NIL NIL "7BIT" 14 2) 5)
            """#)
    }

    @Test func messageRFC822WithoutParsedMessageIsSentAsOctetStream() {
        // RoostMIME never builds this (it turns such parts into application/octet-stream itself); a
        // hand-made value must still not produce a body-type-msg without an envelope.
        let part = BodyPart(contentType: .messageRFC822, bodySize: PartSize(octets: 3, virtualOctets: 3, lines: 0))
        let body = BodyStructure(MessageStructure(root: part))
        #expect(String(decoding: encoded(.body(body)), as: UTF8.self)
            == #"BODY ("APPLICATION" "OCTET-STREAM" NIL NIL NIL "7BIT" 3)"#)
    }

    @Test func oneLanguageIsAStringAndSeveralAList() {
        let one = BodyStructure(structure("Content-Language: en\n\nx"))
        let two = BodyStructure(structure("Content-Language: en, fi\n\nx"))
        #expect(String(decoding: encoded(.bodyStructure(one)), as: UTF8.self).hasSuffix(#" NIL NIL "en" NIL)"#))
        #expect(String(decoding: encoded(.bodyStructure(two)), as: UTF8.self).hasSuffix(#" NIL NIL ("en" "fi") NIL)"#))
    }

    @Test func octetsCountBareLineFeedsAsCRLF() {
        let lf = BodyStructure(structure("Subject: s\n\na\nb\n"))
        let crlf = BodyStructure(structure("Subject: s\r\n\r\na\r\nb\r\n"))
        #expect(lf == crlf)
        guard case .singlepart(let part) = lf else {
            Issue.record("expected a single part")
            return
        }
        #expect(part.fields.octets == 6)
    }
}
