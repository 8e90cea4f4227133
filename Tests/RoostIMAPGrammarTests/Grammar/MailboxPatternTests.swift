import NIOCore
import Testing
@testable import RoostIMAPGrammar

@Suite("MailboxPattern")
struct MailboxPatternTests {
    @Test(arguments: [
        ("*", "*", "*"), ("%", "%", "%"), ("INBOX.%", "INBOX.%", "INBOX.%"), ("\"\"", "", "\"\""),
        ("\"Sent Items/*\"", "Sent Items/*", "\"Sent Items/*\""), ("&XfJT0ZAB-/*", "已发送/*", "&XfJT0ZAB-/*"),
        ("a]b%", "a]b%", "a]b%"), ("\"&-*\"", "&*", "&-*"),
    ])
    func parsesAndEncodes(_ text: String, _ pattern: String, _ form: String) throws {
        #expect(try IMAPParser.parse(text) { try $0.parseMailboxPattern() } == MailboxPattern(pattern))
        #expect(encoded { $0.writeMailboxPattern(MailboxPattern(pattern)) } == form)
        #expect(try IMAPParser.parse(form) { try $0.parseMailboxPattern() } == MailboxPattern(pattern))
    }

    @Test(arguments: ["", "(", "&Jjo", "\"&Jjo\"", "a b", "\"unterminated"])
    func refusesInvalidPatterns(_ text: String) {
        #expect(throws: IMAPParseError.self) { try IMAPParser.parse(text) { try $0.parseMailboxPattern() } }
    }

    @Test(arguments: [
        // (pattern, name, matches with "/" as the delimiter)
        ("*", "INBOX", true), ("*", "a/b/c", true), ("%", "a", true), ("%", "a/b", false), ("a/%", "a/b", true),
        ("a/%", "a/b/c", false), ("a/*", "a/b/c", true), ("*/%", "a/b/c", true), ("%/%", "a/b/c", false),
        ("%/*", "a/b/c", true), ("inbox", "INBOX", true), ("InBox/%", "INBOX/x", true), ("INBOX", "inbox", false),
        ("a%c", "abc", true), ("a%c", "a/c", false), ("a*c", "a/c", true), ("", "", true), ("", "a", false),
        ("Sent", "sent", false), ("已发送", "已发送", true),
        // Only a whole first level is INBOX; Unicode case folding does not make one.
        ("Inboxes", "Inboxes", true), ("inboxes", "Inboxes", false), ("ınbox", "INBOX", false), ("*a*a*a*a*a*b", String(repeating: "a", count: 200), false),
        ("%", "", true), ("a", "", false),
    ])
    func matches(_ pattern: String, _ name: String, _ expected: Bool) {
        #expect(MailboxPattern(pattern).matches(name, delimiter: "/") == expected)
    }
}
