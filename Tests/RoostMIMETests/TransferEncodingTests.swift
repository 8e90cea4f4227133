import Testing
@testable import RoostMIME

@Suite("TransferEncoding")
struct TransferEncodingTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let input: String
        let output: [UInt8]
        var testDescription: String { name }
        init(_ name: String, _ input: String, _ output: String) {
            self.name = name
            self.input = input
            self.output = Array(output.utf8)
        }
        init(_ name: String, _ input: String, bytes: [UInt8]) {
            self.name = name
            self.input = input
            self.output = bytes
        }
    }

    static let base64Cases: [Case] = [
        Case("plain", "SGVsbG8sIFdvcmxkIQ==", "Hello, World!"),
        Case("wrapped CRLF", "SGVsbG8s\r\nIFdvcmxk\r\nIQ==\r\n", "Hello, World!"),
        Case("wrapped LF with trailing spaces", "SGVsbG8s  \nIFdvcmxkIQ==\t\n", "Hello, World!"),
        Case("quantum split across lines", "SGVs\nbG8=\n", "Hello"),
        Case("missing padding", "SGVsbG8", "Hello"),
        Case("one padding char", "SGk=", "Hi"),
        Case("concatenated padded blocks", "SGk=\nIHRoZXJl\n", "Hi there"),
        Case("blocks on one line", "SGk=IQ==", "Hi!"),
        Case("garbage line skipped", "SGVsbG8s\n--- cut here ---\nIFdvcmxkIQ==\n", "Hello, World!"),
        Case("footer after data", "SGVsbG8=\n\nSent from my phone\n", "Hello"),
        Case("footer with punctuation", "SGVsbG8=\n_______________\nList: x@y.z\n", "Hello"),
        Case("lone sextet dropped", "SGVsbG8sQ", "Hello,"),
        Case("empty", "", ""),
        Case("binary", "AP8QgA==", bytes: [0x00, 0xFF, 0x10, 0x80]),
    ]

    @Test(arguments: base64Cases)
    func base64(_ testCase: Case) {
        #expect(Base64Decoder.decode(Array(testCase.input.utf8)) == testCase.output)
        var decoder = Base64Decoder()
        var streamed: [UInt8] = []
        for byte in testCase.input.utf8 { [byte].withUnsafeBufferPointer { decoder.decode($0, into: &streamed) } }
        decoder.finish(into: &streamed)
        #expect(streamed == testCase.output, "byte by byte")
    }

    static let quotedPrintableCases: [Case] = [
        Case("plain", "Hello", "Hello"),
        Case("escapes", "caf=C3=A9 =3D equals", "café = equals"),
        Case("lowercase hex", "caf=c3=a9", "café"),
        Case("soft break CRLF", "long=\r\nline", "longline"),
        Case("soft break LF", "long=\nline", "longline"),
        Case("soft break with padding", "long=  \r\nline", "longline"),
        Case("hard breaks kept", "a\r\nb\nc", "a\r\nb\nc"),
        Case("trailing whitespace removed", "a  \r\nb\t\nc ", "a\r\nb\nc"),
        Case("inner whitespace kept", "a  b", "a  b"),
        Case("bad escape literal", "=ZZtop", "=ZZtop"),
        Case("half escape literal", "=4x", "=4x"),
        Case("equals then space then text", "a= b", "a= b"),
        Case("trailing equals is a soft break", "end=", "end"),
        Case("incomplete escape at end", "end=4", "end=4"),
        Case("lone CR kept", "a\rb", "a\rb"),
        Case("escaped CRLF", "=0D=0A", "\r\n"),
    ]

    @Test(arguments: quotedPrintableCases)
    func quotedPrintable(_ testCase: Case) {
        #expect(QuotedPrintableDecoder.decode(Array(testCase.input.utf8)) == testCase.output)
        var decoder = QuotedPrintableDecoder()
        var streamed: [UInt8] = []
        for byte in testCase.input.utf8 { [byte].withUnsafeBufferPointer { decoder.decode($0, into: &streamed) } }
        decoder.finish(into: &streamed)
        #expect(streamed == testCase.output, "byte by byte")
    }

    @Test(arguments: [
        (nil, TransferEncoding.sevenBit), ("7bit", .sevenBit), ("8BIT", .eightBit), ("Binary", .binary),
        (" base64 ", .base64), ("Quoted-Printable", .quotedPrintable), ("x-uuencode", .other("x-uuencode")),
        ("?invalid", .sevenBit), ("", .sevenBit), ("base64 (comment)", .base64),
    ] as [(String?, TransferEncoding)])
    func headerValues(_ value: String?, _ expected: TransferEncoding) {
        #expect(TransferEncoding(headerValue: value) == expected)
    }

    @Test func identityEncodingsPassThrough() {
        let bytes: [UInt8] = [0x00, 0xFF, 0x3D, 0x0A]
        #expect(TransferEncoding.binary.decode(bytes) == bytes)
        #expect(TransferEncoding.other("x-uuencode").decode(bytes) == bytes)
        #expect(TransferEncoding.eightBit.isIdentity)
        #expect(!TransferEncoding.base64.isIdentity)
        #expect(TransferEncoding.quotedPrintable.name == "quoted-printable")
    }

    @Test func longBase64LineIsReleasedBeforeItsEnd() {
        let payload = [UInt8](repeating: 0xAB, count: 30_000)
        let encoded = Array(Self.base64Encode(payload).utf8)
        var decoder = Base64Decoder()
        var output: [UInt8] = []
        encoded.withUnsafeBufferPointer { decoder.decode($0, into: &output) }
        #expect(output.count >= Base64Decoder.maxHeldLineOutput)
        decoder.finish(into: &output)
        #expect(output == payload)
    }

    static func base64Encode(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
        var output = ""
        var index = 0
        while index < bytes.count {
            let chunk = Array(bytes[index..<min(index + 3, bytes.count)])
            let value = (UInt32(chunk[0]) << 16) | (UInt32(chunk.count > 1 ? chunk[1] : 0) << 8)
                | UInt32(chunk.count > 2 ? chunk[2] : 0)
            for position in 0..<4 {
                output.append(position <= chunk.count ? alphabet[Int((value >> (18 - 6 * position)) & 63)] : "=")
            }
            index += 3
        }
        return output
    }
}
