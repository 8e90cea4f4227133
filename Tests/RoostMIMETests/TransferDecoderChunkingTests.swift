import Testing
@testable import RoostMIME

/// The run-copying transfer decoders against the byte-at-a-time ones they replaced
/// (`ReferenceQuotedPrintableDecoder`, `ReferenceBase64Decoder`): for every input, decoding it whole
/// and in chunks of every size from 1 to 7 bytes gives exactly the reference output.
@Suite("Transfer decoder chunking")
struct TransferDecoderChunkingTests {
    struct Input: Sendable, CustomTestStringConvertible {
        let name: String
        let bytes: [UInt8]
        var testDescription: String { name }
        init(_ name: String, _ text: String) {
            self.name = name
            bytes = Array(text.utf8)
        }
        init(_ name: String, bytes: [UInt8]) {
            self.name = name
            self.bytes = bytes
        }
    }

    static let quotedPrintableInputs: [Input] = [
        Input("soft breaks", "long=\r\nline=\nend=  \r\nx=\t\nlast="),
        Input("trailing whitespace", "a \t \r\nb  \nc\t\r\n  \r\n \n"),
        Input("whitespace before equals", "a  =3D b \t=\r\nc"),
        Input("whitespace before a lone CR", "a  \rb \r \r\n"),
        Input("CR CR LF", "a\r\r\nb \r\r\n"),
        Input("bad escapes", "=ZZ =4x =G1 =\u{7F}= a=\r\r\n=4"),
        Input("equals then whitespace then text", "a= b=\t\tc= \r d=  "),
        Input("escapes of every case", "=3d=3D=c3=A9=0D=0A=00=ff"),
        Input("eight-bit and NUL", bytes: [0x61, 0x00, 0x20, 0xC3, 0xA9, 0x20, 0x0A, 0xFF, 0x20, 0x3D, 0x0A]),
        Input("whitespace past the hold limit", String(repeating: " ", count: 4100) + "x" + String(repeating: "\t", count: 8200) + "\r\n"),
        Input("equals whitespace past the hold limit", "=" + String(repeating: " ", count: 4100) + "\r\nx"),
        Input("trailing whitespace run past the hold limit", "a" + String(repeating: " ", count: 4097)),
        Input("only specials", "\r\n\r\n==\r\n=\n\n\r"),
    ]

    static let base64Inputs: [Input] = [
        Input("wrapped CRLF", "SGVsbG8s\r\nIFdvcmxk\r\nIQ==\r\n"),
        Input("quantum split across lines", "SGV\nsbG\n8=\nSGk\n"),
        Input("padding inside a line", "SGk=IQ==SGk\nIQ"),
        Input("garbage after a partial quantum", "SGVsb\n--cut--\nG8=\n"),
        Input("whitespace inside data", "SGVs bG8s\tIFdv\r\ncmxk IQ==\n"),
        Input("footer after padding", "SGVsbG8=\nSent from my phone\nSGk=\n\n-- \nsig\n"),
        Input("gap after padding then data", "SGk=\nSG k=\nIQ==\n"),
        Input("non-alphabet bytes", bytes: Array("SGVs\u{0}bG8\n".utf8) + [0xC3, 0xA9, 0x0A] + Array("SGk=".utf8)),
        Input("lone sextets", "Q\nQQ\nQQQ\nQQQQQ"),
        Input("long line then garbage", String(repeating: "QUJD", count: 3000) + "!!\nSGk=\n"),
        Input("long line with a gap", String(repeating: "QUJD", count: 3000) + " QUJD\nQUJD"),
        Input("only padding", "====\n=\n=="),
    ]

    /// Every fixture, with LF and with CRLF line ends: mail text, decoded as if it were encoded.
    static var fixtureInputs: [Input] {
        Fixture.allNames.flatMap { name -> [Input] in
            guard let bytes = try? Fixture.bytes(name) else { return [] }
            return [Input(name, bytes: bytes), Input(name + " (CRLF)", bytes: Fixture.crlf(bytes))]
        }
    }

    /// Random inputs over the bytes each decoder treats specially, reproducible by seed.
    static func randomInputs(alphabet: [UInt8], count: Int, seed: UInt64) -> [Input] {
        var generator = SeededGenerator(seed: seed)
        return (0..<count).map { index in
            let length = Int.random(in: 0...300, using: &generator)
            let bytes = (0..<length).map { _ in alphabet.randomElement(using: &generator)! }
            return Input("random \(index)", bytes: bytes)
        }
    }

    static let quotedPrintableAlphabet = Array("ab4F= \t\r\n\r\n=".utf8) + [0xC3]
    static let base64Alphabet = Array("QUJDSGVsbG8+/=  \t\r\n\n!".utf8)

    @Test(arguments: quotedPrintableInputs + fixtureInputs
          + randomInputs(alphabet: quotedPrintableAlphabet, count: 200, seed: 7))
    func quotedPrintable(_ input: Input) {
        let expected = ReferenceQuotedPrintableDecoder.decode(input.bytes)
        #expect(QuotedPrintableDecoder.decode(input.bytes) == expected, "whole")
        #expect(TransferEncoding.quotedPrintable.decode(input.bytes) == expected, "TransferDecoder, whole")
        for size in 1...7 {
            var decoder = QuotedPrintableDecoder()
            var output: [UInt8] = []
            Self.forEachChunk(of: input.bytes, size: size) { decoder.decode($0, into: &output) }
            decoder.finish(into: &output)
            #expect(output == expected, "chunks of \(size)")
        }
    }

    @Test(arguments: base64Inputs + fixtureInputs + randomInputs(alphabet: base64Alphabet, count: 200, seed: 11))
    func base64(_ input: Input) {
        let expected = ReferenceBase64Decoder.decode(input.bytes)
        #expect(Base64Decoder.decode(input.bytes) == expected, "whole")
        #expect(TransferEncoding.base64.decode(input.bytes) == expected, "TransferDecoder, whole")
        for size in 1...7 {
            var decoder = Base64Decoder()
            var output: [UInt8] = []
            Self.forEachChunk(of: input.bytes, size: size) { decoder.decode($0, into: &output) }
            decoder.finish(into: &output)
            #expect(output == expected, "chunks of \(size)")
        }
    }

    /// A reset decoder decodes like a new one, whatever state the previous body left it in.
    @Test func resetDecoderStartsOver() {
        let previous: [(TransferEncoding, String)] = [
            (.base64, "SGk=\nSGV"), (.base64, String(repeating: "QUJD", count: 3000)),
            (.quotedPrintable, "a  =\r"), (.quotedPrintable, "x=4"), (.sevenBit, "plain \r"),
        ]
        let next: [(TransferEncoding, String)] = [
            (.base64, "SGVsbG8=\nSent from my phone\n"), (.quotedPrintable, "caf=C3=A9  \r\nb"), (.binary, "a\r\n"),
        ]
        for (firstEncoding, firstText) in previous {
            for (encoding, text) in next {
                var decoder = TransferDecoder(encoding: firstEncoding)
                var discarded: [UInt8] = []
                Array(firstText.utf8).withUnsafeBufferPointer { decoder.decode($0, into: &discarded) }
                decoder.reset(encoding: encoding)
                var output: [UInt8] = []
                Array(text.utf8).withUnsafeBufferPointer { decoder.decode($0, into: &output) }
                decoder.finish(into: &output)
                #expect(output == encoding.decode(Array(text.utf8)), "\(firstEncoding) then \(encoding)")
            }
        }
    }

    /// Calls `body` with `bytes` in pieces of `size` bytes (the last may be shorter).
    static func forEachChunk(of bytes: [UInt8], size: Int, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        bytes.withUnsafeBufferPointer { all in
            for start in stride(from: 0, to: all.count, by: size) {
                body(UnsafeBufferPointer(rebasing: all[start..<min(start + size, all.count)]))
            }
        }
    }
}
