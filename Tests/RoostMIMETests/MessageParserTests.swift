import RoostMIMEReference
import Testing
@testable import RoostMIME

@Suite("MessageParser: fixtures against Dovecot")
struct MessageParserFixtureTests {
    @Test(arguments: DovecotReference.all)
    func structureMatchesDovecot(_ reference: DovecotReference) throws {
        let bytes = try Fixture.bytes(reference.fixture)
        let parsed = MessageParser.parse(bytes)
        #expect(IMAPFormatter.bodyStructure(parsed.structure) == reference.bodyStructure)
        #expect(IMAPFormatter.envelope(parsed.envelope) == reference.envelope)
        #expect(parsed.size.virtualOctets == reference.virtualSize)
        #expect(parsed.size.octets == bytes.count)
        #expect(parsed.size.lines == bytes.filter { $0 == 0x0A }.count)
    }

    /// The storage layer caches parsed messages with Codable.
    @Test(arguments: Fixture.allNames)
    func parsedMessageRoundTripsThroughCodable(_ name: String) throws {
        let parsed = MessageParser.parse(try Fixture.bytes(name))
        let data = try JSONEncoderShim.encode(parsed)
        #expect(try JSONEncoderShim.decode(ParsedMessage.self, from: data) == parsed)
    }

    /// The header is known as soon as the line ending it is fed, and is what the whole parse says.
    @Test(arguments: Fixture.allNames)
    func theHeaderIsKnownOnceItsEndIsFed(_ name: String) throws {
        let bytes = try Fixture.bytes(name)
        let parsed = MessageParser.parse(bytes)
        let bodyOffset = parsed.structure.root.bodyOffset
        var parser = MessageParser()
        for (index, byte) in bytes.enumerated() {
            parser.feed(chunk: [byte])
            // The blank line's LF is the last byte of the header block; a message with a body is
            // known to have one as soon as it is fed.
            if index + 1 < bodyOffset || (index + 1 == bodyOffset && bodyOffset < bytes.count) {
                #expect((parser.header != nil) == (index + 1 == bodyOffset), "\(name) at \(index)")
            }
            if parser.header != nil { break }
        }
        // Without a body, only the end of input may tell that the header has ended.
        if parser.header == nil { _ = parser.finish() }
        let header = try #require(parser.header, "\(name)")
        #expect(header.header == parsed.header)
        #expect(header.envelope == parsed.envelope)
        #expect(header.headerTruncated == parsed.headerTruncated)
        #expect(header.bodyOffset == bodyOffset)
    }

    @Test func aMessageWithoutABlankLineIsAllHeader() {
        var parser = MessageParser()
        parser.feed(chunk: Array("Subject: no body\r\nFrom: a@example.org\r\n".utf8))
        #expect(parser.header == nil)
        let parsed = parser.finish()
        #expect(parser.header?.bodyOffset == parsed.size.octets)
        #expect(parser.header?.envelope.subject == "no body")
    }

    @Test(arguments: Fixture.allNames)
    func offsetsAreNestedAndConsistent(_ name: String) throws {
        let bytes = try Fixture.bytes(name)
        let parsed = MessageParser.parse(bytes)
        let root = parsed.structure.root
        #expect(root.headerOffset == 0)
        #expect(root.endOffset == bytes.count)
        #expect(parsed.headerBytes == Array(bytes[root.headerRange]))
        #expect(parsed.header == Header.parse(parsed.headerBytes))
        checkNesting(root, within: root.headerOffset..<root.endOffset, bytes: bytes)
    }

    private func checkNesting(_ part: BodyPart, within range: Range<Int>, bytes: [UInt8]) {
        #expect(range.lowerBound <= part.headerOffset)
        #expect(part.headerOffset <= part.bodyOffset)
        #expect(part.bodyOffset <= part.endOffset)
        #expect(part.endOffset <= range.upperBound)
        #expect(part.headerSize.octets == part.bodyOffset - part.headerOffset)
        #expect(part.bodySize.octets == part.endOffset - part.bodyOffset)
        #expect(part.bodySize.lines == bytes[part.bodyRange].filter { $0 == 0x0A }.count)
        var previousEnd = part.bodyOffset
        for child in part.children {
            #expect(child.headerOffset >= previousEnd)
            checkNesting(child, within: part.bodyRange, bytes: bytes)
            previousEnd = child.endOffset
        }
        if let message = part.message {
            #expect(message.root.headerOffset == part.bodyOffset)
            #expect(message.root.endOffset == part.endOffset)
            checkNesting(message.root, within: part.bodyRange, bytes: bytes)
        }
    }

    /// A part's region, sliced out of the fixture by the reported offsets.
    struct Slice: Sendable, CustomTestStringConvertible {
        enum Region: Sendable { case header, body }
        let fixture: String
        let path: [Int]
        let region: Region
        let expected: String
        var testDescription: String { "\(fixture) \(path) \(region)" }
    }

    static let slices: [Slice] = [
        Slice(fixture: "plain-lf.eml", path: [1], region: .body,
              expected: "Hi Bob,\n\nAre you free for lunch on Friday?\n\n-- \nAlice\n"),
        Slice(fixture: "plain-crlf.eml", path: [1], region: .body,
              expected: "Hi Bob,\r\n\r\nAre you free for lunch on Friday?\r\n\r\n-- \r\nAlice\r\n"),
        Slice(fixture: "mixed-attachment-lf.eml", path: [1], region: .body,
              expected: "Please find the report attached.\n"),
        Slice(fixture: "mixed-attachment-lf.eml", path: [2], region: .header,
              expected: "Content-Type: application/pdf; name=\"report.pdf\"\nContent-Transfer-Encoding: base64\n"
                  + "Content-Disposition: attachment; filename=\"report.pdf\"; size=790\n\n"),
        Slice(fixture: "mixed-attachment-crlf.eml", path: [1], region: .body,
              expected: "Please find the report attached.\r\n"),
        Slice(fixture: "nested-rfc822-lf.eml", path: [2], region: .header,
              expected: "Content-Type: message/rfc822\n\n"),
        Slice(fixture: "nested-rfc822-lf.eml", path: [2, 1], region: .header,
              expected: "Content-Type: text/html\nContent-Transfer-Encoding: 8bit\n\n"),
        Slice(fixture: "nested-rfc822-lf.eml", path: [2, 1], region: .body, expected: "<p>Minutes</p>\n"),
        Slice(fixture: "nested-rfc822-lf.eml", path: [2, 2], region: .body, expected: "Minutes as text\n"),
        Slice(fixture: "nested-rfc822-crlf.eml", path: [2, 2], region: .body, expected: "Minutes as text\r\n"),
        Slice(fixture: "missing-close-boundary-lf.eml", path: [1], region: .body, expected: "first part"),
        Slice(fixture: "missing-close-boundary-lf.eml", path: [2], region: .body,
              expected: "second part, never closed\n"),
        Slice(fixture: "digest-lf.eml", path: [1], region: .header, expected: "\n"),
        Slice(fixture: "digest-lf.eml", path: [1], region: .body,
              expected: "From: oscar@example.org\nSubject: First post\n\nHello list.\n"),
        Slice(fixture: "digest-lf.eml", path: [1, 1], region: .body, expected: "Hello list.\n"),
        Slice(fixture: "digest-lf.eml", path: [2], region: .body, expected: "Not a message, explicitly typed."),
        Slice(fixture: "headers-only-lf.eml", path: [1], region: .body, expected: ""),
        Slice(fixture: "missing-headers-lf.eml", path: [1], region: .header, expected: "X-Spam-Score: 0.0\n\n"),
        Slice(fixture: "boundary-in-part-header-lf.eml", path: [1], region: .header,
              expected: "Content-Type: text/plain\n"),
    ]

    @Test(arguments: slices)
    func offsetsSliceTheFixture(_ slice: Slice) throws {
        let bytes = try Fixture.bytes(slice.fixture)
        let part = try #require(MessageParser.parse(bytes).structure.part(at: slice.path))
        let range = slice.region == .header ? part.headerRange : part.bodyRange
        #expect(String(decoding: bytes[range], as: UTF8.self) == slice.expected)
    }

    @Test func base64AttachmentDecodesFromItsSlice() throws {
        let bytes = try Fixture.bytes("mixed-attachment-lf.eml")
        let attachment = try #require(MessageParser.parse(bytes).structure.part(at: [2]))
        let decoded = attachment.transferEncoding.decode(bytes[attachment.bodyRange])
        #expect(decoded.count == 784)
        #expect(decoded.starts(with: Array("%PDF-1.4\n".utf8)))
        #expect(Array(decoded[9..<265]) == (0...255).map { UInt8($0) })
        #expect(attachment.disposition?.filename == "report.pdf")
    }

    /// Every LF fixture converted to CRLF: octets of the CRLF file equal the virtual octets of the
    /// LF file, part by part, and nothing else changes.
    @Test(arguments: Fixture.allNames.filter { $0.hasSuffix("-lf.eml") })
    func crlfVersionMatchesVirtualSizes(_ name: String) throws {
        let lf = try Fixture.bytes(name)
        let lfParsed = MessageParser.parse(lf)
        let crlfParsed = MessageParser.parse(Fixture.crlf(lf))
        #expect(IMAPFormatter.bodyStructure(lfParsed.structure) == IMAPFormatter.bodyStructure(crlfParsed.structure))
        #expect(crlfParsed.size.octets == lfParsed.size.virtualOctets)
        #expect(crlfParsed.size.virtualOctets == crlfParsed.size.octets)
        let lfParts = lfParsed.structure.allParts
        let crlfParts = crlfParsed.structure.allParts
        #expect(lfParts.map(\.path) == crlfParts.map(\.path))
        for (lfPart, crlfPart) in zip(lfParts, crlfParts) {
            #expect(crlfPart.part.headerSize.octets == lfPart.part.headerSize.virtualOctets)
            #expect(crlfPart.part.bodySize.octets == lfPart.part.bodySize.virtualOctets)
            #expect(crlfPart.part.bodySize.lines == lfPart.part.bodySize.lines)
        }
    }
}

@Suite("MessageParser: streaming")
struct MessageParserStreamingTests {
    @Test(arguments: Fixture.allNames)
    func byteByByteEqualsOneShot(_ name: String) throws {
        let bytes = try Fixture.bytes(name)
        var parser = MessageParser()
        for byte in bytes { parser.feed(chunk: [byte]) }
        #expect(parser.finish() == MessageParser.parse(bytes))
    }

    @Test(arguments: [1, 2, 3, 5, 8, 13, 21, 34, 55, 89] as [UInt64])
    func randomChunksEqualOneShot(_ seed: UInt64) throws {
        for name in Fixture.allNames {
            for bytes in [try Fixture.bytes(name), Fixture.crlf(try Fixture.bytes(name))] {
                var parser = MessageParser()
                for chunk in randomChunks(bytes, seed: seed &* 7919 &+ UInt64(bytes.count)) {
                    parser.feed(chunk: chunk)
                }
                #expect(parser.finish() == MessageParser.parse(bytes), "\(name) seed \(seed)")
            }
        }
    }

    @Test func everyTwoWaySplitOfAMultipartEqualsOneShot() throws {
        let bytes = try Fixture.bytes("nested-rfc822-crlf.eml")
        let expected = MessageParser.parse(bytes)
        for split in 0...bytes.count {
            var parser = MessageParser()
            parser.feed(chunk: bytes[..<split])
            parser.feed(chunk: bytes[split...])
            #expect(parser.finish() == expected, "split at \(split)")
        }
    }

    @Test func nonContiguousCollectionsAreAccepted() throws {
        let bytes = try Fixture.bytes("alternative-lf.eml")
        var parser = MessageParser()
        parser.feed(chunk: bytes.lazy.map { $0 })
        #expect(parser.finish() == MessageParser.parse(bytes))
    }

    @Test func finishIsIdempotentAndLaterFeedsAreIgnored() throws {
        let bytes = try Fixture.bytes("plain-lf.eml")
        var parser = MessageParser()
        parser.feed(chunk: bytes)
        let first = parser.finish()
        parser.feed(chunk: Array("more".utf8))
        #expect(parser.finish() == first)
    }
}
