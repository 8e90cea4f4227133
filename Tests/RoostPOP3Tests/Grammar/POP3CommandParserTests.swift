import NIOCore
import Testing
@testable import RoostPOP3

private func msg(_ value: Int) -> POP3MessageNumber { POP3MessageNumber(value)! }

private let long255 = String(repeating: "x", count: 255)
private let long256 = String(repeating: "x", count: 256)

@Suite("POP3CommandParser")
struct POP3CommandParserTests {
    @Test(arguments: [
        // USER (RFC 1939 section 7): case-insensitive keyword, runs of spaces, UTF-8 names.
        ("USER alice", POP3Command.user("alice")),
        ("user alice", .user("alice")),
        ("UsEr Alice", .user("Alice")),
        ("USER   alice  ", .user("alice")),
        ("USER alice@example.com", .user("alice@example.com")),
        ("USER jürgen", .user("jürgen")),
        ("USER \(long255)", .user(long255)),
        // PASS: the rest of the line after exactly one SP, spaces included.
        ("PASS secret", .pass("secret")),
        ("pass secret", .pass("secret")),
        ("PASS two words", .pass("two words")),
        ("PASS  leading", .pass(" leading")),
        ("PASS trailing ", .pass("trailing ")),
        ("PASS  ", .pass(" ")),
        ("PASS tab\there", .pass("tab\there")),
        ("PASS pässwörd", .pass("pässwörd")),
        ("PASS \(long255)", .pass(long255)),
        // APOP (RFC 1939 section 7 example), upper-case digest lowered.
        ("APOP mrose c4c9334bac560ecc979e58001b3e22fb", .apop(name: "mrose", digest: "c4c9334bac560ecc979e58001b3e22fb")),
        ("apop mrose C4C9334BAC560ECC979E58001B3E22FB", .apop(name: "mrose", digest: "c4c9334bac560ecc979e58001b3e22fb")),
        ("APOP  mrose   c4c9334bac560ecc979e58001b3e22fb ", .apop(name: "mrose", digest: "c4c9334bac560ecc979e58001b3e22fb")),
        // AUTH (RFC 5034 section 4): with and without mechanism and initial response.
        ("AUTH", .auth(mechanism: nil, initialResponse: nil)),
        ("auth ", .auth(mechanism: nil, initialResponse: nil)),
        ("AUTH PLAIN", .auth(mechanism: "PLAIN", initialResponse: nil)),
        ("auth plain", .auth(mechanism: "PLAIN", initialResponse: nil)),
        ("AUTH PLAIN dGVzdAB0ZXN0AHRlc3Q=", .auth(mechanism: "PLAIN", initialResponse: "dGVzdAB0ZXN0AHRlc3Q=")),
        ("AUTH PLAIN =", .auth(mechanism: "PLAIN", initialResponse: "=")),
        ("AUTH  plain   =  ", .auth(mechanism: "PLAIN", initialResponse: "=")),
        ("AUTH scram-sha-256", .auth(mechanism: "SCRAM-SHA-256", initialResponse: nil)),
        ("AUTH X_MECH-1", .auth(mechanism: "X_MECH-1", initialResponse: nil)),
        ("AUTH ABCDEFGHIJKLMNOPQRST", .auth(mechanism: "ABCDEFGHIJKLMNOPQRST", initialResponse: nil)),
        // Commands without arguments.
        ("CAPA", .capa), ("capa", .capa), ("STLS", .stls), ("stls", .stls), ("STAT", .stat), ("sTaT", .stat),
        ("RSET", .rset), ("NOOP", .noop), ("NOOP  ", .noop), ("QUIT", .quit), ("quit ", .quit),
        // LIST and UIDL with and without a message number.
        ("LIST", .list(nil)), ("list ", .list(nil)), ("LIST 1", .list(msg(1))), ("list  3 ", .list(msg(3))),
        ("LIST 007", .list(msg(7))), ("LIST 2147483647", .list(msg(2_147_483_647))),
        ("UIDL", .uidl(nil)), ("uidl 5", .uidl(msg(5))),
        // RETR, DELE, TOP.
        ("RETR 1", .retr(msg(1))), ("retr 42", .retr(msg(42))), ("DELE 3", .dele(msg(3))),
        ("TOP 1 0", .top(msg(1), lines: 0)), ("TOP 1 10", .top(msg(1), lines: 10)),
        ("top 2 2147483647", .top(msg(2), lines: 2_147_483_647)), ("TOP   1   5  ", .top(msg(1), lines: 5)),
    ])
    func parsesValidLines(_ line: String, _ expected: POP3Command) {
        #expect(POP3CommandParser.parse(line) == .success(expected))
        #expect(POP3CommandParser.parse(ByteBuffer(string: line)) == .success(expected))
    }

    @Test(arguments: [
        // Empty lines and bad keywords.
        ("", POP3ParseError.emptyLine),
        ("   ", .emptyLine),
        (" STAT", .invalidKeyword),
        ("\tSTAT", .invalidKeyword),
        ("ST\u{1}T", .invalidKeyword),
        ("STAT\r", .invalidKeyword),
        ("STÄT", .invalidKeyword),
        ("STAT\u{7F}", .invalidKeyword),
        ("FOO", .unknownCommand("FOO")),
        ("xtnd XMIT", .unknownCommand("XTND")),
        ("LAST", .unknownCommand("LAST")),
        ("ST", .unknownCommand("ST")),
        ("STATS", .unknownCommand("STATS")),
        (String(repeating: "k", count: 30), .unknownCommand(String(repeating: "K", count: 20))),
        ("GET / HTTP/1.1", .unknownCommand("GET")),
        // USER.
        ("USER", .missingArgument(keyword: "USER", .userName)),
        ("USER ", .missingArgument(keyword: "USER", .userName)),
        ("USER   ", .missingArgument(keyword: "USER", .userName)),
        ("USER a b", .tooManyArguments(keyword: "USER")),
        ("USER a\u{0}b", .invalidCharacters(keyword: "USER")),
        ("USER a\tb", .invalidCharacters(keyword: "USER")),
        ("USER a\rb", .invalidCharacters(keyword: "USER")),
        ("USER \(long256)", .argumentTooLong(keyword: "USER", limit: 255)),
        // PASS.
        ("PASS", .missingArgument(keyword: "PASS", .password)),
        ("pass ", .missingArgument(keyword: "PASS", .password)),
        ("PASS a\rb", .invalidCharacters(keyword: "PASS")),
        ("PASS a\nb", .invalidCharacters(keyword: "PASS")),
        ("PASS a\u{0}", .invalidCharacters(keyword: "PASS")),
        ("PASS \(long256)", .argumentTooLong(keyword: "PASS", limit: 255)),
        // APOP.
        ("APOP", .missingArgument(keyword: "APOP", .userName)),
        ("APOP mrose", .missingArgument(keyword: "APOP", .digest)),
        ("APOP mrose c4c9334b", .invalidArgument(keyword: "APOP", .digest)),
        ("APOP mrose c4c9334bac560ecc979e58001b3e22fbb", .invalidArgument(keyword: "APOP", .digest)),
        ("APOP mrose g4c9334bac560ecc979e58001b3e22fb", .invalidArgument(keyword: "APOP", .digest)),
        ("APOP mrose c4c9334bac560ecc979e58001b3e22fb x", .tooManyArguments(keyword: "APOP")),
        // AUTH.
        ("AUTH PLAIN = x", .tooManyArguments(keyword: "AUTH")),
        ("AUTH PL@IN", .invalidArgument(keyword: "AUTH", .mechanism)),
        ("AUTH ABCDEFGHIJKLMNOPQRSTU", .invalidArgument(keyword: "AUTH", .mechanism)),
        ("AUTH PLÄIN", .invalidArgument(keyword: "AUTH", .mechanism)),
        ("AUTH \(long256)", .argumentTooLong(keyword: "AUTH", limit: 255)),
        ("AUTH PLAIN dGVz\u{1}", .invalidArgument(keyword: "AUTH", .initialResponse)),
        ("AUTH PLAIN dGVzé", .invalidArgument(keyword: "AUTH", .initialResponse)),
        ("AUTH PLAIN \(String(repeating: "A", count: 12_289))", .argumentTooLong(keyword: "AUTH", limit: 12_288)),
        // Commands without arguments refuse arguments.
        ("STAT 1", .tooManyArguments(keyword: "STAT")),
        ("QUIT now", .tooManyArguments(keyword: "QUIT")),
        ("CAPA x", .tooManyArguments(keyword: "CAPA")),
        ("STLS x", .tooManyArguments(keyword: "STLS")),
        ("NOOP x", .tooManyArguments(keyword: "NOOP")),
        ("RSET x", .tooManyArguments(keyword: "RSET")),
        // Message numbers: ASCII digits, 1 to 2147483647.
        ("LIST 0", .invalidArgument(keyword: "LIST", .messageNumber)),
        ("LIST -1", .invalidArgument(keyword: "LIST", .messageNumber)),
        ("LIST +1", .invalidArgument(keyword: "LIST", .messageNumber)),
        ("LIST abc", .invalidArgument(keyword: "LIST", .messageNumber)),
        ("LIST 1a", .invalidArgument(keyword: "LIST", .messageNumber)),
        ("LIST 1.5", .invalidArgument(keyword: "LIST", .messageNumber)),
        ("LIST ١", .invalidArgument(keyword: "LIST", .messageNumber)),
        ("LIST 2147483648", .invalidArgument(keyword: "LIST", .messageNumber)),
        ("LIST 99999999999999999999999999", .invalidArgument(keyword: "LIST", .messageNumber)),
        ("LIST 1 2", .tooManyArguments(keyword: "LIST")),
        ("UIDL 0", .invalidArgument(keyword: "UIDL", .messageNumber)),
        ("UIDL 1 2", .tooManyArguments(keyword: "UIDL")),
        ("RETR", .missingArgument(keyword: "RETR", .messageNumber)),
        ("RETR 0", .invalidArgument(keyword: "RETR", .messageNumber)),
        ("RETR 1 2", .tooManyArguments(keyword: "RETR")),
        ("DELE", .missingArgument(keyword: "DELE", .messageNumber)),
        ("DELE x", .invalidArgument(keyword: "DELE", .messageNumber)),
        // TOP: a message number and a line count of 0 to 2147483647.
        ("TOP", .missingArgument(keyword: "TOP", .messageNumber)),
        ("TOP 1", .missingArgument(keyword: "TOP", .lineCount)),
        ("TOP 1 -1", .invalidArgument(keyword: "TOP", .lineCount)),
        ("TOP 1 x", .invalidArgument(keyword: "TOP", .lineCount)),
        ("TOP 1 2147483648", .invalidArgument(keyword: "TOP", .lineCount)),
        ("TOP 0 1", .invalidArgument(keyword: "TOP", .messageNumber)),
        ("TOP 1 2 3", .tooManyArguments(keyword: "TOP")),
    ])
    func refusesInvalidLines(_ line: String, _ expected: POP3ParseError) {
        #expect(POP3CommandParser.parse(line) == .failure(expected))
        #expect(POP3CommandParser.parse(ByteBuffer(string: line)) == .failure(expected))
    }

    @Test(arguments: [
        ([0x55, 0x53, 0x45, 0x52, 0x20, 0xFF], POP3ParseError.invalidCharacters(keyword: "USER")),  // USER <FF>
        ([0x50, 0x41, 0x53, 0x53, 0x20, 0x61, 0xC3], .invalidCharacters(keyword: "PASS")),  // PASS a<C3>
        ([0x53, 0x54, 0x41, 0x54, 0x80], .invalidKeyword),  // STAT<80>
    ] as [([UInt8], POP3ParseError)])
    func refusesBytesThatAreNotUTF8(_ bytes: [UInt8], _ expected: POP3ParseError) {
        #expect(POP3CommandParser.parse(ByteBuffer(bytes: bytes)) == .failure(expected))
    }

    @Test func parsesOnlyTheReadableBytes() {
        var buffer = ByteBuffer(string: "junkRETR 7")
        buffer.moveReaderIndex(forwardBy: 4)
        #expect(POP3CommandParser.parse(buffer) == .success(.retr(msg(7))))
    }

    @Test(arguments: [
        POP3ParseError.emptyLine, .invalidKeyword, .unknownCommand("FOO"),
        .missingArgument(keyword: "TOP", .lineCount), .tooManyArguments(keyword: "STAT"),
        .invalidArgument(keyword: "RETR", .messageNumber), .invalidArgument(keyword: "TOP", .lineCount),
        .invalidArgument(keyword: "APOP", .digest), .invalidArgument(keyword: "AUTH", .mechanism),
        .invalidArgument(keyword: "AUTH", .initialResponse), .argumentTooLong(keyword: "USER", limit: 255),
        .invalidCharacters(keyword: "PASS"),
    ])
    func errorMessagesArePrintableASCII(_ error: POP3ParseError) {
        #expect(!error.message.isEmpty)
        #expect(error.message.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F })
    }

    @Test(arguments: [
        (POP3ParseError.unknownCommand("FOO"), "Unknown command: FOO"),
        (.missingArgument(keyword: "TOP", .lineCount), "TOP: missing line count"),
        (.invalidArgument(keyword: "RETR", .messageNumber), "RETR: invalid message number (expected 1 to 2147483647)"),
        (.argumentTooLong(keyword: "USER", limit: 255), "USER: argument longer than 255 octets"),
    ])
    func errorMessages(_ error: POP3ParseError, _ expected: String) {
        #expect(error.message == expected)
    }
}
