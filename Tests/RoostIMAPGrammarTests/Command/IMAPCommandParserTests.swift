import NIOCore
import Testing
@testable import RoostIMAPGrammar

func tagged(_ tag: String, _ command: Command) -> TaggedCommand { TaggedCommand(tag: Tag(tag)!, command: command) }

/// Frames `text` with LITERAL+ framing and parses the one command in it.
func parseWire(_ bytes: ByteBuffer) -> Result<TaggedCommand, IMAPParseError>? {
    var framer = IMAPCommandFramer()
    framer.append(bytes)
    while let output = framer.next() {
        if case .command(let frame) = output { return IMAPCommandParser.parse(frame) }
    }
    return nil
}

@Suite("IMAPCommandParser: any state and not authenticated")
struct IMAPCommandParserTests {
    @Test(arguments: [
        ("a1 CAPABILITY", tagged("a1", .capability)), ("a1 capability", tagged("a1", .capability)),
        ("A]2 NOOP", tagged("A]2", .noop)), ("x LOGOUT", tagged("x", .logout)), ("x StartTLS", tagged("x", .startTLS)),
        ("a LOGIN alice secret", tagged("a", .login(userid: Array("alice".utf8), password: Array("secret".utf8)))),
        ("a login \"alice\" \"two words\"", tagged("a", .login(userid: Array("alice".utf8), password: Array("two words".utf8)))),
        ("a LOGIN \"jürgen\" \"pässwort\"", tagged("a", .login(userid: Array("jürgen".utf8), password: Array("pässwort".utf8)))),
        ("a AUTHENTICATE PLAIN", tagged("a", .authenticate(mechanism: "PLAIN", initialResponse: nil))),
        ("a authenticate plain =", tagged("a", .authenticate(mechanism: "PLAIN", initialResponse: .empty))),
        ("a AUTHENTICATE PLAIN AGFsaWNlAHNlY3JldA==",
         tagged("a", .authenticate(mechanism: "PLAIN", initialResponse: .base64("AGFsaWNlAHNlY3JldA==")))),
        ("a AUTHENTICATE SCRAM-SHA-256 biwsbj11c2VyLHI9cm9zZQ==",
         tagged("a", .authenticate(mechanism: "SCRAM-SHA-256", initialResponse: .base64("biwsbj11c2VyLHI9cm9zZQ==")))),
        ("a ID NIL", tagged("a", .id(nil))), ("a ID ()", tagged("a", .id([]))),
        // RFC 2971 section 3.1's example, and Foxmail's form.
        ("a023 ID (\"name\" \"sodr\" \"version\" \"19.34\" \"vendor\" \"Pink Floyd Music Limited\")",
         tagged("a023", .id([IDField("name", "sodr"), IDField("version", "19.34"), IDField("vendor", "Pink Floyd Music Limited")]))),
        ("C1 ID (\"name\" \"com.tencent.foxmail\" \"version\" \"7.2.25.375\" \"os\" NIL)",
         tagged("C1", .id([IDField("name", "com.tencent.foxmail"), IDField("version", "7.2.25.375"), IDField("os", nil)]))),
    ])
    func parsesCommands(_ line: String, _ expected: TaggedCommand) {
        #expect(IMAPCommandParser.parse(line) == .success(expected))
    }

    @Test(arguments: [
        // (line, the tag the error carries, message)
        ("", nil, "Missing or invalid tag"), ("+a NOOP", nil, "Missing or invalid tag"), ("a", "a", "Expected a space"),
        ("a ", "a", "Missing command"), ("a XSELECT INBOX", "a", "Unknown command"), ("a FOO", "a", "Unknown command"),
        ("a NOOP x", "a", "Unexpected characters at the end of the command"),
        ("a NOOP ", "a", "Unexpected characters at the end of the command"),
        ("a CAPABILITY(", "a", "Unexpected characters at the end of the command"),
        ("a LOGIN alice", "a", "Expected a space"), ("a LOGIN jürgen x", "a", "Expected a space"),  // 8-bit is no ATOM-CHAR ("a LOGIN alice ", "a", "Expected a string"),
        ("a LOGIN  alice secret", "a", "Expected a string"), ("a LOGIN alice secret extra", "a", "Unexpected characters at the end of the command"),
        ("a AUTHENTICATE", "a", "Expected a space"), ("a AUTHENTICATE PLAIN abc", "a", "Invalid base64 initial response"),
        ("a AUTHENTICATE PLAIN a===", "a", "Invalid base64 initial response"), ("a AUTHENTICATE PLAIN ab=c", "a", "Invalid base64 initial response"),
        ("a AUTHENTICATE PLAIN ", "a", "Invalid base64 initial response"),
        ("a ID", "a", "Expected a space"), ("a ID (\"name\")", "a", "Expected a space"), ("a ID (\"name\" \"x\"", "a", "Expected )"),
        ("a ID (name \"x\")", "a", "Expected a string"), ("a ID NILS", "a", "Expected ("),
    ])
    func refusesWithTheTag(_ line: String, _ tag: String?, _ message: String) {
        #expect(IMAPCommandParser.parse(line) == .failure(IMAPParseError(message, tag: tag.flatMap(Tag.init))))
    }

    @Test func parsesLiteralsFromTheFramer() {
        // RFC 7888 section 3's example.
        let bytes = ByteBuffer(string: "A001 LOGIN {11+}\r\nFRED FOOBAR {7+}\r\nfat man\r\n")
        #expect(parseWire(bytes) == .success(tagged("A001", .login(userid: Array("FRED FOOBAR".utf8), password: Array("fat man".utf8)))))
    }

    @Test(arguments: [
        Command.capability, .noop, .logout, .startTLS, .id(nil), .id([]),
        .id([IDField("name", "Thunderbird"), IDField("version", nil), IDField("引号\"", "a\r\nb"), IDField("", "")]),
        .authenticate(mechanism: "PLAIN", initialResponse: nil), .authenticate(mechanism: "PLAIN", initialResponse: .empty),
        .authenticate(mechanism: "XOAUTH2", initialResponse: .base64("dXNlcj1h")),
        .login(userid: Array("alice".utf8), password: Array("s3cret".utf8)),
        .login(userid: Array("NIL".utf8), password: []), .login(userid: Array("a b".utf8), password: Array("\"\\".utf8)),
        .login(userid: Array("jürgen@例子.中国".utf8), password: [0, 13, 10, 255]),
    ])
    func roundTrips(_ command: Command) {
        let value = tagged("t1", command)
        for form in [IMAPLiteralForm.nonSynchronizing, .synchronizing] {
            var buffer = ByteBuffer()
            buffer.writeCommand(value, literalForm: form)
            #expect(parseWire(buffer) == .success(value))
        }
    }

    @Test func stressesTheNestingGuard() throws {
        var parser = IMAPParser("x", limits: IMAPLimits(maxNestingDepth: 2))
        try parser.nested { (p: inout IMAPParser) throws(IMAPParseError) in
            try p.nested { (_: inout IMAPParser) throws(IMAPParseError) in }
        }
        #expect(throws: IMAPParseError("Too deeply nested (limit 2)")) {
            try parser.nested { (p: inout IMAPParser) throws(IMAPParseError) in
                try p.nested { (q: inout IMAPParser) throws(IMAPParseError) in
                    try q.nested { (_: inout IMAPParser) throws(IMAPParseError) in }
                }
            }
        }
    }

    @Test func stressesTheIDFieldLimit() {
        let limits = IMAPLimits(maxListItems: 3)
        let fields = (1...3).map { IDField("k\($0)", "v") }
        #expect(IMAPCommandParser.parse("a ID (\"k1\" \"v\" \"k2\" \"v\" \"k3\" \"v\")", limits: limits) == .success(tagged("a", .id(fields))))
        #expect(IMAPCommandParser.parse("a ID (\"k1\" \"v\" \"k2\" \"v\" \"k3\" \"v\" \"k4\" \"v\")", limits: limits)
            == .failure(IMAPParseError("Too many ID fields (limit 3)", tag: Tag("a"))))
    }
}
