import Testing
@testable import RoostMIME

@Suite("CharsetDecoder")
struct CharsetDecoderTests {
    /// Decodes `bytes` fed in `chunks`, then finishes.
    static func streamed(_ chunks: [ArraySlice<UInt8>], charset: String) throws -> (text: String, maxHeld: Int) {
        var decoder = try #require(CharsetDecoder(charset: charset))
        var text = ""
        var maxHeld = 0
        for chunk in chunks {
            text += decoder.decode(chunk)
            maxHeld = max(maxHeld, decoder.heldByteCount)
        }
        text += decoder.finish()
        return (text, maxHeld)
    }

    static func fixedChunks(_ bytes: [UInt8], size: Int) -> [ArraySlice<UInt8>] {
        stride(from: 0, to: bytes.count, by: size).map { bytes[$0..<min(bytes.count, $0 + size)] }
    }

    /// A line longer than the 256 KiB the decoder once buffered before converting with a fresh
    /// iconv session: the JIS shift state set at its start must still hold at its end.
    @Test func longISO2022JPLineKeepsItsShiftStateAcrossChunks() throws {
        let text = String(repeating: "日本語のテキスト", count: 30_000)
        let encoded = try #require(IconvEncoder.encode(text, to: "ISO-2022-JP"))
        #expect(encoded.count > 400 * 1024)
        #expect(!encoded.contains(ASCII.lf))
        let decoded = try Self.streamed(Self.fixedChunks(encoded, size: 4093), charset: "iso-2022-jp")
        let same = decoded.text == text
        #expect(same, "decoded \(decoded.text.count) characters, expected \(text.count)")
    }

    /// However long the text runs without a line break, the decoder holds back no more than an
    /// incomplete character or escape sequence, so each chunk costs time in proportion to its own
    /// size (the decoder once searched everything held for a line feed on every chunk).
    @Test(arguments: ["ISO-2022-JP", "UTF-7", "UTF-16", "UTF-32", "GB18030", "SHIFT_JIS", "UTF-8", "US-ASCII"])
    func heldBytesStayBoundedWithoutLineBreaks(_ charset: String) throws {
        let text = String(repeating: "日本語 and ASCII text, ", count: 4000)
        let encoded: [UInt8]
        switch charset {
        case "UTF-8", "US-ASCII": encoded = Array(text.utf8)
        default: encoded = try #require(IconvEncoder.encode(text, to: charset))
        }
        let decoded = try Self.streamed(randomChunks(encoded, seed: 11, maxChunk: 13), charset: charset)
        #expect(decoded.maxHeld <= 8)
        let same = decoded.text == text
        #expect(same)
    }

    /// The output buffer of a stream's converter is allocated once, not on every chunk.
    @Test func streamReusesOneConverterAndBuffer() throws {
        let converter = try #require(IconvConverter(from: "ISO-8859-2"))
        let input: [UInt8] = Array(repeating: 0xB1, count: 5000)
        let first = input.withUnsafeBufferPointer { converter.convert($0, final: false) }
        let buffer = converter.bufferAddress
        for _ in 0..<50 {
            let again = input.withUnsafeBufferPointer { converter.convert($0, final: false) }
            #expect(again.text == first.text)
        }
        #expect(buffer != nil && converter.bufferAddress == buffer)
        #expect(first.text == String(repeating: "ą", count: 5000))
    }

    /// Copies of a decoder do not share the converter's shift state: each one that goes on decoding
    /// while the other exists gets a converter of its own.
    @Test func copiesDecodeIndependently() throws {
        var original = try #require(CharsetDecoder(charset: "iso-2022-jp"))
        #expect(original.decode([0x1B, 0x24, 0x42, 0x46, 0x7C, 0x1B, 0x28, 0x42]) == "日")
        var copy = original
        #expect(original.decode([0x1B, 0x24, 0x42, 0x46, 0x7C]) == "日")
        #expect(copy.decode(Array("ab".utf8)) == "ab")
        #expect(original.decode([0x4B, 0x5C]) == "本")
        #expect(copy.decode([0x4B, 0x5C]) + copy.finish() == "K\\")
        #expect(original.decode([0x1B, 0x28, 0x42]) + original.finish() == "")
    }
}
