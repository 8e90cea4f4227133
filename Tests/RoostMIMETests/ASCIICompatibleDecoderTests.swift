import Testing
@testable import RoostMIME

/// US-ASCII-labelled and unlabelled text: UTF-8 where valid, Windows-1252 from a line's first
/// invalid byte to its end, the same however the text is chunked.
@Suite("ASCIICompatibleDecoder")
struct ASCIICompatibleDecoderTests {
    @Test(arguments: [
        (Array("café 世界".utf8), "café 世界"),
        ([0x63, 0x61, 0x66, 0xE9], "café"),
        ([0x93, 0x71, 0x94], "\u{201C}q\u{201D}"),
        // UTF-8 up to the first invalid byte, Windows-1252 from there to the end of the line...
        ([0xC3, 0xA9, 0x20, 0xE9], "é é"),
        ([0xE9, 0x20, 0xC3, 0xA9], "é Ã©"),
        // ... and the next line starts over as UTF-8.
        ([0xE9, 0x0A, 0xC3, 0xA9], "é\né"),
        ([0xE9, 0x0D, 0x0A, 0xC3, 0xA9], "é\r\né"),
        // Ill-formed UTF-8: overlong, surrogate, beyond U+10FFFF, stray continuation.
        ([0xC0, 0xAF], "À¯"),
        ([0xED, 0xA0, 0x80], "í\u{A0}€"),
        ([0xF4, 0x90, 0x80, 0x80], "ô\u{90}€€"),
        ([0x41, 0x80], "A€"),
        // A sequence cut by the end of the text is not UTF-8.
        ([0x41, 0xE2, 0x82], "Aâ‚"),
    ] as [([UInt8], String)])
    func decodes(_ bytes: [UInt8], _ expected: String) {
        #expect(Charset.decode(bytes, charset: "us-ascii") == expected)
    }

    static let mixed: [UInt8] = Array("plain line\nUTF-8 line: café, 日本\n".utf8)
        + [0x4C, 0x61, 0x74, 0x69, 0x6E, 0x3A, 0x20, 0x63, 0x61, 0x66, 0xE9, 0x20, 0x93, 0x71, 0x94, 0x0D, 0x0A]
        + Array("mixed: é then ".utf8) + [0xE9, 0x20] + Array("é\nlast: 世".utf8) + [0xE4, 0xB8]

    /// Every way of cutting the text in two, and byte by byte, gives the text decoded whole.
    @Test func everySplitEqualsWhole() throws {
        let whole = try #require(Charset.decode(Self.mixed, charset: "us-ascii"))
        #expect(whole.hasPrefix("plain line\nUTF-8 line: café, 日本\nLatin: café \u{201C}q\u{201D}\r\nmixed: é then é Ã©\nlast: 世"))
        for cut in 0...Self.mixed.count {
            let chunks = [Self.mixed[..<cut], Self.mixed[cut...]]
            #expect(try CharsetDecoderTests.streamed(chunks, charset: "us-ascii").text == whole, "cut at \(cut)")
        }
        let bytes = Self.mixed.indices.map { Self.mixed[$0...$0] }
        #expect(try CharsetDecoderTests.streamed(bytes, charset: "us-ascii").text == whole, "byte by byte")
    }

    /// The same through `TextExtractor`, whose chunks follow the reader's buffers: SEARCH must see
    /// the same text however the message file was read.
    @Test func textExtractorOutputDoesNotDependOnChunking() {
        let message = Array("Subject: x\nContent-Type: text/plain; charset=us-ascii\n\n".utf8) + Self.mixed + [0x0A]
        let whole = TextExtractorTests.collect(TextExtractor.extract(message)).bodies
        #expect(whole.count == 1)
        for cut in 0...message.count {
            var extractor = TextExtractor()
            var segments = extractor.feed(chunk: message[..<cut])
            segments += extractor.feed(chunk: message[cut...])
            segments += extractor.finish()
            #expect(TextExtractorTests.collect(segments).bodies == whole, "cut at \(cut)")
        }
    }
}
