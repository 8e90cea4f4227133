import Testing
@testable import RoostMIME

@Suite("IconvConverter")
struct IconvConverterTests {
    /// An invalid code unit (an unpaired surrogate, a value beyond U+10FFFF) becomes one U+FFFD and
    /// decoding resumes at the next unit: skipping a single byte would misalign every later unit.
    @Test(arguments: [
        ("utf-16le", [0x41, 0x00, 0x00, 0xDC, 0x42, 0x00, 0x43, 0x00], "A\u{FFFD}BC"),
        ("utf-16be", [0x00, 0x41, 0xDC, 0x00, 0x00, 0x42, 0x00, 0x43], "A\u{FFFD}BC"),
        ("utf-16le", [0x41, 0x00, 0x00, 0xD8, 0x42, 0x00, 0x43, 0x00], "A\u{FFFD}BC"),
        ("utf-32le", [0x41, 0, 0, 0, 0x00, 0x00, 0x11, 0x00, 0x42, 0, 0, 0], "A\u{FFFD}B"),
        ("utf-32be", [0, 0, 0, 0x41, 0x00, 0x11, 0x00, 0x00, 0, 0, 0, 0x42], "A\u{FFFD}B"),
        ("utf-32le", [0x41, 0, 0, 0, 0x00, 0xD8, 0x00, 0x00, 0x42, 0, 0, 0], "A\u{FFFD}B"),
        ("utf-16", [0xFF, 0xFE, 0x41, 0x00, 0x00, 0xDC, 0x42, 0x00], "A\u{FFFD}B"),
    ] as [(String, [UInt8], String)])
    func invalidCodeUnitIsSkippedWhole(_ charset: String, _ bytes: [UInt8], _ expected: String) throws {
        #expect(Charset.decode(bytes, charset: charset) == expected)
        for size in 1...3 {
            let chunks = stride(from: 0, to: bytes.count, by: size).map { bytes[$0..<min(bytes.count, $0 + size)] }
            #expect(try CharsetDecoderTests.streamed(chunks, charset: charset).text == expected, "chunks of \(size)")
        }
    }

    @Test func codeUnitWidths() {
        #expect(IconvConverter.codeUnitWidth(of: "UTF-16LE") == 2)
        #expect(IconvConverter.codeUnitWidth(of: "UCS-2") == 2)
        #expect(IconvConverter.codeUnitWidth(of: "UTF-32BE") == 4)
        #expect(IconvConverter.codeUnitWidth(of: "UTF-7") == 1)
        #expect(IconvConverter.codeUnitWidth(of: "GB18030") == 1)
    }

    /// The shift state set by one call holds in the next: the escape and the characters it
    /// selects may arrive separately.
    @Test func shiftStateCarriesAcrossCalls() throws {
        let converter = try #require(IconvConverter(from: "ISO-2022-JP-2"))
        func convert(_ bytes: [UInt8], final: Bool = false) -> String {
            bytes.withUnsafeBufferPointer { converter.convert($0, final: final).text }
        }
        #expect(convert([0x1B, 0x24, 0x42]) == "")
        #expect(convert([0x46, 0x7C]) == "日")
        #expect(convert([0x4B, 0x5C]) == "本")
        #expect(convert([0x1B, 0x28, 0x42, 0x41], final: true) == "A")
        // After `final` the converter starts over in ASCII.
        #expect(convert([0x46, 0x7C], final: true) == "F|")
    }

    /// Output far larger than the converter's buffer comes out whole (the buffer is refilled).
    @Test func outputLargerThanTheBuffer() throws {
        let converter = try #require(IconvConverter(from: "CP1251"))
        let input = [UInt8](repeating: 0xCF, count: 100_000)
        let result = input.withUnsafeBufferPointer { converter.convert($0, final: true) }
        #expect(result.unconsumed == 0)
        #expect(result.text.unicodeScalars.count == 100_000)
        #expect(result.text.unicodeScalars.allSatisfy { $0 == "П" })
    }
}
