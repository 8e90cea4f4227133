import Testing
@testable import RoostMIME

/// Boundary recognition corner cases (RFC 2046 section 5.1.1 as Dovecot applies it).
@Suite("MessageParser: boundary edge cases")
struct MessageParserEdgeCaseTests {
    /// Parses `text`, checks streaming agrees, and returns the body text of each path.
    func bodies(_ text: String, _ paths: [[Int]]) throws -> [String] {
        let bytes = Fixture.message(text)
        let parsed = MessageParser.parse(bytes)
        var streamed = MessageParser()
        for byte in bytes { streamed.feed(chunk: [byte]) }
        #expect(streamed.finish() == parsed)
        return try paths.map { path in
            let part = try #require(parsed.structure.part(at: path), "\(path)")
            return String(decoding: bytes[part.bodyRange], as: UTF8.self)
        }
    }

    @Test func outerDelimiterClosesUnterminatedInnerMultipart() throws {
        let text = "Content-Type: multipart/mixed; boundary=outer\n\n--outer\n"
            + "Content-Type: multipart/alternative; boundary=inner\n\n--inner\nContent-Type: text/plain\n\nhello\n"
            + "--outer\nContent-Type: text/plain\n\nsecond\n--outer--\n"
        #expect(try bodies(text, [[1, 1], [2]]) == ["hello", "second"])
        let structure = MessageParser.parse(Fixture.message(text)).structure
        #expect(structure.part(at: [1])?.children.count == 1)
    }

    @Test func longestMatchingBoundaryWins() throws {
        let text = "Content-Type: multipart/mixed; boundary=abc\n\n--abc\n"
            + "Content-Type: multipart/mixed; boundary=abcdef\n\n--abcdef\n\ninner one\n--abcdef\n\ninner two\n--abcdef--\n"
            + "--abc\n\nouter two\n--abc--\n"
        #expect(try bodies(text, [[1, 1], [1, 2], [2]]) == ["inner one", "inner two", "outer two"])
    }

    @Test func sameBoundaryNestedMatchesInnermost() throws {
        let text = "Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: multipart/mixed; boundary=b\n\n"
            + "--b\n\nx\n--b--\ny\n--b--\n"
        let parsed = MessageParser.parse(Fixture.message(text))
        #expect(parsed.structure.root.children.count == 1)
        #expect(try bodies(text, [[1, 1]]) == ["x"])
    }

    @Test func delimiterTrailingTextAndEpilogue() throws {
        let text = "Content-Type: multipart/mixed; boundary=b\n\npreamble --b\n--b \t\n\none\n--b--trailing junk\n"
            + "epilogue\n--b\n\nnot a part\n"
        #expect(try bodies(text, [[1]]) == ["one"])
        let parsed = MessageParser.parse(Fixture.message(text))
        #expect(parsed.structure.root.children.count == 1)
        #expect(parsed.structure.root.endOffset == text.utf8.count)
    }

    @Test func delimiterAtBodyStartAndEmptyParts() throws {
        let text = "Content-Type: multipart/mixed; boundary=b\n\n--b\n\n--b\n\n\n\n--b--"
        #expect(try bodies(text, [[1], [2]]) == ["", "\n"])
    }

    @Test func bareCarriageReturnsAreContent() throws {
        let text = "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\na\rb\r\r\n--b--\r\n"
        #expect(try bodies(text, [[1]]) == ["a\rb\r"])
    }

    /// Dovecot parses message/rfc822 whatever its encoding; the base64 text becomes a header line
    /// ended by the delimiter, whose line break the enclosing parts then include.
    @Test func encodedMessageRFC822IsStillAMessage() throws {
        let text = "Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: message/rfc822\n"
            + "Content-Transfer-Encoding: base64\n\nU3ViamVjdDogeAoKYm9keQo=\n--b--\n"
        let part = try #require(MessageParser.parse(Fixture.message(text)).structure.part(at: [1]))
        #expect(part.contentType.isMessageRFC822)
        let message = try #require(part.message)
        #expect(message.envelope == Envelope())
        #expect(message.root.endOffset == part.endOffset)
        #expect(try bodies(text, [[1]]) == ["U3ViamVjdDogeAoKYm9keQo=\n"])
    }

    @Test func invalidContentTypeDefaultsToTextPlain() throws {
        let part = MessageParser.parse(Fixture.message("Content-Type: garbage\n\nbody\n")).structure.root
        #expect(part.contentType == .textPlain)
    }

    @Test func headerEndingAtEndOfInputWithCRLFSplit() throws {
        let bytes = Fixture.message("Subject: x\r\n\r")
        let parsed = MessageParser.parse(bytes)
        #expect(parsed.structure.root.bodyOffset == bytes.count)
        #expect(parsed.header["subject"] == "x")
        #expect(parsed.size.virtualOctets == bytes.count)
    }
}
