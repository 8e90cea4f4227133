import NIOCore
import Testing
@testable import RoostPOP3

/// Encodes `chunks` in order and finishes, as a RETR or TOP handler would (it keeps feeding after the limit
/// here, to check that nothing more comes out).
private func encode(_ chunks: [[UInt8]], limit: Int?) -> [UInt8] {
    var encoder = POP3MessageEncoder(bodyLineLimit: limit)
    var output = ByteBuffer()
    for chunk in chunks {
        _ = encoder.encode(ByteBuffer(bytes: chunk), into: &output)
    }
    encoder.finish(into: &output)
    return Array(output.readableBytesView)
}

/// The obvious whole-message implementation the streaming encoder must agree with.
private func reference(_ input: [UInt8], limit: Int?) -> [UInt8] {
    var lines = input.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
    if lines.last?.isEmpty == true { lines.removeLast() }  // Ended with LF, or empty: no unterminated line.
    // One trailing CR is part of the line end (CRLF, or a final CR); any other CR is data.
    lines = lines.map { $0.last == 0x0D ? Array($0.dropLast()) : $0 }
    if let limit, let blank = lines.firstIndex(where: \.isEmpty) {
        lines = Array(lines.prefix(blank + 1 + limit))
    }
    var output: [UInt8] = []
    for line in lines {
        if line.first == 0x2E { output.append(0x2E) }
        output += line + [0x0D, 0x0A]
    }
    return output + Array(".\r\n".utf8)
}

private let message = "From: a\nSubject: b\n\nline1\nline2\n.line3\nline4\n"
private let crlfMessage = "From: a\r\nSubject: b\r\n\r\nline1\r\n.line2\r\nline3\r\n"

@Suite("POP3MessageEncoder")
struct POP3MessageEncoderTests {
    static let cases: [(String, Int?, String)] = [
        // RETR: line ends.
        ("", nil, ".\r\n"),
        ("a", nil, "a\r\n.\r\n"),
        ("a\n", nil, "a\r\n.\r\n"),
        ("a\r\n", nil, "a\r\n.\r\n"),
        ("a\nb\n", nil, "a\r\nb\r\n.\r\n"),
        ("a\r\nb\nc", nil, "a\r\nb\r\nc\r\n.\r\n"),
        ("\n", nil, "\r\n.\r\n"),
        ("\n\n", nil, "\r\n\r\n.\r\n"),
        ("\r\n\r\n", nil, "\r\n\r\n.\r\n"),
        // RETR: bare CRs stay, a final CR becomes CRLF.
        ("a\rb\n", nil, "a\rb\r\n.\r\n"),
        ("a\r", nil, "a\r\n.\r\n"),
        ("a\r\r\n", nil, "a\r\r\n.\r\n"),
        ("a\n\r", nil, "a\r\n\r\n.\r\n"),
        ("\r\r", nil, "\r\r\n.\r\n"),
        // RETR: dot-stuffing at the start of every line, and only there.
        (".\n", nil, "..\r\n.\r\n"),
        (".\r\n", nil, "..\r\n.\r\n"),
        (".", nil, "..\r\n.\r\n"),
        ("a\n.\nb\n", nil, "a\r\n..\r\nb\r\n.\r\n"),
        ("a\r\n.\r\nb\r\n", nil, "a\r\n..\r\nb\r\n.\r\n"),
        (".a\n..b\n", nil, "..a\r\n...b\r\n.\r\n"),
        ("a\n.", nil, "a\r\n..\r\n.\r\n"),
        ("a.\n .b\n", nil, "a.\r\n .b\r\n.\r\n"),
        ("\r.x\n", nil, "\r.x\r\n.\r\n"),
        (message, nil, "From: a\r\nSubject: b\r\n\r\nline1\r\nline2\r\n..line3\r\nline4\r\n.\r\n"),
        // TOP: headers, the blank line, then n body lines.
        (message, 0, "From: a\r\nSubject: b\r\n\r\n.\r\n"),
        (message, 1, "From: a\r\nSubject: b\r\n\r\nline1\r\n.\r\n"),
        (message, 3, "From: a\r\nSubject: b\r\n\r\nline1\r\nline2\r\n..line3\r\n.\r\n"),
        (message, 4, "From: a\r\nSubject: b\r\n\r\nline1\r\nline2\r\n..line3\r\nline4\r\n.\r\n"),
        (message, 100, "From: a\r\nSubject: b\r\n\r\nline1\r\nline2\r\n..line3\r\nline4\r\n.\r\n"),
        (crlfMessage, 0, "From: a\r\nSubject: b\r\n\r\n.\r\n"),
        (crlfMessage, 2, "From: a\r\nSubject: b\r\n\r\nline1\r\n..line2\r\n.\r\n"),
        (crlfMessage, nil, "From: a\r\nSubject: b\r\n\r\nline1\r\n..line2\r\nline3\r\n.\r\n"),
        // TOP: a message without a blank line is all header.
        ("From: a\nSubject: b\n", 0, "From: a\r\nSubject: b\r\n.\r\n"),
        ("From: a\nSubject: b", 5, "From: a\r\nSubject: b\r\n.\r\n"),
        ("", 0, ".\r\n"),
        // TOP: empty headers, a blank line at the end, blank lines in the body count as lines.
        ("\nbody\n", 0, "\r\n.\r\n"),
        ("\r\nbody\r\n", 0, "\r\n.\r\n"),
        ("\nbody\n", 1, "\r\nbody\r\n.\r\n"),
        ("H: v\n\n", 0, "H: v\r\n\r\n.\r\n"),
        ("H: v\n\n", 3, "H: v\r\n\r\n.\r\n"),
        ("H: v\n\n\n\nx\n", 2, "H: v\r\n\r\n\r\n\r\n.\r\n"),
        ("H: v\n\nb1\nb2", 1, "H: v\r\n\r\nb1\r\n.\r\n"),
        ("H: v\n\nb1\nb2", 5, "H: v\r\n\r\nb1\r\nb2\r\n.\r\n"),
        ("H: v\n\nb1\nb2\r", 5, "H: v\r\n\r\nb1\r\nb2\r\n.\r\n"),
        // TOP: a line holding only a bare CR (or two CRs) is not the blank line.
        ("A: b\n\rx\n\nbody\nmore\n", 1, "A: b\r\n\rx\r\n\r\nbody\r\n.\r\n"),
        ("A: b\n\r\r\nbody\n", 0, "A: b\r\n\r\r\nbody\r\n.\r\n"),
        // TOP: a dot line right after the limit is not stuffed into the output.
        ("H: v\n\nb1\n.\n", 1, "H: v\r\n\r\nb1\r\n.\r\n"),
        ("H: v\n\n.\n", 1, "H: v\r\n\r\n..\r\n.\r\n"),
    ]

    @Test(arguments: cases)
    func encodesWholeMessages(_ input: String, _ limit: Int?, _ expected: String) {
        let bytes = Array(input.utf8)
        #expect(encode([bytes], limit: limit) == Array(expected.utf8))
        #expect(reference(bytes, limit: limit) == Array(expected.utf8))
    }

    @Test(arguments: cases)
    func encodesByteByByte(_ input: String, _ limit: Int?, _ expected: String) {
        let chunks = input.utf8.map { [$0] }
        #expect(encode(chunks, limit: limit) == Array(expected.utf8))
    }

    @Test(arguments: cases)
    func encodesEveryTwoWaySplit(_ input: String, _ limit: Int?, _ expected: String) {
        let bytes = Array(input.utf8)
        for split in 0...bytes.count {
            let chunks = [Array(bytes[..<split]), Array(bytes[split...])]
            #expect(encode(chunks, limit: limit) == Array(expected.utf8), "split at \(split)")
        }
    }

    @Test func stopsAtTheLineLimit() {
        var encoder = POP3MessageEncoder(bodyLineLimit: 1)
        var output = ByteBuffer()
        #expect(encoder.encode(ByteBuffer(string: "H: v\n"), into: &output))
        #expect(!encoder.isComplete)
        #expect(encoder.encode(ByteBuffer(string: "\nb"), into: &output))
        #expect(!encoder.encode(ByteBuffer(string: "1\nb2\n"), into: &output))
        #expect(encoder.isComplete)
        #expect(!encoder.encode(ByteBuffer(string: "b3\n"), into: &output))
        encoder.finish(into: &output)
        #expect(String(buffer: output) == "H: v\r\n\r\nb1\r\n.\r\n")

        var retr = POP3MessageEncoder()
        #expect(retr.encode(ByteBuffer(string: "a\n\nb\n"), into: &output))
        #expect(!retr.isComplete)
    }

    @Test func takesRawBufferPointers() {
        var encoder = POP3MessageEncoder()
        var output = ByteBuffer()
        let chunk: [UInt8] = Array("a\n.b".utf8)
        chunk.withUnsafeBytes { _ = encoder.encode($0, into: &output) }
        encoder.finish(into: &output)
        #expect(String(buffer: output) == "a\r\n..b\r\n.\r\n")
    }

    @Test func agreesWithTheReferenceOnRandomInputs() {
        var random = SplitMix64(seed: 0x5EED_1939)
        // Weighted towards the bytes that matter: LF, CR and dots.
        let alphabet: [UInt8] = Array("ab .:\n\n\n\r\r..".utf8)
        for round in 0..<4000 {
            let length = Int.random(in: 0...48, using: &random)
            let input = (0..<length).map { _ in alphabet.randomElement(using: &random)! }
            let limit: Int? = Bool.random(using: &random) ? nil : Int.random(in: 0...4, using: &random)
            var chunks: [[UInt8]] = []
            var start = 0
            while start < input.count {
                let end = min(input.count, start + Int.random(in: 0...6, using: &random))
                chunks.append(Array(input[start..<end]))
                start = end
            }
            let expected = reference(input, limit: limit)
            #expect(encode([input], limit: limit) == expected, "round \(round): \(input) limit \(String(describing: limit))")
            #expect(encode(chunks, limit: limit) == expected, "round \(round): \(chunks) limit \(String(describing: limit))")
        }
    }

    @Test func encodesALargeMessageInChunks() {
        var random = SplitMix64(seed: 42)
        var input: [UInt8] = []
        while input.count < 1 << 20 {
            let line = Array(repeating: UInt8(ascii: "x"), count: Int.random(in: 0...120, using: &random))
            input += (Bool.random(using: &random) ? [UInt8(ascii: ".")] : []) + line
            input += Bool.random(using: &random) ? [0x0D, 0x0A] : [0x0A]
        }
        let chunks = stride(from: 0, to: input.count, by: 65_536).map { Array(input[$0..<min($0 + 65_536, input.count)]) }
        #expect(encode(chunks, limit: nil) == reference(input, limit: nil))
    }
}

/// A small seeded generator, so a failing random case can be replayed.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
