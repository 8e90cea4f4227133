import NIOCore
import Testing
@testable import RoostIMAPGrammar

/// A framer output written compactly for tables: a command is its pieces as (text, literal) strings.
enum Framed: Hashable, CustomStringConvertible {
    case command(tag: String?, [Part])
    case continuation
    case error(IMAPFramingError.Kind, tag: String?)

    struct Part: Hashable {
        var line: [UInt8]
        var literal: [UInt8]?
    }

    init(_ output: IMAPCommandFramer.Output) {
        switch output {
        case .command(let frame):
            self = .command(
                tag: frame.tag?.rawValue,
                frame.pieces.map { Part(line: Array($0.line.readableBytesView), literal: $0.literal.map { Array($0.readableBytesView) }) })
        case .continuationRequest:
            self = .continuation
        case .error(let error):
            self = .error(error.kind, tag: error.tag?.rawValue)
        }
    }

    static func line(_ tag: String?, _ text: String) -> Framed { .command(tag: tag, [Part(line: Array(text.utf8))]) }

    static func pieces(_ tag: String?, _ parts: [(String, String?)]) -> Framed {
        .command(tag: tag, parts.map { Part(line: Array($0.0.utf8), literal: $0.1.map { Array($0.utf8) }) })
    }

    var description: String {
        switch self {
        case .command(let tag, let parts):
            let text = parts.map { "\"\(String(decoding: $0.line, as: UTF8.self))\"" + ($0.literal.map { "{\($0.count)}" } ?? "") }
            return "command(\(tag ?? "-"): \(text.joined(separator: " ")))"
        case .continuation: return "+"
        case .error(let kind, let tag): return "error(\(kind), \(tag ?? "-"))"
        }
    }
}

/// Feeds `chunks` one after the other, draining the framer after each.
func frame(_ chunks: [[UInt8]], limits: IMAPLimits = IMAPLimits(), mode: IMAPCommandFramer.NonSynchronizingLiterals = .literalPlus) -> [Framed] {
    var framer = IMAPCommandFramer(limits: limits, nonSynchronizingLiterals: mode)
    var out: [Framed] = []
    for chunk in chunks {
        framer.append(contentsOf: chunk)
        while let output = framer.next() { out.append(Framed(output)) }
    }
    return out
}

struct FramerCase: CustomStringConvertible, Sendable {
    var input: [UInt8]
    var expected: [Framed]
    var limits = IMAPLimits()
    var mode = IMAPCommandFramer.NonSynchronizingLiterals.literalPlus
    var description: String { String(decoding: input.prefix(60), as: UTF8.self) }

    init(_ input: String, _ expected: [Framed], limits: IMAPLimits = IMAPLimits(), mode: IMAPCommandFramer.NonSynchronizingLiterals = .literalPlus) {
        self.input = Array(input.utf8)
        self.expected = expected
        self.limits = limits
        self.mode = mode
    }

    init(bytes: [UInt8], _ expected: [Framed]) {
        self.input = bytes
        self.expected = expected
    }
}

extension Framed: @unchecked Sendable {}

private let small = IMAPLimits(maxCommandOctets: 20, maxLiteralOctets: 10, maxLiteralsPerCommand: 2)

let framerCases: [FramerCase] = [
    // Plain lines; CRLF or bare LF; empty lines between commands ignored.
    FramerCase("a1 NOOP\r\n", [.line("a1", "a1 NOOP")]),
    FramerCase("a1 NOOP\na2 CAPABILITY\r\n", [.line("a1", "a1 NOOP"), .line("a2", "a2 CAPABILITY")]),
    FramerCase("\r\n\r\na1 NOOP\r\n\n", [.line("a1", "a1 NOOP")]),
    FramerCase("a1 NOOP\r\na2 NOOP", [.line("a1", "a1 NOOP")]),  // incomplete second line: need more bytes
    FramerCase("NOOP\r\n", [.line("NOOP", "NOOP")]),
    FramerCase("+bad NOOP\r\n", [.line(nil, "+bad NOOP")]),
    // Synchronizing literal: continuation, then the literal.
    FramerCase("a LOGIN {5}\r\nalice {6}\r\nsecret\r\n", [
        .continuation, .continuation, .pieces("a", [("a LOGIN ", "alice"), (" ", "secret"), ("", nil)]),
    ]),
    // LITERAL+ (RFC 7888 section 3 example): no continuation.
    FramerCase("A001 LOGIN {11+}\r\nFRED FOOBAR {7+}\r\nfat man\r\n", [
        .pieces("A001", [("A001 LOGIN ", "FRED FOOBAR"), (" ", "fat man"), ("", nil)]),
    ]),
    // Literals hold CRLF, braces, 8-bit and NUL; text after a literal continues the command.
    FramerCase(bytes: Array("a APPEND x {6+}\r\n{1}\r\n".utf8) + [0x00, 0xFF] + Array(" (\\Seen)\r\n".utf8), [
        .command(tag: "a", [
            .init(line: Array("a APPEND x ".utf8), literal: Array("{1}\r\n".utf8) + [0x00]),
            .init(line: [0xFF] + Array(" (\\Seen)".utf8)),
        ]),
    ]),
    FramerCase("a X {0}\r\n\r\n", [.continuation, .pieces("a", [("a X ", ""), ("", nil)])]),
    // Not literal headers: left in the text for the parser.
    FramerCase("a X {}\r\n", [.line("a", "a X {}")]),
    FramerCase("a X {+}\r\n", [.line("a", "a X {+}")]),
    FramerCase("a X {1a}\r\n", [.line("a", "a X {1a}")]),
    FramerCase("a X 5}\r\n", [.line("a", "a X 5}")]),
    FramerCase("}\r\n", [.line("}", "}")]),
    // Line too long, found whole or before its end; resynchronised for the next command.
    FramerCase("a12 NOOP 45678901234567890\r\nb NOOP\r\n", [.error(.lineTooLong(limit: 20), tag: "a12"), .line("b", "b NOOP")], limits: small),
    FramerCase("aaaaaaaaaaaaaaaaaaaaaaaaaaaaa b\r\nb NOOP\r\n", [.error(.lineTooLong(limit: 20), tag: nil), .line("b", "b NOOP")], limits: small),
    FramerCase("a X 3456789012345678\r\n", [.line("a", "a X 3456789012345678")], limits: small),  // exactly 20
    FramerCase("a X 34567890123456789\r\n", [.error(.lineTooLong(limit: 20), tag: "a")], limits: small),
    // The limit counts every line of the command, literals excluded.
    FramerCase("a X {3+}\r\nabc 12345678901\r\nb NOOP\r\n", [.pieces("a", [("a X ", "abc"), (" 12345678901", nil)]), .line("b", "b NOOP")], limits: small),
    FramerCase("a X {3+}\r\nabc 123456789012\r\nb NOOP\r\n", [.error(.lineTooLong(limit: 20), tag: "a"), .line("b", "b NOOP")], limits: small),
    // A too-long line ending in a non-synchronizing literal: the literal and the rest of the command are skipped.
    FramerCase("a X 345678901234567890 {5+}\r\n{1}\r\n b {2+}\r\nzz\r\nc NOOP\r\n", [.error(.lineTooLong(limit: 20), tag: "a"), .line("c", "c NOOP")], limits: small),
    // Literal too large: synchronizing refused instead of "+", nothing skipped.
    FramerCase("a APPEND x {11}\r\nb NOOP\r\n", [.error(.literalTooLarge(octets: 11, limit: 10, synchronizing: true), tag: "a"), .line("b", "b NOOP")], limits: small),
    FramerCase("a APPEND x {10}\r\n0123456789\r\n", [.continuation, .pieces("a", [("a APPEND x ", "0123456789"), ("", nil)])], limits: small),
    // The limit is for the command's literals together: a second one may take only what is left.
    FramerCase("a APPEND x {6+}\r\n012345 {4+}\r\n6789\r\n", [.pieces("a", [("a APPEND x ", "012345"), (" ", "6789"), ("", nil)])], limits: small),
    FramerCase("a APPEND x {6+}\r\n012345 {5}\r\nb NOOP\r\n", [.error(.literalTooLarge(octets: 5, limit: 4, synchronizing: true), tag: "a"), .line("b", "b NOOP")], limits: small),
    // Non-synchronizing too large: its octets are skipped, then the rest of the command.
    FramerCase("a APPEND x {11+}\r\n{1}\r\n\r\n1234 {2+}\r\nab\r\nb NOOP\r\n", [.error(.literalTooLarge(octets: 11, limit: 10, synchronizing: false), tag: "a"), .line("b", "b NOOP")], limits: small),
    FramerCase("a X {99999999999999999999999999}\r\nb NOOP\r\n", [.error(.literalTooLarge(octets: .max, limit: 10, synchronizing: true), tag: "a"), .line("b", "b NOOP")],
               limits: IMAPLimits(maxCommandOctets: 64, maxLiteralOctets: 10)),
    // The tag of an overlong line is reported only if its SP lies within the limit.
    FramerCase("aaaaaaaaaaaaaaaaaaaaa X\r\nb NOOP\r\n", [.error(.lineTooLong(limit: 20), tag: nil), .line("b", "b NOOP")], limits: small),
    FramerCase("aaaaaaaaaaaaaaaaaaa X1\r\nb NOOP\r\n", [.error(.lineTooLong(limit: 20), tag: "aaaaaaaaaaaaaaaaaaa"), .line("b", "b NOOP")], limits: small),
    // Too many literals.
    FramerCase("a X {1+}\r\n1 {1+}\r\n2 {1+}\r\n3\r\nb NOOP\r\n", [.error(.tooManyLiterals(limit: 2), tag: "a"), .line("b", "b NOOP")], limits: small),
    FramerCase("a X {1+}\r\n1 {1+}\r\n2\r\n", [.pieces("a", [("a X ", "1"), (" ", "2"), ("", nil)])], limits: small),
    // LITERAL-: non-synchronizing literals up to 4096 octets only; synchronizing ones as large as allowed.
    FramerCase("a APPEND x {4097+}\r\n" + String(repeating: "m", count: 4097) + "\r\nb NOOP\r\n",
               [.error(.literalTooLarge(octets: 4097, limit: 4096, synchronizing: false), tag: "a"), .line("b", "b NOOP")], mode: .literalMinus),
    FramerCase("a APPEND x {4096+}\r\n" + String(repeating: "m", count: 4096) + "\r\n",
               [.pieces("a", [("a APPEND x ", String(repeating: "m", count: 4096)), ("", nil)])], mode: .literalMinus),
    FramerCase("a APPEND x {4097}\r\n" + String(repeating: "m", count: 4097) + "\r\n",
               [.continuation, .pieces("a", [("a APPEND x ", String(repeating: "m", count: 4097)), ("", nil)])], mode: .literalMinus),
    FramerCase("a APPEND x {4097+}\r\n" + String(repeating: "m", count: 4097) + "\r\n",
               [.pieces("a", [("a APPEND x ", String(repeating: "m", count: 4097)), ("", nil)])]),
]

@Suite("IMAPCommandFramer")
struct IMAPCommandFramerTests {
    @Test(arguments: framerCases)
    func framesWhole(_ c: FramerCase) {
        #expect(frame([c.input], limits: c.limits, mode: c.mode) == c.expected)
    }

    @Test(arguments: framerCases)
    func framesByteByByte(_ c: FramerCase) {
        #expect(frame(c.input.map { [$0] }, limits: c.limits, mode: c.mode) == c.expected)
    }

    @Test(arguments: framerCases.filter { $0.input.count < 200 })
    func framesInEverySplit(_ c: FramerCase) {
        for i in 0...c.input.count {
            for j in i...c.input.count {
                let chunks = [Array(c.input[..<i]), Array(c.input[i..<j]), Array(c.input[j...])]
                let result = frame(chunks, limits: c.limits, mode: c.mode)
                #expect(result == c.expected, "split at \(i), \(j)")
                if result != c.expected { return }
            }
        }
    }

    @Test func refusesALargeLiteralBeforeItsBytes() {
        // A 128 MiB non-synchronizing literal is refused from its header and skipped without being buffered.
        var framer = IMAPCommandFramer()
        framer.append(contentsOf: Array("a APPEND INBOX {134217728+}\r\n".utf8))
        #expect(framer.next() == .error(IMAPFramingError(
            .literalTooLarge(octets: 134_217_728, limit: 64 * 1024 * 1024, synchronizing: false), tag: Tag("a"))))
        let chunk = [UInt8](repeating: 0x41, count: 1 << 20)
        for _ in 0..<128 {
            framer.append(contentsOf: chunk)
            #expect(framer.next() == nil)
        }
        framer.append(contentsOf: Array("\r\nb NOOP\r\n".utf8))
        #expect(framer.next().map(Framed.init) == .line("b", "b NOOP"))
    }

    @Test func stressesTheDefaultLineLimit() {
        // A 64 KiB UID set is accepted; one octet more is refused before the line ends.
        let prefix = "a UID FETCH "
        let set = String(repeating: "1,", count: (65_536 - prefix.utf8.count) / 2)
        let exact = prefix + set + String(repeating: "1", count: 65_536 - prefix.utf8.count - set.utf8.count)
        #expect(exact.utf8.count == 65_536)
        #expect(frame([Array((exact + "\r\n").utf8)]) == [.line("a", exact)])
        var framer = IMAPCommandFramer()
        framer.append(contentsOf: Array((exact + "1").utf8))
        #expect(framer.next() == .error(IMAPFramingError(.lineTooLong(limit: 65_536), tag: Tag("a"))))
        framer.append(contentsOf: Array(" FLAGS\r\nb NOOP\r\n".utf8))
        #expect(framer.next().map(Framed.init) == .line("b", "b NOOP"))
    }

    @Test func stressesTheLiteralCountLimit() {
        let count = IMAPLimits().maxLiteralsPerCommand
        let ok = "a APPEND x" + String(repeating: " {1+}\r\nm", count: count) + "\r\n"
        guard case .command(_, let parts)? = frame([Array(ok.utf8)]).first else {
            Issue.record("no command")
            return
        }
        #expect(parts.count == count + 1)
        let tooMany = "a APPEND x" + String(repeating: " {1+}\r\nm", count: count + 1) + "\r\nb NOOP\r\n"
        #expect(frame([Array(tooMany.utf8)]) == [.error(.tooManyLiterals(limit: count), tag: "a"), .line("b", "b NOOP")])
    }
}
