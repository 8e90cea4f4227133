import Testing
@testable import RoostMIME

@Suite("Charset")
struct CharsetTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let charset: String
        let bytes: [UInt8]
        let text: String
        var testDescription: String { charset }
    }

    static let cases: [Case] = [
        Case(charset: "UTF-8", bytes: Array("héllo 世界".utf8), text: "héllo 世界"),
        Case(charset: "utf8", bytes: Array("ok".utf8), text: "ok"),
        Case(charset: "US-ASCII", bytes: Array("plain".utf8), text: "plain"),
        // ASCII-labelled text that is really UTF-8, and really Windows-1252.
        Case(charset: "us-ascii", bytes: Array("café".utf8), text: "café"),
        Case(charset: "us-ascii", bytes: [0x63, 0x61, 0x66, 0xE9, 0x20, 0x93, 0x71, 0x94], text: "café \u{201C}q\u{201D}"),
        Case(charset: "ISO-8859-1", bytes: [0x63, 0x61, 0x66, 0xE9], text: "café"),
        // ISO-8859-1 labels decode as Windows-1252 (WHATWG), so 0x80 is the euro sign.
        Case(charset: "latin1", bytes: [0x80, 0x41], text: "€A"),
        Case(charset: "windows-1252", bytes: [0x93, 0x48, 0x94, 0x81], text: "\u{201C}H\u{201D}\u{81}"),
        Case(charset: "ISO-8859-2", bytes: [0xB1, 0xE6], text: "ąć"),
        Case(charset: "iso_8859-15", bytes: [0xA4], text: "€"),
        Case(charset: "ISO-8859-5", bytes: [0xBF, 0xE0, 0xD8, 0xD2, 0xD5, 0xE2], text: "Привет"),
        Case(charset: "windows-1251", bytes: [0xCF, 0xF0, 0xE8, 0xE2, 0xE5, 0xF2], text: "Привет"),
        Case(charset: "cp1250", bytes: [0x8A], text: "Š"),
        Case(charset: "KOI8-R", bytes: [0xF0, 0xD2, 0xC9, 0xD7, 0xC5, 0xD4], text: "Привет"),
        Case(charset: "GB2312", bytes: [0xD6, 0xD0, 0xCE, 0xC4], text: "中文"),
        // 0x95 0x4E is GBK-only (not in GB2312): real senders label it gb2312 anyway.
        Case(charset: "gb2312", bytes: [0x95, 0x4E], text: "昇"),
        Case(charset: "GBK", bytes: [0xD6, 0xD0], text: "中"),
        Case(charset: "GB18030", bytes: [0x81, 0x30, 0x81, 0x30], text: "\u{80}"),
        Case(charset: "Big5", bytes: [0xA4, 0xA4, 0xA4, 0xE5], text: "中文"),
        Case(charset: "ISO-2022-JP", bytes: [0x1B, 0x24, 0x42, 0x46, 0x7C, 0x4B, 0x5C, 0x1B, 0x28, 0x42], text: "日本"),
        Case(charset: "Shift_JIS", bytes: [0x93, 0xFA, 0x96, 0x7B], text: "日本"),
        Case(charset: "EUC-JP", bytes: [0xC6, 0xFC, 0xCB, 0xDC], text: "日本"),
        Case(charset: "EUC-KR", bytes: [0xC7, 0xD1, 0xB1, 0xDB], text: "한글"),
        Case(charset: "ks_c_5601-1987", bytes: [0xC7, 0xD1], text: "한"),
        Case(charset: "\"UTF-16\"", bytes: [0xFF, 0xFE, 0x41, 0x00, 0x2D, 0x4E], text: "A中"),
        Case(charset: "utf-7", bytes: Array("Hi +ZeVnLIqe-".utf8), text: "Hi 日本語"),
        Case(charset: " Windows-1252 ", bytes: [0x80], text: "€"),
    ]

    @Test(arguments: cases)
    func decodes(_ testCase: Case) {
        #expect(Charset.decode(testCase.bytes, charset: testCase.charset) == testCase.text)
        #expect(Charset.isKnown(testCase.charset))
    }

    @Test(arguments: ["x-no-such-charset", "", "utf-8//TRANSLIT", "../../etc/passwd", "UTF-8 //IGNORE"])
    func unknownOrUnsafeNamesAreRejected(_ name: String) {
        #expect(!Charset.isKnown(name))
        #expect(Charset.decode(Array("x".utf8), charset: name) == nil)
    }

    @Test func invalidBytesBecomeReplacementCharacters() {
        #expect(Charset.decode([0x61, 0xFF, 0x62], charset: "utf-8") == "a\u{FFFD}b")
        #expect(Charset.decode([0x61, 0xD6], charset: "gb2312") == "a\u{FFFD}")
        #expect(Charset.decode([0xA4, 0xA4, 0xFF, 0x41], charset: "big5")?.hasPrefix("中") == true)
        #expect(Charset.decode([0x1B, 0x24, 0x42, 0x46], charset: "iso-2022-jp") != nil)
    }

    @Test func canonicalNamesShowTheSupersetUsed() {
        #expect(Charset.canonicalName("gb2312") == "GB18030")
        #expect(Charset.canonicalName("BIG5") == "BIG5-HKSCS")
        #expect(Charset.canonicalName("iso-8859-1") == "WINDOWS-1252")
        #expect(Charset.canonicalName("ISO8859-7") == "ISO-8859-7")
        #expect(Charset.canonicalName("nonsense") == nil)
    }

    @Test func streamingDecoderHandlesSplitCharacters() throws {
        let text = "中文郵件，測試。\n第二行 with ASCII\n"
        for charset in ["utf-8", "gb18030", "big5", "utf-16le", "iso-2022-jp", "shift_jis"] {
            let encoded: [UInt8]
            switch charset {
            case "utf-8": encoded = Array(text.utf8)
            default: encoded = try #require(Self.encode(text, charset: charset))
            }
            let oneShot = Charset.decode(encoded, charset: charset)
            for chunkSize in [1, 2, 3, 5] {
                var decoder = try #require(CharsetDecoder(charset: charset))
                var output = ""
                var index = 0
                while index < encoded.count {
                    output += decoder.decode(encoded[index..<min(encoded.count, index + chunkSize)])
                    index += chunkSize
                }
                output += decoder.finish()
                #expect(output == oneShot, "\(charset) chunk \(chunkSize)")
            }
        }
    }

    @Test func lenientDecoderFallsBackForUnknownCharsets() {
        var decoder = CharsetDecoder(lenientCharset: "x-unheard-of")
        #expect(decoder.decode([0x63, 0x61, 0x66, 0xE9]) + decoder.finish() == "café")
        #expect(CharsetDecoder(charset: "x-unheard-of") == nil)
    }

    @Test func truncatedMultibyteSequenceAtEndIsReplaced() throws {
        var decoder = try #require(CharsetDecoder(charset: "utf-8"))
        #expect(decoder.decode([0x61, 0xE4, 0xB8]) == "a")
        #expect(decoder.finish() == "\u{FFFD}")
    }

    /// Encodes with glibc iconv through the test process (the reverse direction of the decoder).
    static func encode(_ text: String, charset: String) -> [UInt8]? {
        let table: [String: String] = ["gb18030": "GB18030", "big5": "BIG5", "utf-16le": "UTF-16LE",
                                       "iso-2022-jp": "ISO-2022-JP", "shift_jis": "SHIFT_JIS"]
        guard let name = table[charset] else { return nil }
        return IconvEncoder.encode(text, to: name)
    }
}
